"""Planner statistics that describe a table of another size are refreshed when `xinwen serve` starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xinwen.news.models import Article
from xinwen.news.selectors import article_around
from xinwen.news.statistics import STALE_ROWS, article_statistics_refresh, article_statistics_stale
from xinwen.news.tests.vm_steps import vm_steps
from xinwen.serving.prefork import refresh_statistics


def _add(tree, count: int, *, start: int = 0) -> None:
    now = timezone.now()
    sections = [tree["company"], tree["industry"], tree["notices"]]
    Article.objects.bulk_create(
        Article(title=f"第{n}篇", body="<p>正文。</p>", category=sections[n % 3], status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(hours=n + 1))
        for n in range(start, start + count)
    )  # fmt: skip


def test_statistics_taken_at_a_few_articles_are_refreshed_once_the_site_has_grown(tree):
    _add(tree, 30)
    assert article_statistics_refresh()
    assert not article_statistics_stale()
    _add(tree, 30, start=30)  # twice the size, but a few dozen rows: plans alike either way
    assert not article_statistics_stale()

    _add(tree, 3000, start=60)  # a site grown by editing since: SQLite keeps the old statistics
    assert article_statistics_stale()
    oldest = Article.objects.filter(category=tree["company"]).order_by("publish_at", "id")[3]
    article_around(oldest)
    before = vm_steps(lambda: article_around(oldest)) if connection.vendor == "sqlite" else None

    assert refresh_statistics() is True  # what `xinwen serve` does before forking
    assert not article_statistics_stale()
    assert refresh_statistics() is False  # nothing to do on the next start
    if connection.vendor == "sqlite":
        after = vm_steps(lambda: article_around(oldest))
        # With the statistics of 30 rows the planner scanned the 3,060 to fetch ten.
        assert after <= 30 < before, (before, after)


def test_a_site_without_statistics_gets_them_once_it_has_articles(tree):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'news_article'")
    else:
        pytest.skip("PostgreSQL's statistics of a table cannot be removed; the test above covers its sizes")
    _add(tree, STALE_ROWS - 1)
    assert not article_statistics_stale()
    _add(tree, 1, start=STALE_ROWS)
    assert article_statistics_stale()
    assert refresh_statistics() and not article_statistics_stale()
