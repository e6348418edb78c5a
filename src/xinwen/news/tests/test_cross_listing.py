"""同时发布到: one article listed in further sections, where 站点设置 allows it; its own section keeps the breadcrumb.

The write path checks the site setting and 栏目权限 for every section an article enters or
leaves; the lists, the home page's section blocks, the section feeds and the API's counts
show it there; the article page, its URL and previous/next stay with its own section.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xinwen.conftest import form_data, make_article, make_user
from xinwen.news import pagetags, services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.grants import SectionGrant
from xinwen.news.models import Article, AuditEntry, SiteSettings
from xinwen.news.purges import article_purge_tags
from xinwen.news.selectors import article_placement

pytestmark = pytest.mark.django_db


def allow(on: bool = True) -> None:
    services.site_settings_save(site_settings=SiteSettings(cross_listing=on), user=None, changed_fields=["cross_listing"])
    SiteSettings.changed()  # the notice's subscriber, which runs after the commit


@pytest.fixture
def allowed(db):
    allow()


def staff(username: str):
    """A back-office account whose only rights are the section grants the test gives it."""
    user = make_user(username, role=None)
    user.is_staff = True
    user.save()
    return user


def titles(page: str) -> list[str]:
    return re.findall(r"测试稿[^<]*", page)


def test_an_editor_lists_an_article_in_two_more_sections_its_own_one_left_out(tree, editor, allowed, django_capture_on_commit_callbacks):
    story = make_article(category=tree["company"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        chosen = services.article_also_in_set(
            article=story, category_ids=[tree["notices"].pk, tree["industry"].pk, tree["company"].pk], user=editor
        )
    assert [c.name for c in chosen] == ["行业动态", "通知公告"]  # by the tree's order; its own section is no "also"
    assert set(story.also_in.values_list("slug", flat=True)) == {"industry", "notices"}
    entry = AuditEntry.objects.filter(object_id=str(story.pk)).latest("pk")
    assert entry.detail == {"fields": ["also_in"], "also_in": ["行业动态", "通知公告"]}
    assert callbacks  # the change notice went out after the commit

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.article_also_in_set(article=story, category_ids=[tree["industry"].pk, tree["notices"].pk], user=editor)
    assert not callbacks  # the same sections again: no write, no audit line, no notice
    assert AuditEntry.objects.filter(object_id=str(story.pk)).latest("pk") == entry


def test_without_the_site_setting_nothing_is_listed_elsewhere_and_old_choices_can_be_cleared(tree, editor):
    story = make_article(category=tree["company"])
    with pytest.raises(WorkflowError, match="站点设置未开启"):
        services.article_also_in_set(article=story, category_ids=[tree["industry"].pk], user=editor)
    assert not story.also_in.exists()

    allow()
    services.article_also_in_set(article=story, category_ids=[tree["industry"].pk], user=editor)
    allow(False)
    services.article_also_in_set(article=story, category_ids=[], user=editor)  # taking it out is always allowed
    assert not story.also_in.exists()


def test_limits_and_unknown_sections_are_refused_with_a_message(tree, editor, allowed):
    from xinwen.conftest import make_category

    story = make_article(category=tree["company"])
    more = [make_category(f"栏目{i}", parent=tree["root"]) for i in range(6)]
    with pytest.raises(WorkflowError, match="最多同时发布到 5 个其他栏目，现在选了 6 个"):
        services.article_also_in_set(article=story, category_ids=[c.pk for c in more], user=editor)
    with pytest.raises(WorkflowError, match="已不存在"):
        services.article_also_in_set(article=story, category_ids=[999_999], user=editor)
    assert not story.also_in.exists()


def test_every_section_entered_or_left_needs_the_right_there(tree, allowed):
    company, industry, notices = tree["company"], tree["industry"], tree["notices"]
    # Publishes in 公司新闻 and 通知公告, writes (only) in 行业动态.
    desk = staff("desk")
    for section, role in ((company, SectionGrant.Role.PUBLISH), (notices, SectionGrant.Role.PUBLISH), (industry, SectionGrant.Role.AUTHOR)):
        services.section_grant_save(grant=SectionGrant(category=section, user=desk, role=role), user=None)
    desk = type(desk).objects.get(pk=desk.pk)  # fresh permission caches

    live = make_article(category=company)
    services.article_also_in_set(article=live, category_ids=[notices.pk], user=desk)
    with pytest.raises(NotAllowed, match="没有在栏目「行业动态」发布文章的权限"):
        services.article_also_in_set(article=live, category_ids=[notices.pk, industry.pk], user=desk)

    # A draft appears nowhere yet: writing in a section is enough to list it there.
    draft = make_article(category=company, status=Article.Status.DRAFT, created_by=desk)
    services.article_also_in_set(article=draft, category_ids=[industry.pk], user=desk)

    # Someone else listed it in 行业动态; the desk may keep it there but not take it out.
    services.article_also_in_set(article=live, category_ids=[notices.pk, industry.pk], user=None)
    services.article_also_in_set(article=live, category_ids=[industry.pk], user=desk)  # leaves 通知公告 only
    with pytest.raises(NotAllowed, match="行业动态"):
        services.article_also_in_set(article=live, category_ids=[], user=desk)
    assert list(live.also_in.values_list("slug", flat=True)) == ["industry"]


def test_a_section_list_shows_articles_listed_there_once_in_every_script(client, tree, editor, allowed):
    own = make_article(category=tree["industry"], title="测试稿·行业本栏", days_ago=2)
    guest = make_article(category=tree["company"], title="测试稿·公司稿件", days_ago=1)
    services.article_also_in_set(article=guest, category_ids=[tree["industry"].pk], user=editor)

    assert titles(client.get("/category/industry/").content.decode()) == ["测试稿·公司稿件", "测试稿·行业本栏"]
    assert titles(client.get("/category/company/").content.decode()) == ["测试稿·公司稿件"]
    # The parent's list holds both sections: the article once.
    assert titles(client.get("/category/news/").content.decode()) == ["测试稿·公司稿件", "测试稿·行业本栏"]
    page = client.get("/zh-tw/category/industry/").content.decode()
    assert f'href="/zh-tw/article/{guest.pk}/"' in page and f'href="/zh-tw/article/{own.pk}/"' in page

    allow(False)  # the site stops cross-listing: each list shows its own articles again
    assert titles(client.get("/category/industry/").content.decode()) == ["测试稿·行业本栏"]


def test_the_article_page_keeps_its_own_section_for_the_breadcrumb_and_neighbours(client, tree, editor, allowed):
    older = make_article(category=tree["industry"], title="测试稿·行业较早", days_ago=3)
    guest = make_article(category=tree["company"], title="测试稿·公司稿件", days_ago=2)
    newer = make_article(category=tree["industry"], title="测试稿·行业较新", days_ago=1)
    services.article_also_in_set(article=guest, category_ids=[tree["industry"].pk], user=editor)

    page = client.get(f"/article/{guest.pk}/").content.decode()
    crumbs = page[page.index("当前位置") : page.index("</nav>", page.index("当前位置"))]
    assert "公司新闻" in crumbs and "行业动态" not in crumbs
    assert older.title not in page and newer.title not in page  # previous/next and related: 公司新闻 only
    industry_page = client.get(f"/article/{newer.pk}/").content.decode()
    assert guest.title not in industry_page


def test_home_blocks_and_section_feeds_show_it_where_it_is_listed(client, tree, editor, allowed):
    guest = make_article(category=tree["company"], title="测试稿·同时发布到通知公告")
    services.article_also_in_set(article=guest, category_ids=[tree["notices"].pk], user=editor)
    home = client.get("/").content.decode()
    assert home.count(f'href="/article/{guest.pk}/"') >= 2  # 公司新闻's block and 通知公告's
    feed = client.get("/feeds/notices/rss.xml").content.decode()
    assert "测试稿·同时发布到通知公告" in feed
    assert "测试稿·同时发布到通知公告" not in client.get("/feeds/industry/rss.xml").content.decode()


def test_the_api_counts_what_each_list_shows(client, tree, editor, allowed):
    guest = make_article(category=tree["company"])
    make_article(category=tree["notices"])
    services.article_also_in_set(article=guest, category_ids=[tree["notices"].pk], user=editor)
    rows = {row["slug"]: row["article_count"] for row in client.get("/api/v1/categories").json()}
    assert rows == {"news": 2, "company": 1, "industry": 0, "notices": 2}
    listed = client.get("/api/v1/articles?category=notices").json()
    assert listed["count"] == 2
    assert {item["id"] for item in listed["results"]} == {guest.pk, Article.objects.get(category=tree["notices"]).pk}
    detail = client.get(f"/api/v1/articles/{guest.pk}?variant=zh-tw").json()
    assert detail["category"]["slug"] == "company"
    assert detail["also_in"] == [{"slug": "notices", "name": "通知公告", "url": "http://testserver/zh-tw/category/notices/"}]


def test_entering_or_leaving_a_section_drops_that_sections_lists(tree, editor, allowed):
    guest = make_article(category=tree["company"])
    before = article_placement(guest.pk)
    services.article_also_in_set(article=guest, category_ids=[tree["notices"].pk], user=editor)
    after = article_placement(guest.pk)
    assert after.also_in == (tree["notices"].pk,)
    entered = article_purge_tags(article_id=guest.pk, old=before, new=after)
    # 通知公告's list only: 新闻中心's showed it already, and 通知公告's articles keep their own neighbours.
    assert entered == {
        pagetags.article(guest.pk), pagetags.category_list(tree["notices"].pk), pagetags.HOME, pagetags.FEEDS, pagetags.SITEMAP
    }
    services.article_also_in_set(article=guest, category_ids=[], user=editor)
    left = article_purge_tags(article_id=guest.pk, old=after, new=article_placement(guest.pk))
    assert pagetags.category_list(tree["notices"].pk) in left


def test_the_article_form_offers_the_box_only_where_the_site_allows_it(client, tree, editor):
    story = make_article(category=tree["company"])
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[story.pk])
    assert 'name="also_in_sections"' not in client.get(url).content.decode()

    allow()
    form = client.get(url).content.decode()
    assert 'name="also_in_sections"' in form and "新闻中心 &gt; 通知公告" in form
    data = form_data(
        tree["company"], title=story.title, body=story.body, status=story.status,
        publish_at_0=story.publish_at.strftime("%Y-%m-%d"), publish_at_1=story.publish_at.strftime("%H:%M:%S"),
        also_in_sections=[tree["notices"].pk, tree["industry"].pk],
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(story.also_in.values_list("slug", flat=True)) == {"industry", "notices"}
    ticked = re.findall(r'<input type="checkbox" name="also_in_sections" value="(\d+)"[^>]* checked', client.get(url).content.decode())
    assert sorted(map(int, ticked)) == sorted([tree["industry"].pk, tree["notices"].pk])


def test_an_author_is_offered_only_their_sections_and_a_forged_choice_is_a_form_error(client, tree, allowed):
    writer = staff("writer")
    for section in (tree["company"], tree["industry"]):
        services.section_grant_save(grant=SectionGrant(category=section, user=writer, role=SectionGrant.Role.AUTHOR), user=None)
    client.force_login(writer)
    form = client.get(reverse("admin:news_article_add")).content.decode()
    offered = re.findall(r'name="also_in_sections" value="(\d+)"', form)
    assert sorted(map(int, offered)) == sorted([tree["company"].pk, tree["industry"].pk])

    response = client.post(
        reverse("admin:news_article_add"), form_data(tree["company"], also_in_sections=[tree["notices"].pk])
    )
    assert response.status_code == 200  # the form again, with the reason; nothing saved
    assert f"{tree['notices'].pk} 不在可用的选项中" in response.content.decode()
    assert not Article.objects.exists()

    response = client.post(
        reverse("admin:news_article_add"), form_data(tree["company"], also_in_sections=[tree["industry"].pk])
    )
    assert response.status_code == 302
    assert list(Article.objects.get().also_in.values_list("slug", flat=True)) == ["industry"]


def test_after_the_site_stops_cross_listing_the_form_can_only_clear_the_choice(client, tree, editor):
    allow()
    story = make_article(category=tree["company"])
    services.article_also_in_set(article=story, category_ids=[tree["industry"].pk], user=editor)
    allow(False)
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[story.pk])
    assert 'name="also_in_sections"' in client.get(url).content.decode()  # shown while a choice is left
    data = form_data(
        tree["company"], title=story.title, body=story.body, status=story.status,
        publish_at_0=story.publish_at.strftime("%Y-%m-%d"), publish_at_1=story.publish_at.strftime("%H:%M:%S"),
    )  # fmt: skip
    response = client.post(url, {**data, "also_in_sections": [tree["industry"].pk, tree["notices"].pk]})
    assert response.status_code == 200
    assert "站点设置未开启" in response.content.decode()
    assert client.post(url, data).status_code == 302  # nothing ticked: taken out of 行业动态
    assert not story.also_in.exists()
    assert 'name="also_in_sections"' not in client.get(url).content.decode()


def test_list_pages_merge_a_sections_own_articles_and_its_guests_in_reader_order(client, tree, editor, allowed, monkeypatch):
    from django.core.paginator import Paginator

    from xinwen.news import selectors

    industry = tree["industry"]
    own = [make_article(category=industry, title=f"测试稿·本栏{i}", days_ago=i * 2) for i in range(25)]
    guests = [make_article(category=tree["company"], title=f"测试稿·来稿{i}", days_ago=i * 3 + 1) for i in range(10)]
    guests[7].pinned = True  # an old pinned guest goes first, as a pinned article of the section's own would
    guests[7].save()
    for article in guests:
        services.article_also_in_set(article=article, category_ids=[industry.pk], user=editor)
    expected = [a.pk for a in sorted(own + guests, key=lambda a: (a.pinned, a.publish_at, a.pk), reverse=True)]

    ids = selectors.category_article_ids(industry)
    assert isinstance(ids, selectors.SectionIds)
    pages = Paginator(ids, 20)
    assert pages.count == 35 and pages.num_pages == 2
    assert [*pages.page(1).object_list, *pages.page(2).object_list] == expected
    assert list(ids[5:9]) == expected[5:9] and ids[0] == guests[7].pk
    # Every page of the list shows what the one-query form shows (used past GUESTS_MERGED guests).
    monkeypatch.setattr(selectors, "GUESTS_MERGED", 3)
    assert list(selectors.category_article_ids(industry)) == expected
    page2 = client.get("/category/industry/?page=2").content.decode()
    assert titles(page2) == [Article.objects.get(pk=pk).title for pk in expected[20:]]


def test_every_window_of_a_merged_list_is_the_window_of_the_whole_list(tree, editor, allowed):
    """Deep pages read only a page of the section's own ids; each slice must still be exact."""
    from xinwen.news import selectors

    industry = tree["industry"]
    own = [make_article(category=industry, days_ago=i, pinned=i in (4, 30)) for i in range(40)]
    guests = [make_article(category=tree["notices"], days_ago=i * 5 + 0.5, pinned=i == 6) for i in range(8)]
    for article in guests:
        services.article_also_in_set(article=article, category_ids=[industry.pk], user=editor)
    expected = [a.pk for a in sorted(own + guests, key=lambda a: (a.pinned, a.publish_at, a.pk), reverse=True)]
    ids = selectors.category_article_ids(industry)
    for start in range(0, 50, 3):
        for size in (1, 7, 20):
            assert list(ids[start : start + size]) == expected[start : start + size], (start, size)
    assert list(ids[45:]) == expected[45:] and list(ids[:]) == expected
