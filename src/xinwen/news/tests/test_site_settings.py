"""站点设置: one row written by the service, shown in every page's footer in every script."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from xinwen.conftest import make_user
from xinwen.news import changes, services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import AuditEntry, FriendlyLink, SiteSettings, friendly_links_parse

pytestmark = pytest.mark.django_db

FOOTER = {
    "site_name": "示例发展集团",
    "organizer": "示例发展集团有限公司",
    "operator": "示例发展集团党群工作部",
    "address": "示例市发展路 1 号",
    "phone": "010-00000000",
    "email": "news@example.org",
    "icp_number": "京ICP备00000000号-1",
    "police_number": "京公网安备11000000000001号",
    "site_code": "1100000001",
    "friendly_links": "国务院国资委 https://www.example.org/sasac\n发展报 https://www.example.com/",
}


def footer_of(response) -> str:
    html = response.content.decode()
    return re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)


@pytest.fixture
def filled(tree):
    return services.site_settings_save(site_settings=SiteSettings(**FOOTER), user=services.OPERATOR)


@pytest.mark.parametrize(
    "text, links",
    [
        ("", []),
        ("国资委 https://www.example.org/", [FriendlyLink("国资委", "https://www.example.org/")]),
        ("  中国 政府网\thttp://example.com/a?b=1  \n\n", [FriendlyLink("中国 政府网", "http://example.com/a?b=1")]),
    ],
)
def test_friendly_links_are_read_one_a_line(text, links):
    assert friendly_links_parse(text) == links


@pytest.mark.parametrize("text", ["只有名称", "脚本 javascript:alert(1)", "https://example.org/", "坏 https://x.org/\"onmouseover"])
def test_a_friendly_link_that_is_not_name_and_web_address_is_refused_with_its_line(text):
    with pytest.raises(ValueError, match="第 1 行"):
        friendly_links_parse(text)


def test_the_footer_shows_every_field_and_the_records_link_to_their_registries(client, filled):
    footer = footer_of(client.get("/"))
    for value in ("主办单位：示例发展集团有限公司", "承办单位：示例发展集团党群工作部", "示例市发展路 1 号", "010-00000000", "1100000001"):
        assert value in footer
    assert '<a class="icp" href="https://beian.miit.gov.cn/" rel="noopener">京ICP备00000000号-1</a>' in footer
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=11000000000001"' in footer
    assert re.search(r'<img src="/static/news/police-record\.[0-9a-f]{12}\.svg" width="16" height="16" alt="">京公网安备11000000000001号', footer)
    assert 'href="mailto:news@example.org"' in footer
    assert '<a href="https://www.example.org/sasac" rel="noopener">国务院国资委</a>' in footer
    assert '<a href="/sitemap/">网站地图</a>' in footer


@pytest.mark.parametrize(
    "prefix, organizer_label, organizer, name",
    [
        ("", "主办单位", "示例发展集团有限公司", "示例发展集团"),
        ("/zh-hant", "主辦單位", "示例發展集團有限公司", "示例發展集團"),
        ("/zh-tw", "主辦單位", "示例發展集團有限公司", "示例發展集團"),
        ("/zh-hk", "主辦單位", "示例發展集團有限公司", "示例發展集團"),
    ],
)
def test_the_footer_is_in_the_readers_script_and_the_record_numbers_are_as_registered(client, filled, prefix, organizer_label, organizer, name):
    response = client.get(f"{prefix}/")
    footer = footer_of(response)
    assert f"{organizer_label}：{organizer}" in footer
    assert f"{name} · " in footer
    assert f"<title>{name} · " in response.content.decode()
    # Legal identifiers are printed exactly as registered: 京ICP备, never 京ICP備.
    assert ">京ICP备00000000号-1</a>" in footer
    assert "京公网安备11000000000001号</a>" in footer
    assert f'href="{prefix}/sitemap/"' in footer


def test_without_saved_settings_the_site_name_is_the_configured_one_and_the_footer_is_plain(client, tree, settings):
    settings.SITE_NAME = "配置中的集团"
    response = client.get("/")
    footer = footer_of(response)
    assert "<title>配置中的集团 · " in response.content.decode()
    assert "配置中的集团" in footer
    assert "主办单位" not in footer and "beian" not in footer and "友情链接" not in footer


def test_an_empty_site_name_falls_back_to_the_configured_one(client, tree, settings):
    settings.SITE_NAME = "配置中的集团"
    services.site_settings_save(site_settings=SiteSettings(organizer="某单位"), user=services.OPERATOR)
    assert "<title>配置中的集团 · " in client.get("/").content.decode()


def test_saving_is_one_row_audited_and_announced_after_commit(tree, django_capture_on_commit_callbacks):
    seen = []
    changes.subscribe("test-site", site=lambda **kw: seen.append(kw))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.site_settings_save(site_settings=SiteSettings(organizer="甲"), user=services.OPERATOR)
            services.site_settings_save(
                site_settings=SiteSettings(organizer="乙", icp_number="京ICP备00000000号"),
                user=services.OPERATOR,
                changed_fields=["organizer", "icp_number"],
            )
    finally:
        changes.unsubscribe("test-site")
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.load().organizer == "乙"
    assert seen == [{"setting": "all", "action": "change"}, {"setting": "organizer,icp_number", "action": "change"}]
    assert AuditEntry.objects.filter(content_type__model="sitesettings").count() == 2


def test_bad_friendly_links_are_refused_and_nothing_is_saved(tree):
    with pytest.raises(WorkflowError, match="第 2 行"):
        services.site_settings_save(
            site_settings=SiteSettings(friendly_links="好 https://example.org/\n坏"), user=services.OPERATOR
        )
    assert not SiteSettings.objects.exists()


def test_only_the_admin_role_changes_the_site_settings(tree):
    editor = make_user("editor", role="编辑")
    manager = make_user("manager", role="管理员")
    with pytest.raises(PermissionDenied):
        services.site_settings_save(site_settings=SiteSettings(organizer="甲"), user=editor)
    services.site_settings_save(site_settings=SiteSettings(organizer="乙"), user=manager)
    assert SiteSettings.load().organizer == "乙"


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"])
def test_the_site_map_lists_every_section_in_tree_order(client, tree, prefix):
    from xinwen.conftest import make_category

    make_category("集团要闻", slug="group", parent=tree["company"], order=5)
    html = client.get(f"{prefix}/sitemap/").content.decode()
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    names = re.findall(r'<a href="[^"]*/category/([a-z-]+)/">', main)
    assert names == ["news", "company", "group", "industry", "notices"]
    # Nesting follows the tree: 集团要闻 sits in a list inside 公司新闻's item.
    assert re.search(r'/category/company/">[^<]+</a><ul><li><a href="[^"]*/category/group/"', main)
    if prefix:
        assert "網站地圖" in main and "公司新聞" in main
    else:
        assert "网站地图" in main and "公司新闻" in main
