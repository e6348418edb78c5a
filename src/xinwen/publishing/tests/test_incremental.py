"""After a full build, each change notice rewrites exactly the files that show the change."""

import io

import pytest
from django.core.management import call_command

from xinwen.conftest import make_article
from xinwen.news.services import article_save, article_unpublish
from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.services import site_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(news, target, settings):
    site_publish(target=target)
    settings.PUBLISH_DIR = str(target)
    return target


def stamps(root):
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*.html")}


def test_an_edit_rewrites_its_pages_and_the_lists_that_show_it_and_nothing_else(live, news, editor, django_capture_on_commit_callbacks):
    article = news["industry_article"]
    untouched = news["articles"][0]  # another section, not a neighbour
    before = stamps(live.resolve())
    article.title = "行业动态：新标题"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, user=editor, changed_fields=["title"])
    after = stamps(live.resolve())
    rewritten = {path for path in after if after[path] != before.get(path)}
    for prefix in ("", "zh-hant/", "zh-tw/", "zh-hk/"):
        assert f"{prefix}article/{article.pk}/index.html" in rewritten
        assert f"{prefix}index.html" in rewritten  # home lists it
        assert f"{prefix}category/industry/index.html" in rewritten
    assert "新标题" in (live / f"article/{article.pk}/index.html").read_text()
    assert "新標題" in (live / f"zh-tw/article/{article.pk}/index.html").read_text()
    assert f"article/{untouched.pk}/index.html" not in rewritten
    assert "category/company/index.page-2.html" not in rewritten
    assert tree_verify(live.resolve()) == []  # the manifest was signed again


def test_unpublishing_removes_its_files_and_a_new_article_adds_its_own(live, news, editor, django_capture_on_commit_callbacks):
    gone = news["industry_article"]
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=gone, user=editor)
    assert not (live / f"article/{gone.pk}/index.html").exists()
    assert not (live / f"zh-hk/article/{gone.pk}/index.html.gz").exists()
    assert "行业动态：装备制造" not in (live / "index.html").read_text()

    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_article(category=news["company"], title="新发布的公司新闻", days_ago=0.01)
        article_save(article=fresh, user=editor, changed_fields=["title"])
    assert "新发布的公司新闻" in (live / f"article/{fresh.pk}/index.html").read_text()
    assert "公司新聞" in (live / f"zh-hant/article/{fresh.pk}/index.html").read_text()
    assert "新发布的公司新闻" in (live / "category/company/index.html").read_text()
    assert "新发布的公司新闻" in (live / "feeds/rss.xml").read_text()
    assert tree_verify(live.resolve()) == []


def test_a_new_article_rewrites_the_pages_of_its_nearest_articles_not_its_whole_section(live, news, editor, django_capture_on_commit_callbacks):
    """相关文章 are the nearest in time: a publish rewrites five article pages per script, not 22."""
    before = stamps(live.resolve())
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_article(category=news["company"], title="刚刚发布的公司新闻", days_ago=0.01)
        article_save(article=fresh, user=editor, changed_fields=["title"])
    after = stamps(live.resolve())
    rewritten = {path for path in after if after[path] != before.get(path)}
    newest_first = news["articles"][::-1]
    for prefix in ("", "zh-hant/", "zh-tw/", "zh-hk/"):
        pages = {path for path in rewritten if path.startswith(f"{prefix}article/") and path != f"{prefix}article/{fresh.pk}/index.html"}
        assert pages == {f"{prefix}article/{a.pk}/index.html" for a in newest_first[:5]}
    assert "刚刚发布的公司新闻" in (live / f"article/{newest_first[0].pk}/index.html").read_text()  # its 下一篇
    assert tree_verify(live.resolve()) == []


def test_publish_changed_catches_up_with_what_happened_while_nothing_listened(news, target, editor):
    site_publish(target=target)
    article = news["articles"][-1]
    article.title = "离线时改的标题"
    article_save(article=article, user=editor, changed_fields=["title"])  # no PUBLISH_DIR: no subscriber
    out = io.StringIO()
    call_command("publish", "--to", str(target), "--changed", "--no-progress", stdout=out)
    assert "增量发布" in out.getvalue()
    assert "离线时改的标题" in (target / f"article/{article.pk}/index.html").read_text()
    assert tree_verify(target.resolve()) == []


