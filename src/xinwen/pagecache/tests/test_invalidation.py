"""Editors' changes drop exactly the stored pages that show what changed, through the real stack.

The site is warmed with every kind of page, an editor acts through the editorial
services (their after-commit notices run), and the test compares the set of stored
pages before and after: what disappeared must be exactly the pages that show it.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.hanzi.models import GlossaryTerm
from xinwen.news.models import Article
from xinwen.pagecache.tests.conftest import HOST, call

VARIANT_PREFIXES = ("", "/zh-hant", "/zh-tw", "/zh-hk")
TOKEN = "XW7351"  # an ASCII mark in the title: the same in every script, easy to find in a page
OLD_TOKEN = "XW2024"


@pytest.fixture
def news(tree, editor, django_capture_on_commit_callbacks):
    """22 older articles in 公司新闻 (so it has a page 2), 3 in 行业动态, and `story`, the newest, made by an editor."""
    company = [make_article(category=tree["company"], title=f"公司新闻{i}", days_ago=10 + i) for i in range(22)]
    industry = [make_article(category=tree["industry"], title=f"行业动态{i}", days_ago=3 + i) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        story = Article(category=tree["company"], title=f"座谈会在沪举行 {TOKEN}", body="<p>正文。</p>")
        services.article_save(article=story, user=editor)
        services.article_publish(article=story, user=editor, publish_at=timezone.now() - timedelta(days=1))
        # An older one, in the middle of the list: among the related articles of its neighbours only.
        old = Article(category=tree["company"], title=f"年度总结 {OLD_TOKEN}", body="<p>正文。</p>")
        services.article_save(article=old, user=editor)
        services.article_publish(article=old, user=editor, publish_at=timezone.now() - timedelta(days=20.5))
    return {**tree, "company_articles": [*company, old], "industry_articles": industry, "story": story, "old": old}


def warm_paths(news) -> set[str]:
    story = news["story"].pk
    paths = {f"{prefix}{path}" for prefix in VARIANT_PREFIXES for path in ("/", "/category/company/", f"/article/{story}/")}
    paths |= {"/category/news/", "/category/news/?page=2", "/category/company/?page=2", "/category/industry/"}
    paths |= {f"/article/{a.pk}/" for a in news["company_articles"] + news["industry_articles"]}
    paths |= {f"/article/{story}/?ruby=1", "/zh-tw/feeds/rss.xml", "/feeds/industry/atom.xml", "/sitemap.xml"}
    return paths


def warm(site, paths) -> dict[str, bytes]:
    """Request every path (twice: the second must be a hit) and return the stored pages by path."""
    for path in paths:
        first = call(site, path)
        assert first.code == 200, path
        # Public pages set no cookie (no CSRF token, no message): that is what lets them be shared.
        assert "set-cookie" not in first.headers and "cookie" not in first.headers.get("vary", "").lower(), path
        assert call(site, path).headers["x-page-cache"] == "hit", path
    return stored(site)


def stored(site) -> dict[str, bytes]:
    prefix = f"http://{HOST}"
    return {key.removeprefix(prefix): site.store.get(key).bodies["identity"] for key in site.store.keys()}


def details(articles) -> set[str]:
    return {f"/article/{a.pk}/" for a in articles}


def test_editing_an_article_drops_the_pages_that_show_it_and_nothing_else(site, news, editor, django_capture_on_commit_callbacks):
    before = warm(site, warm_paths(news))
    assert set(before) == warm_paths(news)
    story = news["story"]

    with django_capture_on_commit_callbacks(execute=True):
        story.title = f"座谈会在上海举行 {TOKEN}"
        services.article_save(article=story, user=editor, changed_fields=["title"])

    dropped = set(before) - set(stored(site))
    shows_title = {path for path, body in before.items() if TOKEN.encode() in body}
    feeds_and_sitemaps = {"/zh-tw/feeds/rss.xml", "/feeds/industry/atom.xml", "/sitemap.xml"}
    assert dropped == shows_title | feeds_and_sitemaps
    # What that means here: its own page in every script and with pinyin, the home pages, the
    # first list pages, and the company articles that link to it (previous/next, related).
    assert {f"{prefix}/article/{story.pk}/" for prefix in VARIANT_PREFIXES} | {f"/article/{story.pk}/?ruby=1"} <= dropped
    assert {"/", "/zh-hk/", "/category/company/", "/category/news/"} <= dropped
    assert {"/category/company/?page=2", "/category/news/?page=2", "/category/industry/"}.isdisjoint(dropped)
    assert details(news["industry_articles"]).isdisjoint(dropped)
    # It is the newest: the two before it show it (next, and among their two newer 相关文章);
    # no other company article page does, so no other is dropped.
    ranked = list(Article.objects.published().filter(category=news["company"]).order_by("-publish_at", "-id"))
    assert ranked[0] == story
    assert details(news["company_articles"]) & dropped == details(ranked[1:3])


def test_editing_an_older_article_drops_its_page_its_list_page_and_its_neighbours(site, news, editor, django_capture_on_commit_callbacks):
    before = warm(site, warm_paths(news) | {f"/article/{news['old'].pk}/"})
    old = news["old"]

    with django_capture_on_commit_callbacks(execute=True):
        old.title = f"年度工作总结 {OLD_TOKEN}"
        services.article_save(article=old, user=editor, changed_fields=["title"])

    dropped = set(before) - set(stored(site))
    ranked = list(Article.objects.published().filter(category=news["company"]).order_by("-publish_at", "-id"))
    place = ranked.index(old)
    # 相关文章 are the two newer and three older nearest: the three newer articles and the two
    # older ones show it (and previous/next are among them).
    neighbours = details(ranked[place - 3 : place] + ranked[place + 1 : place + 3])
    company_lists = {f"{prefix}/category/company/" for prefix in VARIANT_PREFIXES}
    assert dropped == {f"/article/{old.pk}/", "/category/news/"} | company_lists | neighbours | {
        "/zh-tw/feeds/rss.xml",
        "/feeds/industry/atom.xml",
        "/sitemap.xml",
    }
    assert dropped == {path for path, body in before.items() if OLD_TOKEN.encode() in body} | {
        "/zh-tw/feeds/rss.xml",
        "/feeds/industry/atom.xml",
        "/sitemap.xml",
    }


def test_publishing_drops_the_lists_home_and_article_pages_of_its_category(site, news, editor, django_capture_on_commit_callbacks):
    before = warm(site, warm_paths(news))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Article(category=news["company"], title="新文章", body="<p>正文。</p>")
        services.article_save(article=fresh, user=editor)
    assert set(stored(site)) == set(before)  # a draft shows nowhere

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=fresh, user=editor)

    dropped = set(before) - set(stored(site))
    story = news["story"]
    company_pages = {f"{p}/category/company/" for p in VARIANT_PREFIXES} | {"/category/company/?page=2"}
    # It is the newest now: the five before it link it (previous/next, related), no other article page does.
    ranked = list(Article.objects.published().filter(category=news["company"]).exclude(pk=fresh.pk).order_by("-publish_at", "-id"))
    assert ranked[0] == story
    company_details = details(ranked[1:5]) | {f"{p}/article/{story.pk}/" for p in VARIANT_PREFIXES} | {f"/article/{story.pk}/?ruby=1"}
    assert dropped == (
        {f"{p}/" for p in VARIANT_PREFIXES}  # home
        | company_pages
        | {"/category/news/", "/category/news/?page=2"}  # the parent's list includes 公司新闻
        | company_details  # previous/next and related: the nearest articles of its category
        | {"/zh-tw/feeds/rss.xml", "/feeds/industry/atom.xml", "/sitemap.xml"}
    )
    assert call(site, "/category/company/").text().count("新文章") == 1


def test_unpublishing_drops_its_pages_its_lists_and_its_neighbours(site, news, editor, django_capture_on_commit_callbacks):
    before = warm(site, warm_paths(news))
    story = news["story"]

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=story, user=editor)

    dropped = set(before) - set(stored(site))
    # It was the newest: the five after it in the list linked it; the other company articles did not.
    ranked = list(Article.objects.published().filter(category=news["company"]).order_by("-publish_at", "-id"))
    others = details(ranked[5:])
    assert others and others <= set(before)
    assert dropped == set(before) - {"/category/industry/"} - details(news["industry_articles"]) - others
    assert call(site, f"/article/{story.pk}/").code == 404
    assert TOKEN not in call(site, "/").text()


def test_an_edit_is_visible_to_the_next_anonymous_reader(site, news, editor, django_capture_on_commit_callbacks):
    story = news["story"]
    url = f"/zh-tw/article/{story.pk}/"
    assert "座談會在滬舉行" in call(site, url).text()
    assert call(site, url).headers["x-page-cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        story.title = "座谈会在上海举行"
        services.article_save(article=story, user=editor, changed_fields=["title"])

    answer = call(site, url)
    assert answer.headers["x-page-cache"] == "miss"
    assert "座談會在上海舉行" in answer.text() and "座談會在滬舉行" not in answer.text()


def test_a_scheduled_article_appears_at_its_time_without_any_purge(site, news, editor, django_capture_on_commit_callbacks):
    when = timezone.now() + timedelta(seconds=1.5)
    with django_capture_on_commit_callbacks(execute=True):
        later = Article(category=news["company"], title="定时发布的文章", body="<p>正文。</p>")
        services.article_save(article=later, user=editor)
        services.article_publish(article=later, user=editor, publish_at=when)

    first = call(site, "/category/company/")
    assert "定时发布的文章" not in first.text()
    entry = site.store.get(f"http://{HOST}/category/company/")
    assert entry.expires <= when.timestamp()  # no page outlives the next publish time
    assert call(site, "/category/company/").headers["x-page-cache"] == "hit"

    time.sleep(max(0.0, when.timestamp() - time.time()) + 0.1)
    answer = call(site, "/category/company/")
    assert answer.headers["x-page-cache"] == "miss"
    assert "定时发布的文章" in answer.text()


def test_a_glossary_change_drops_every_page(site, news, editor, django_capture_on_commit_callbacks):
    warm(site, {"/", "/zh-tw/", f"/zh-tw/article/{news['story'].pk}/"})
    with django_capture_on_commit_callbacks(execute=True):
        services.glossary_term_save(term=GlossaryTerm(term="座谈会"), user=editor)

    assert site.store.keys() == set()
    assert "座谈会" in call(site, f"/zh-tw/article/{news['story'].pk}/").text()  # kept as written now


def test_a_category_change_drops_every_page(site, news, editor, django_capture_on_commit_callbacks):
    warm(site, {"/", "/category/industry/"})
    with django_capture_on_commit_callbacks(execute=True):
        news["notices"].name = "公告"
        services.category_save(category=news["notices"], user=editor, changed_fields=["name"])

    assert site.store.keys() == set()
    assert "公告" in call(site, "/").text()


def test_without_a_memo_a_change_drops_every_list(site, news, editor, django_capture_on_commit_callbacks):
    """An article from before the cache (or bulk-imported) may be listed anywhere: assume the worst."""
    old = news["industry_articles"][0]
    before = warm(site, {"/category/industry/", "/category/company/?page=2", "/category/news/", f"/article/{news['company_articles'][0].pk}/"})
    with django_capture_on_commit_callbacks(execute=True):
        old.title = "行业动态（更正）"
        services.article_save(article=old, user=editor, changed_fields=["title"])

    assert set(before) - set(stored(site)) == {"/category/industry/", "/category/company/?page=2", "/category/news/"}


def test_signed_in_editors_are_never_served_or_stored(site, news, client, editor):
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    answer = call(site, "/", cookie=cookie)

    assert answer.code == 200 and "x-page-cache" not in answer.headers
    assert site.store.keys() == set()


def test_an_import_that_creates_a_category_changes_the_next_cached_home_page(site, news, editor, django_capture_on_commit_callbacks):
    """The importer writes through news.services: a section it creates reaches the navigation at once."""
    from xinwen.importer.pipeline import Source, page_prepare
    from xinwen.importer.services import ImportOptions, legacy_page_import

    warm(site, {"/", f"/article/{news['story'].pk}/", "/zh-tw/"})
    html = (
        '<html><head><meta charset="utf-8"><title>园区开放日_旧站</title></head><body>'
        '<div class="position">当前位置：首页 &gt; 新闻中心 &gt; 园区风采 &gt; 正文</div><h1>园区开放日活动举行</h1>'
        '<div class="info">来源：本站　发布时间：2024-05-06 10:00</div>'
        "<div class=\"content\"><p>园区开放日当天，三百余名市民走进厂区参观生产线。</p></div></body></html>"
    ).encode()
    url = "http://old.example/news/9.html"
    page = page_prepare(Source(ref=url, kind="html", data=html, url=url), tz=timezone.get_current_timezone())
    with django_capture_on_commit_callbacks(execute=True):
        legacy_page_import(page=page, options=ImportOptions(create_categories=True, user=editor))

    for path in ("/", f"/article/{news['story'].pk}/"):
        response = call(site, path)
        assert response.headers["x-page-cache"] == "miss", path
        assert "园区风采" in response.text(), path
    assert "園區風采" in call(site, "/zh-tw/").text()


def test_deleting_drops_its_pages_at_once_and_restoring_brings_it_back(site, news, editor, django_capture_on_commit_callbacks):
    """The recycle bin is gone from every public surface at once: page, lists, home, feeds, sitemap."""
    before = warm(site, warm_paths(news))
    story = news["story"]

    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=story, user=editor)

    dropped = set(before) - set(stored(site))
    # It was the newest: the five after it in the list linked it; the other company articles did not.
    ranked = list(Article.objects.published().filter(category=news["company"]).order_by("-publish_at", "-id"))
    others = details(ranked[5:])
    assert others and others <= set(before)
    assert dropped == set(before) - {"/category/industry/"} - details(news["industry_articles"]) - others
    assert call(site, f"/article/{story.pk}/").code == 404
    assert TOKEN not in call(site, "/").text()
    assert TOKEN not in call(site, "/zh-tw/feeds/rss.xml").text()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_restore(article=story, user=editor)
    assert call(site, f"/article/{story.pk}/").code == 200
    assert TOKEN in call(site, "/").text()


def test_an_unpublish_time_takes_the_article_off_every_page_without_any_purge(site, news, editor, django_capture_on_commit_callbacks):
    story = news["story"]
    when = timezone.now() + timedelta(seconds=1.5)
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish_at = when
        services.article_save(article=story, user=editor, changed_fields=["unpublish_at"])

    assert TOKEN in call(site, "/category/company/").text()
    assert call(site, f"/article/{story.pk}/").code == 200
    entry = site.store.get(f"http://{HOST}/category/company/")
    assert entry.expires <= when.timestamp()  # no stored page outlives the unpublish time
    assert call(site, "/category/company/").headers["x-page-cache"] == "hit"

    time.sleep(max(0.0, when.timestamp() - time.time()) + 0.1)
    assert TOKEN not in call(site, "/category/company/").text()
    assert TOKEN not in call(site, "/").text()
    assert call(site, f"/article/{story.pk}/").code == 404


def test_a_site_settings_change_drops_every_page(site, news, django_capture_on_commit_callbacks):
    from xinwen.news.models import SiteSettings

    warm(site, {"/", "/zh-tw/", f"/article/{news['story'].pk}/", "/sitemap/"})
    with django_capture_on_commit_callbacks(execute=True):
        services.site_settings_save(site_settings=SiteSettings(icp_number="京ICP备00000000号-1"), user=services.OPERATOR)

    assert site.store.keys() == set()
    assert "京ICP备00000000号-1" in call(site, "/zh-tw/").text()


def test_a_batch_of_notices_drops_what_the_notices_drop_one_by_one(cache_on, tree, editor, django_capture_on_commit_callbacks):
    """An import's batch (news.changes.batched) purges once: the same tags, and the same memos afterwards."""
    from xinwen.news import pagetags
    from xinwen.pagecache.services import article_pages_purge, articles_pages_purge

    with django_capture_on_commit_callbacks(execute=True):
        moved, withdrawn = (make_article(category=tree["company"], title=f"稿件{i}") for i in range(2))
        for article in (moved, withdrawn):
            services.article_save(article=article, user=editor)  # the memo of where each is listed
    fresh = make_article(category=tree["industry"], title="新导入")
    Article.objects.filter(pk=moved.pk).update(category=tree["industry"])
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.DRAFT)
    notices = [{"article_id": fresh.pk, "action": "create"}, {"article_id": fresh.pk, "action": "change"},
               {"article_id": moved.pk, "action": "change"}, {"article_id": withdrawn.pk, "action": "unpublish"}]  # fmt: skip
    memos = {pk: cache_on.memo_get(f"placement-{pk}") for pk in (fresh.pk, moved.pk, withdrawn.pk)}

    one_by_one = set().union(*(article_pages_purge(**notice) for notice in notices))
    after_one_by_one = {pk: cache_on.memo_get(f"placement-{pk}") for pk in memos}
    for pk, memo in memos.items():
        cache_on.memo_set(f"placement-{pk}", memo)
    batch = articles_pages_purge(notices=notices)

    assert batch == one_by_one and {pagetags.HOME, pagetags.category_list(tree["industry"].pk)} <= batch
    assert {pk: cache_on.memo_get(f"placement-{pk}") for pk in memos} == after_one_by_one


