"""What readers get from the stats app: the beacon on article pages and the 热门文章 block."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news import services as editorial
from xinwen.news.models import Article
from xinwen.stats.models import DailyViews

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = ""


def test_article_page_sends_the_beacon_and_has_the_noscript_image(client, article):
    html = client.get(f"/article/{article.pk}/").content.decode()

    assert re.search(
        rf'<script src="/static/stats/beacon\.[0-9a-f]{{12}}\.js" defer data-endpoint="/stats/view/" data-article="{article.pk}"></script>', html
    )
    assert f'<noscript><img class="view-pixel" src="/stats/view/{article.pk}.gif" alt="" width="1" height="1"></noscript>' in html
    assert '<span class="view-count">275</span>' in html


def test_article_page_in_another_script_beacons_to_the_same_counter(client, article):
    html = client.get(f"/zh-tw/article/{article.pk}/").content.decode()

    assert f'data-endpoint="/zh-tw/stats/view/" data-article="{article.pk}"' in html


def test_an_editors_preview_is_not_a_view(client, tree, editor):
    draft = make_article(category=tree["company"], status=Article.Status.DRAFT)
    client.force_login(editor)

    html = client.get(f"/article/{draft.pk}/").content.decode()

    assert "preview-banner" in html
    assert "beacon.js" not in html and "view-pixel" not in html


def test_rendering_a_page_counts_nothing(client, article):
    """Counting happens by beacon only: crawlers and caches that fetch the page count nothing."""
    for _ in range(3):
        client.get(f"/article/{article.pk}/")

    article.refresh_from_db()
    assert article.view_count == 275


def _popular(html: str) -> list[str]:
    block = re.search(r'<section class="block popular".*?</section>', html, re.S)
    assert block, "no 热门文章 block on the home page"
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', block.group(0))


def _popular_counts(html: str) -> list[str]:
    block = re.search(r'<section class="block popular".*?</section>', html, re.S)
    return re.findall(r'<span class="popular-views">([^<]+)</span>', block.group(0))


@pytest.fixture
def ranked(tree):
    """B is most read this week, C next; A only has an old (imported) count; D is a draft."""
    today = timezone.localdate()
    a = make_article(category=tree["company"], title="甲：旧文章", view_count=1000, days_ago=100)
    b = make_article(category=tree["industry"], title="乙：本周最热", view_count=10, days_ago=3)
    c = make_article(category=tree["notices"], title="丙：本周次热", view_count=500, days_ago=3)
    d = make_article(category=tree["company"], title="丁：草稿", status=Article.Status.DRAFT)
    DailyViews.objects.bulk_create(
        [
            DailyViews(article=b, day=today, views=30),
            DailyViews(article=b, day=today - timedelta(days=2), views=20),
            DailyViews(article=c, day=today - timedelta(days=1), views=5),
            DailyViews(article=a, day=today - timedelta(days=30), views=900),  # not this week
            DailyViews(article=d, day=today, views=9999),
        ]
    )
    return {"a": a, "b": b, "c": c, "d": d}


def test_popular_block_ranks_this_weeks_views_then_all_time(client, ranked):
    html = client.get("/").content.decode()

    assert "<h2 id=\"popular-heading\">热门文章</h2>" in html
    assert _popular(html) == ["乙：本周最热", "丙：本周次热", "甲：旧文章"]
    # Each shows the count it is ranked by: 乙 (10 all-time, 50 this week) above 丙 (500, 5).
    assert _popular_counts(html) == ["近7天 50 次", "近7天 5 次", "累计 1000 次"]


def test_popular_block_in_traditional_script(client, ranked):
    html = client.get("/zh-hant/").content.decode()

    assert "<h2 id=\"popular-heading\">熱門文章</h2>" in html
    assert _popular(html) == ["乙：本週最熱", "丙：本週次熱", "甲：舊文章"]
    assert _popular_counts(html) == ["近7天 50 次", "近7天 5 次", "累計 1000 次"]


def test_unpublished_article_leaves_the_block_at_once(client, ranked, editor):
    client.get("/")  # the ranking is now cached

    editorial.article_unpublish(article=ranked["b"], user=editor)

    assert _popular(client.get("/").content.decode()) == ["丙：本周次热", "甲：旧文章"]


def test_no_block_on_a_site_without_articles(client, db):
    assert 'class="block popular"' not in client.get("/").content.decode()


def test_unread_articles_are_not_popular(client, tree):
    make_article(category=tree["company"], title="无人阅读")
    read = make_article(category=tree["company"], title="有人阅读", view_count=1)

    assert _popular(client.get("/").content.decode()) == [read.title]


def _page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>检查</title></head><body>{body}</body></html>'


def test_the_stats_parts_of_pages_are_valid_html5(client, ranked, admin_user, tmp_path):
    """The markup this app adds (whole pages are checked by hanzi's test_html5, with everyone's parts)."""
    from xinwen.hanzi.tests.test_html5 import validator_command

    command = validator_command()
    seed = ranked["b"]
    parts = {
        "popular": (r'<section class="block popular".*?</section>', "/"),
        "popular-zh-hk": (r'<section class="block popular".*?</section>', "/zh-hk/"),
        "beacon": (r'<script src="/static/stats/beacon\.[0-9a-f]{12}\.js".*?</noscript>', f"/article/{seed.pk}/"),
    }
    for name, (pattern, path) in parts.items():
        (tmp_path / f"{name}.html").write_text(_page(re.search(pattern, client.get(path).content.decode(), re.S).group(0)))
    client.force_login(admin_user)
    (tmp_path / "admin-dashboard.html").write_bytes(client.get("/admin/stats/dailyviews/").content)
    # The article's change page also has the editor's own (importmap) markup; check the stats part alone.
    change = client.get(f"/admin/news/article/{seed.pk}/change/").content.decode()
    chart = re.search(r'<link rel="stylesheet" href="/static/stats/admin\.[0-9a-f]{12}\.css">\s*<fieldset.*?</fieldset>', change, re.S)
    (tmp_path / "admin-article-chart.html").write_text(_page(chart.group(0)))

    result = subprocess.run([*command, "--root", str(tmp_path), "--no-langdetect"], capture_output=True, text=True, timeout=120)

    errors = [line for line in (result.stdout + result.stderr).splitlines() if ": error:" in line or ": fatal:" in line]
    assert errors == [], "HTML5 errors:\n" + "\n".join(errors)