def test_a_category_rename_makes_a_new_full_release(live, news, editor, django_capture_on_commit_callbacks):
    from xinwen.news.services import category_save
    from xinwen.publishing import files

    first = files.current_release(live)
    category = news["industry"]
    category.name = "行业资讯"
    with django_capture_on_commit_callbacks(execute=True):
        category_save(category=category, user=editor, changed_fields=["name"])
    assert files.current_release(live) != first
    assert "行业资讯" in (live / f"article/{news['articles'][0].pk}/index.html").read_text()  # navigation


def test_moving_an_article_rewrites_both_sections(live, news, editor, django_capture_on_commit_callbacks):
    article = news["industry_article"]
    article.category = news["notices"]
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, user=editor, changed_fields=["category"])
    assert "行业动态：装备制造" not in (live / "category/industry/index.html").read_text()
    assert "行业动态：装备制造" in (live / "category/notices/index.html").read_text()
    assert "裝備製造" in (live / "zh-hk/category/notices/index.html").read_text()
    assert "通知公告" in (live / f"article/{article.pk}/index.html").read_text()  # its breadcrumb
    assert tree_verify(live.resolve()) == []


@pytest.fixture
def cross_listing(db):
    from xinwen.news.models import SiteSettings
    from xinwen.news.services import site_settings_save

    site_settings_save(site_settings=SiteSettings(cross_listing=True), user=None)


def test_listing_an_article_in_another_section_rewrites_that_sections_files(cross_listing, live, news, editor, django_capture_on_commit_callbacks):
    from xinwen.news.services import article_also_in_set

    article = news["industry_article"]
    before = stamps(live)
    with django_capture_on_commit_callbacks(execute=True):
        article_also_in_set(article=article, category_ids=[news["notices"].pk], user=editor)
    assert "行业动态：装备制造" in (live / "category/notices/index.html").read_text()
    assert "裝備製造" in (live / "zh-tw/category/notices/index.html").read_text()
    assert "行业动态：装备制造" in (live / "category/industry/index.html").read_text()  # still in its own
    assert "通知公告" not in (live / f"article/{article.pk}/index.html").read_text().split("当前位置")[1].split("</nav>")[0]
    changed = {path for path, stamp in stamps(live).items() if before.get(path) != stamp}
    assert "category/notices/index.html" in changed and "category/company/index.html" not in changed
    assert tree_verify(live.resolve()) == []

    with django_capture_on_commit_callbacks(execute=True):
        article_also_in_set(article=article, category_ids=[], user=editor)
    assert "行业动态：装备制造" not in (live / "category/notices/index.html").read_text()
    assert tree_verify(live.resolve()) == []


def test_deleting_an_article_removes_its_files(live, news, editor, django_capture_on_commit_callbacks):
    from xinwen.news.services import article_delete

    article = news["articles"][-1]
    with django_capture_on_commit_callbacks(execute=True):
        article_delete(article=article, user=editor)
    for prefix in ("", "zh-hant/", "zh-tw/", "zh-hk/"):
        assert not (live / f"{prefix}article/{article.pk}/index.html").exists()
    assert article.title not in (live / "category/company/index.html").read_text()
    assert tree_verify(live.resolve()) == []


def test_a_glossary_change_makes_a_new_full_release(live, news, django_capture_on_commit_callbacks):
    from xinwen.hanzi.models import GlossaryTerm
    from xinwen.news.services import glossary_term_save
    from xinwen.publishing import files

    first = files.current_release(live)
    article = news["industry_article"]
    with django_capture_on_commit_callbacks(execute=True):
        glossary_term_save(term=GlossaryTerm(term="装备制造", mode=GlossaryTerm.Mode.FORCE, zh_tw="設備製造"), user=None)
    assert files.current_release(live) != first
    assert "設備製造" in (live / f"zh-tw/article/{article.pk}/index.html").read_text()
    assert tree_verify(live.resolve()) == []


def test_a_site_settings_change_is_caught_up_by_publish_changed(news, target, django_capture_on_commit_callbacks):
    from xinwen.news.models import SiteSettings
    from xinwen.news.services import site_settings_save
    from xinwen.publishing.services import site_publish_changed

    site_publish(target=target)
    settings_row = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).first() or SiteSettings()
    settings_row.site_name = "东方智联新闻网"
    with django_capture_on_commit_callbacks(execute=True):  # no PUBLISH_DIR: the tree is not told
        site_settings_save(site_settings=settings_row, user=None, changed_fields=["site_name"])
    assert site_publish_changed(target=target).full
    assert "东方智联新闻网" in (target / "index.html").read_text()


