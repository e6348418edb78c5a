"""头条, 焦点图 and 推荐 on the home page: who gets in, in which order, and that a flag drops the stored home page."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from xinwen.conftest import make_article
from xinwen.news import pagetags
from xinwen.news.models import Article
from xinwen.news.purges import article_purge_tags
from xinwen.news.selectors import article_placement, featured_blocks, home_blocks

pytestmark = pytest.mark.django_db


def cover() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (960, 540), (11, 87, 208)).save(out, "JPEG")
    return SimpleUploadedFile("cover.jpg", out.getvalue(), content_type="image/jpeg")


def flagged(tree, days_ago, **flags) -> Article:
    return make_article(category=tree["company"], days_ago=days_ago, cover=cover() if flags.pop("with_cover", False) else "", **flags)


def test_each_place_holds_the_newest_flagged_articles_and_focus_needs_a_cover(tree):
    headlines = [flagged(tree, n, headline=True) for n in (5, 1, 3)]
    slides = [flagged(tree, n, focus=True, with_cover=True) for n in range(1, 8)]
    flagged(tree, 0.5, focus=True)  # no cover: no slide
    recommended = [flagged(tree, n, recommended=True) for n in range(2, 10)]
    make_article(category=tree["company"], status=Article.Status.DRAFT, headline=True)  # not public

    blocks = featured_blocks()

    assert blocks["headlines"] == [headlines[1], headlines[2]]
    assert blocks["focus"] == slides[:5]
    assert blocks["recommended"] == recommended[:6]


def test_the_home_page_shows_each_place(client, tree):
    flagged(tree, 1, headline=True, title="头条新闻示例")
    for n in range(3):
        flagged(tree, n + 2, focus=True, with_cover=True, title=f"焦点新闻{n + 1}")
    flagged(tree, 6, recommended=True, title="推荐新闻示例")

    page = client.get("/").content.decode()

    headline = re.search(r'<section class="headlines".*?</section>', page, re.S).group(0)
    assert "头条新闻示例" in headline
    carousel = re.search(r'<section class="carousel".*?</section>', page, re.S).group(0)
    assert re.findall(r'<span class="carousel-caption">([^<]+)</span>', carousel) == ["焦点新闻1", "焦点新闻2", "焦点新闻3"]
    assert '<div class="carousel-controls" hidden>' in carousel  # shown by the script only
    images = re.findall(r"<img [^>]*>", carousel)
    assert 'loading="lazy"' not in images[0] and all('loading="lazy"' in img for img in images[1:])
    assert "news/carousel" in page and ".js" in page
    assert "推荐新闻示例" in re.search(r'<section class="block recommended".*?</section>', page, re.S).group(0)


def test_a_single_slide_needs_no_script(client, tree):
    flagged(tree, 1, focus=True, with_cover=True)
    page = client.get("/").content.decode()
    assert '<section class="carousel"' in page and "carousel.js" not in page


@pytest.mark.parametrize("flag", ["headline", "focus", "recommended"])
def test_giving_an_article_a_home_place_drops_the_stored_home_page(tree, flag):
    article = flagged(tree, 1, with_cover=True)
    before = article_placement(article.pk)
    Article.objects.filter(pk=article.pk).update(**{flag: True})
    after = article_placement(article.pk)

    assert before != after
    assert pagetags.HOME in article_purge_tags(article_id=article.pk, old=before, new=after)


@contextmanager
def planner_statistics():
    """ANALYZE for one test, as a site's migrations and imports leave them (news/statistics.py).

    PostgreSQL's statistics roll back with the test's transaction. SQLite's table does too,
    but the connection keeps planning with the statistics it loaded, which would change the
    plans of the tests after this one: the earlier rows are put back and loaded again.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("ANALYZE")
            yield
            return
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        saved = None
        if cursor.fetchone()[0]:
            cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
            saved = cursor.fetchall()
        cursor.execute("ANALYZE")
        try:
            yield
        finally:
            cursor.execute("DELETE FROM sqlite_stat1")
            if saved:
                cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", saved)
            cursor.execute("ANALYZE sqlite_schema")  # reload the statistics the planner uses


def test_each_place_is_found_from_its_own_index_not_by_walking_newer_articles(tree):
    """Editors flag a few articles, often older ones: finding them must not read every newer article first.

    Each place's query has a partial index holding only its flagged rows (migration 0020);
    without one, the database walked the articles newest first until enough flagged ones
    came (the home page at 10,000 articles rendered 15 times a second).
    """
    flagged(tree, 30, headline=True)
    flagged(tree, 30, focus=True, with_cover=True)
    flagged(tree, 30, recommended=True)
    now = timezone.now()
    Article.objects.bulk_create(
        Article(category=tree["company"], title=f"较新的文章{n}", body="<p>正文。</p>", status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(hours=n + 1))
        for n in range(300)
    )  # fmt: skip
    plans = []
    with planner_statistics(), connection.cursor() as cursor:
        with CaptureQueriesContext(connection) as ctx:
            blocks = featured_blocks()
        for query in ctx.captured_queries:
            if 'FROM "news_article"' not in query["sql"]:
                continue  # the worker's category tree, read on its first use
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plans.append(" | ".join(row[3] for row in cursor.fetchall()))
            else:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append(" | ".join(row[0] for row in cursor.fetchall()))

    assert [len(blocks[place]) for place in ("headlines", "focus", "recommended")] == [1, 1, 1]
    for place, plan in zip(("headline", "focus", "recommended"), plans, strict=True):
        assert f"article_{place}" in plan, plan


def test_the_home_pages_pinned_and_section_blocks_are_read_in_an_index_order(tree):
    """置顶 and each section's block are the first rows of an index (migration 0021), not a sort of every article.

    Without article_pinned the newest pinned articles were found by walking every public one
    newest first; without article_section_page each section was sorted for its six (0.64 ms a
    block at 10,000 articles, 0.03 ms read in order).
    """
    flagged(tree, 30, pinned=True, title="置顶的旧文章")
    now = timezone.now()
    sections = [tree["company"], tree["industry"], tree["notices"]]
    Article.objects.bulk_create(
        Article(category=sections[n % 3], title=f"较新的文章{n}", body="<p>正文。</p>", status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(hours=n + 1))
        for n in range(600)
    )  # fmt: skip
    plans = {}
    with planner_statistics(), connection.cursor() as cursor:
        with CaptureQueriesContext(connection) as ctx:
            blocks = home_blocks()
        for query in ctx.captured_queries:
            sql = query["sql"]
            if 'FROM "news_article"' not in sql or '"news_article"."id" IN (' in sql:
                continue  # the category tree; the rows of ids already chosen, by primary key
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans[sql] = " | ".join(row[3] for row in cursor.fetchall())
            else:
                cursor.execute("EXPLAIN " + sql)
                plans[sql] = " | ".join(row[0] for row in cursor.fetchall())

    assert [a.title for a in blocks["pinned"]] == ["置顶的旧文章"]
    pinned = [plan for sql, plan in plans.items() if '"news_article"."pinned")' in sql]
    assert len(pinned) == 1 and "article_pinned" in pinned[0], plans
    if connection.vendor == "sqlite":  # PostgreSQL may sort a few hundred rows by its own costs
        heads = [plan for sql, plan in plans.items() if "LIMIT 6" in sql and '"category_id" IN (' in sql]
        assert heads and all("article_section_page" in plan and "TEMP B-TREE" not in plan for plan in heads), plans
