"""Counting in Redis: flushes that are exactly-once across crashes, and an answered count that stays exact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from xinwen.news import services as editorial
from xinwen.stats import services, store_redis
from xinwen.stats.errors import ArticleNotFound
from xinwen.stats.models import DailyViews, FlushedBatch
from xinwen.stats.tests.conftest import READER_UA

pytestmark = pytest.mark.django_db


def view(article, n: int, **kwargs):
    return services.view_record(article_id=article.pk, address=f"198.51.100.{n}", user_agent=READER_UA, **kwargs)


def stored(article) -> int:
    article.refresh_from_db()
    return article.view_count


def test_views_wait_in_redis_until_a_flush(redis_store, article):
    answers = [view(article, n).views for n in range(1, 6)]

    assert answers == [276, 277, 278, 279, 280]  # the live count, before any flush
    assert stored(article) == 275
    report = services.views_flush()
    assert (report.views, report.batches, report.store) == (5, 1, "redis")
    assert stored(article) == 280
    assert DailyViews.objects.get(article=article).views == 5
    assert services.views_flush().views == 0  # nothing twice


def test_answered_count_stays_exact_across_flushes(redis_store, article):
    answers = []
    for n in range(1, 31):
        answers.append(view(article, n).views)
        if n % 7 == 0:
            services.views_flush()

    assert answers == list(range(276, 306))
    services.views_flush()
    assert stored(article) == 305


def test_flusher_killed_after_its_commit_does_not_count_twice(redis_store, article, monkeypatch):
    for n in range(1, 11):
        view(article, n)

    def die(*args, **kwargs):
        raise SystemExit("killed after the commit, before cleaning up Redis")

    monkeypatch.setattr(store_redis.RedisStore, "_forget", die)
    with pytest.raises(SystemExit):
        services.views_flush()
    monkeypatch.undo()
    assert stored(article) == 285  # committed

    for n in range(11, 14):
        view(article, n)
    services.views_flush()  # finds the orphaned batch and its id in FlushedBatch: discards it

    assert stored(article) == 288
    assert DailyViews.objects.get(article=article).views == 13
    assert view(article, 99).views == 289  # the cached count was reloaded, not double-counted
    assert redis_store.client.zcard(redis_store.batches) == 0


def test_flusher_killed_before_its_commit_loses_nothing(redis_store, article, monkeypatch):
    for n in range(1, 11):
        view(article, n)

    def die(*args, **kwargs):
        raise SystemExit("killed inside the transaction")

    monkeypatch.setattr(store_redis, "counts_apply", die)
    with pytest.raises(SystemExit):
        services.views_flush()
    monkeypatch.undo()
    assert stored(article) == 275  # rolled back; the batch is still in Redis
    assert view(article, 11).views == 286

    services.views_flush()

    assert stored(article) == 286
    assert FlushedBatch.objects.count() == 2


def test_a_cache_miss_during_a_flush_answers_and_stores_exactly(redis_store, article):
    for n in range(1, 4):
        view(article, n)
    redis_store.article_forget(article.pk)  # a miss ...
    now_ms = int(timezone.now().timestamp() * 1000)
    redis_store._claim(  # ... while a batch is in flight (claimed, not yet written)
        keys=[redis_store.pending_total, redis_store.pending_daily, redis_store.batches],
        args=["in-flight", now_ms, redis_store.batch_prefix],
    )

    assert view(article, 4).views == 279  # database 275 + batch 3 + this one
    services.views_flush()
    assert view(article, 5).views == 280
    services.views_flush()
    assert stored(article) == 280


def test_unpublishing_stops_counting_at_once(redis_store, article, editor, django_capture_on_commit_callbacks):
    assert view(article, 1).counted  # the article's public state is now cached in Redis

    with django_capture_on_commit_callbacks(execute=True):
        editorial.article_unpublish(article=article, user=editor)

    with pytest.raises(ArticleNotFound):
        view(article, 2)


def test_rescheduling_into_the_future_stops_counting(redis_store, article, editor, django_capture_on_commit_callbacks):
    assert view(article, 1).counted
    article.publish_at = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        editorial.article_save(article=article, user=editor, changed_fields=["publish_at"])

    with pytest.raises(ArticleNotFound):
        view(article, 2)


def test_deleted_article_with_pending_views_does_not_break_the_flush(redis_store, article, tree):
    from xinwen.conftest import make_article

    other = make_article(category=tree["company"], view_count=5)
    view(article, 1)
    view(other, 1)
    article.delete()

    report = services.views_flush()

    assert report.batches == 1
    assert stored(other) == 6


def test_redis_down_counts_in_the_database(settings, article):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    outcome = view(article, 1)

    assert outcome.counted and outcome.views == 276
    assert stored(article) == 276


def test_flush_views_command(redis_store, article, capsys):
    view(article, 1)
    view(article, 2)

    call_command("flush_views")

    assert stored(article) == 277
    assert "2 views in 1 batches" in capsys.readouterr().out


def test_statistics_pages_show_views_still_buffered_in_redis(redis_store, article, client, editor):
    view(article, 1)
    view(article, 2)
    client.force_login(editor)

    dashboard = client.get("/admin/stats/dailyviews/")
    change = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()

    assert dict(dashboard.context["summary"])["今日"] == 2
    assert "其中本站统计 <strong>2</strong>" in change
    assert stored(article) == 277