def test_scheduled_publish_and_unpublish_times_are_published_when_they_pass(news, target):
    """No notice announces a time passing: `publish --changed` (and the worker, woken at that time) catches it."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from xinwen.publishing.services import next_change_time, site_publish_changed

    soon = timezone.now() + timedelta(hours=1)
    later = timezone.now() + timedelta(hours=3)
    scheduled = make_article(category=news["company"], title="定时发布的新闻", publish_at=soon)
    leaving = news["industry_article"]
    type(leaving).objects.filter(pk=leaving.pk).update(unpublish_at=later)
    site_publish(target=target)
    assert not (target / f"article/{scheduled.pk}/index.html").exists()
    assert next_change_time() == pytest.approx(soon.timestamp())  # when the worker wakes

    with time_machine.travel(soon + timedelta(minutes=1)):
        report = site_publish_changed(target=target)
        assert not report.full
        assert "定时发布的新闻" in (target / f"article/{scheduled.pk}/index.html").read_text()
        assert "定时发布的新闻" in (target / "category/company/index.html").read_text()
        assert next_change_time() == pytest.approx(later.timestamp())
    with time_machine.travel(later + timedelta(minutes=1)):
        site_publish_changed(target=target)
        assert not (target / f"zh-tw/article/{leaving.pk}/index.html").exists()
        assert "行业动态：装备制造" not in (target / "index.html").read_text()
        assert tree_verify(target.resolve()) == []


def test_the_edited_articles_own_pages_are_in_place_before_the_rest_of_the_change_is_worked_out(
    live, news, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """The editor opens the article to check an edit: its pages go first, before every article's state is read."""
    from xinwen.publishing import services

    article = news["articles"][10]
    seen_when_states_read = []
    read_states = services._article_states

    def states_spy():
        seen_when_states_read.append((live / f"zh-tw/article/{article.pk}/index.html").read_text())
        return read_states()

    monkeypatch.setattr(services, "_article_states", states_spy)
    article.title = "先行写入的新标题"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, user=editor, changed_fields=["title"])
    assert len(seen_when_states_read) == 1
    assert "先行寫入的新標題" in seen_when_states_read[0]
    assert "先行写入的新标题" in (live / "category/company/index.html").read_text()  # and the rest followed
    assert tree_verify(live.resolve()) == []


def test_a_first_page_linking_to_a_page_not_yet_written_waits_until_that_page_is_there(live, news, editor, settings, monkeypatch):
    """Saved while no publisher listened: an article is published and its neighbour edited; the
    neighbour's page now links to the new article (下一篇, 相关文章), so it may not go first."""
    from xinwen.publishing import files, services

    settings.PUBLISH_DIR = ""
    newest = news["articles"][-1]
    fresh = make_article(category=news["company"], title="尚未写入的新文章", days_ago=0.01)
    article_save(article=fresh, user=editor, changed_fields=["title"])
    newest.title = "链接到新文章的旧文章"
    article_save(article=newest, user=editor, changed_fields=["title"])
    settings.PUBLISH_DIR = str(live)

    order = []
    write_many = files.write_many

    def write_spy(root, items):
        order.extend(rel for rel, _data in items)
        return write_many(root, items)

    monkeypatch.setattr(files, "write_many", write_spy)
    services.site_publish_changed(target=live, first=[newest.pk])
    page = live / f"article/{newest.pk}/index.html"
    assert f'href="/article/{fresh.pk}/"' in page.read_text() and "链接到新文章的旧文章" in page.read_text()
    assert order.index(f"article/{fresh.pk}/index.html") < order.index(f"article/{newest.pk}/index.html")
    assert tree_verify(live.resolve()) == []


def test_page_links_are_the_links_to_pages_the_tree_holds():
    from xinwen.publishing.build import page_links

    body = (
        '<a href="/article/12/">a</a><a href="/zh-tw/category/company/?page=3">b</a><a href="/">c</a>'
        '<a href="/tag/%E5%AE%89%E5%85%A8/">d</a><a href="/article/12/ruby/">pinyin</a>'
        '<a href="/search/?q=x">s</a><link href="/static/site.css"><a href="https://example.org/article/1/">x</a>'
    ).encode()
    assert page_links(body) == {"/article/12/", "/zh-tw/category/company/?page=3", "/", "/tag/安全/"}
