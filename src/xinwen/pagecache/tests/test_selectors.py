"""The page cache's expiry: no stored page outlives the next time-driven change of what readers see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.pagecache.selectors import next_publish_time

S = Article.Status
pytestmark = pytest.mark.django_db


def test_page_cache_expiry_is_the_earlier_of_next_publish_and_next_unpublish(tree):
    now = timezone.now()
    assert next_publish_time() is None
    make_article(category=tree["company"], publish_at=now + timedelta(hours=3))
    assert next_publish_time() == pytest.approx((now + timedelta(hours=3)).timestamp())
    make_article(category=tree["company"], unpublish_at=now + timedelta(hours=1))
    assert next_publish_time() == pytest.approx((now + timedelta(hours=1)).timestamp())
    # Past unpublish times, drafts and deleted articles bound nothing.
    make_article(category=tree["company"], unpublish_at=now - timedelta(hours=1))
    make_article(category=tree["company"], status=S.DRAFT, unpublish_at=now + timedelta(minutes=5))
    binned = make_article(category=tree["company"], unpublish_at=now + timedelta(minutes=10))
    Article.objects.filter(pk=binned.pk).update(deleted_at=now)
    assert next_publish_time() == pytest.approx((now + timedelta(hours=1)).timestamp())


def _plans() -> list[str]:
    """The query plans of next_publish_time's reads, as the database would run them on a large site."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        next_publish_time()
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan
        for query in queries.captured_queries:
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(explain + query["sql"])
            plans.append(" ".join(str(part) for row in cursor.fetchall() for part in row))
    return plans


def test_the_next_change_is_read_from_indexes_not_from_every_article(tree):
    now = timezone.now()
    for n in range(30):
        make_article(category=tree["company"], title=f"旧闻{n}", publish_at=now - timedelta(days=n + 1))
    make_article(category=tree["company"], title="明日发布", publish_at=now + timedelta(days=1))
    make_article(category=tree["company"], title="月底下线", unpublish_at=now + timedelta(days=20))

    from django.db import connection

    live, offline = _plans()
    for plan in (live, offline):
        assert "SCAN news_article" not in plan and "Seq Scan" not in plan, plan  # never a walk of every row
        assert "Index" in plan or "INDEX" in plan, plan
    if connection.vendor == "sqlite":  # and the index of the time itself, with or without statistics
        assert "news_article_publish_at_" in live, live
        assert "article_going_offline" in offline, offline
    assert next_publish_time() == pytest.approx((now + timedelta(days=1)).timestamp())


def test_many_drafts_ahead_do_not_hide_the_next_change(tree):
    from xinwen.news.selectors import AHEAD

    now = timezone.now()
    for n in range(AHEAD + 5):  # more than are read ahead: the sure way answers
        make_article(category=tree["company"], status=S.DRAFT, title=f"草稿{n}", publish_at=now + timedelta(minutes=n + 1))
        binned = make_article(category=tree["company"], title=f"已删{n}", unpublish_at=now + timedelta(minutes=n + 1))
        Article.objects.filter(pk=binned.pk).update(deleted_at=now)
    assert next_publish_time() is None
    make_article(category=tree["company"], title="周末发布", publish_at=now + timedelta(days=2))
    make_article(category=tree["company"], title="下周下线", unpublish_at=now + timedelta(days=3))
    assert next_publish_time() == pytest.approx((now + timedelta(days=2)).timestamp())
