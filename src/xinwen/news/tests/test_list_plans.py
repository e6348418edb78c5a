"""List pages read their ids from an index, in its order, once the planner has statistics (news/statistics.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinwen.news.models import Article
from xinwen.news.statistics import article_statistics_refresh


@pytest.fixture
def many(tree):
    """3,000 published articles over the three sections, with a few deleted and a few taken offline."""
    now = timezone.now()
    sections = [tree["company"], tree["industry"], tree["notices"]]
    Article.objects.bulk_create(
        Article(
            title=f"第{n}篇", body="<p>正文。</p>", category=sections[n % 3], status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=n + 1), pinned=n % 97 == 0,
            deleted_at=now if n % 50 == 7 else None, unpublish_at=now - timedelta(minutes=1) if n % 60 == 11 else None,
        )
        for n in range(3000)
    )  # fmt: skip
    assert article_statistics_refresh()


def _article_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries if 'FROM "news_article"' in q["sql"]]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("path", ["/category/news/?page=40", "/zh-tw/category/company/?page=20"])
def test_a_deep_list_page_never_reads_or_sorts_the_table(client, many, settings, path):
    if connection.vendor != "sqlite":
        pytest.skip("the plans are SQLite's; PostgreSQL chooses by its own statistics (bench/pages.py measures both)")
    settings.PAGE_CACHE = False
    queries = _article_queries(client, path)
    count = next(sql for sql in queries if "COUNT(*)" in sql)
    page = next(sql for sql in queries if "OFFSET" in sql)

    assert "COVERING INDEX" in _plan(count), _plan(count)
    plan = _plan(page)
    assert "TEMP B-TREE" not in plan or "COVERING INDEX" in plan, plan
    if "/category/news/" in path:  # several sections: walked in the order of article_public_page
        assert "article_public_page" in plan and "TEMP B-TREE" not in plan, plan


def test_the_page_is_right_whichever_index_answers(client, many, settings):
    settings.PAGE_CACHE = False
    expected = list(
        Article.objects.published().filter(category__slug="company").order_by("-pinned", "-publish_at", "-id").values_list("title", flat=True)[380:400]
    )
    html = client.get("/category/company/?page=20").content.decode()
    positions = [html.index(f">{title}<") for title in expected]
    assert positions == sorted(positions)
