"""外链文章: a list entry that leads to another site, marked as such, its source named; never republished in full."""

from __future__ import annotations

import pytest

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article
from xinwen.publishing.pages import public_urls

pytestmark = pytest.mark.django_db

URL = "https://www.example.cn/news/2026/1204.html"


@pytest.fixture
def linked(tree):
    return make_article(
        category=tree["company"],
        title="外链测试：行业协会发布年度报告",
        summary="协会发布年度报告摘要。",
        body="",
        external_url=URL,
        source_name="示例行业协会",
    )


def test_lists_link_out_with_the_mark_and_the_source_in_every_script(client, linked, tree):
    for prefix, mark, source in [("", "外链", "示例行业协会"), ("/zh-tw", "外鏈", "示例行業協會"), ("/zh-hk", "外鏈", "示例行業協會")]:
        for path in (f"{prefix}/", f"{prefix}/category/company/"):
            page = client.get(path).content.decode()
            assert f'<a href="{URL}"><span class="badge badge-external">{mark}</span>' in page, path
            assert f'<span class="list-source">{source}</span>' in page, path
            assert f'href="{prefix}/article/{linked.pk}/"' not in page, path


def test_its_own_url_redirects_permanently(client, linked):
    response = client.get(f"/zh-tw/article/{linked.pk}/")
    assert response.status_code == 301 and response["Location"] == URL


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.cn/a", "//example.cn/a", "data:text/html,x", "https://"])
def test_only_http_and_https_addresses_are_accepted(tree, editor, bad):
    article = Article(category=tree["company"], title="坏链接", external_url=bad)
    with pytest.raises(WorkflowError, match="http:// 或 https://"):
        services.article_save(article=article, user=editor)
    assert not Article.objects.filter(title="坏链接").exists()


def test_the_form_refuses_other_schemes(client, tree, editor):
    from django.urls import reverse

    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_add"),
        {"title": "表单外链", "category": tree["company"].pk, "body": "", "status": "draft", "external_url": "javascript:alert(1)",
         "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
         "gallery_images-TOTAL_FORMS": "0", "gallery_images-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200 and not Article.objects.filter(title="表单外链").exists()
    assert "URL" in response.content.decode() or "网址" in response.content.decode()


def test_feeds_link_out_and_carry_no_full_text(client, linked, tree):
    inside = make_article(category=tree["company"], title="本站文章", body="<p>本站正文全文。</p>")
    rss = client.get("/feeds/rss.xml").content.decode()
    assert f"<link>{URL}</link>" in rss
    assert "【外链】" in rss and "阅读原文（示例行业协会）" in rss
    assert f'<guid isPermaLink="false">http://testserver/article/{linked.pk}/</guid>' in rss
    assert "本站正文全文" in rss and inside.title in rss


def test_sitemaps_and_static_output_leave_it_out(client, linked, tree):
    make_article(category=tree["company"], title="同栏目本站文章")
    for path in (f"/sitemap-articles-{tree['company'].slug}.xml", "/sitemap-news.xml"):
        response = client.get(path)
        assert response.status_code == 200 and "/article/" in response.content.decode(), path
        assert f"/article/{linked.pk}/" not in response.content.decode(), path
    assert f"/article/{linked.pk}/" not in "\n".join(public_urls())