def test_listing_an_article_in_another_section_drops_that_sections_pages_and_not_its_articles(site, news, editor, django_capture_on_commit_callbacks):
    """同时发布到: the other section's lists, feeds and the home page change; its articles' previous/next do not."""
    from xinwen.news.models import SiteSettings

    with django_capture_on_commit_callbacks(execute=True):
        services.site_settings_save(site_settings=SiteSettings(cross_listing=True), user=services.OPERATOR)
    industry_lists = {f"{prefix}/category/industry/" for prefix in VARIANT_PREFIXES}
    before = warm(site, warm_paths(news) | industry_lists | {"/feeds/industry/rss.xml"})
    story = news["story"]
    assert TOKEN not in call(site, "/category/industry/").text()

    with django_capture_on_commit_callbacks(execute=True):
        services.article_also_in_set(article=story, category_ids=[news["industry"].pk], user=editor)

    dropped = set(before) - set(stored(site))
    shows_it = {path for path, body in before.items() if TOKEN.encode() in body}  # article:<id> drops these
    feeds_and_sitemaps = {"/zh-tw/feeds/rss.xml", "/feeds/industry/rss.xml", "/feeds/industry/atom.xml", "/sitemap.xml"}
    # Besides: only the lists it entered. Not 新闻中心's further pages (it was listed there already),
    # and not 行业动态's articles, whose previous/next and related follow their own section.
    assert dropped == shows_it | industry_lists | feeds_and_sitemaps
    assert {"/category/news/?page=2", "/category/company/?page=2"}.isdisjoint(dropped)
    assert call(site, "/zh-tw/category/industry/").text().count(TOKEN) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.article_also_in_set(article=story, category_ids=[], user=editor)
    assert TOKEN not in call(site, "/category/industry/").text()
