"""Every write of the stats app: recording a view, flushing buffered counts, housekeeping.

Views (the beacon), each worker's flusher (worker.py) and the `flush_views` command call these and
nothing else. The counting store is Redis when REDIS_URL is set, the database otherwise;
both keep Article.view_count as the total (an imported base count plus what was counted).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from xinwen.news.models import Article
from xinwen.stats import conf, salts
from xinwen.stats.bots import is_bot
from xinwen.stats.identity import client_key, network_of, view_fingerprint
from xinwen.stats.models import FlushedBatch
from xinwen.stats.store_db import DatabaseStore

if TYPE_CHECKING:
    from xinwen.stats.store_redis import RedisStore

__all__ = [
    "ViewOutcome",
    "FlushReport",
    "view_record",
    "views_flush",
    "views_flush_quietly",
    "stats_housekeep",
    "counting_article_forget",
    "counting_store",
]

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 300
FLUSHED_BATCH_DAYS = 7
_last_housekeeping = 0.0
_last_redis_warning = 0.0


@dataclass(frozen=True)
class ViewOutcome:
    counted: bool
    views: int  # the article's count now, this view included, pending Redis counts included


@dataclass(frozen=True)
class FlushReport:
    views: int  # views moved from Redis into the database
    batches: int
    store: str


_stores: dict[tuple[int, str, str], RedisStore] = {}


def counting_store() -> DatabaseStore | RedisStore:
    """Redis when REDIS_URL is set, else the database."""
    url = conf.redis_url()
    if not url:
        return DatabaseStore()
    from xinwen.stats.store_redis import RedisStore  # a site without Redis never loads the client

    key = (os.getpid(), url, conf.redis_prefix())  # never share sockets with a forked parent
    if key not in _stores:
        _stores.clear()
        _stores[key] = RedisStore(url, key[2])
    return _stores[key]


def _ms(now: datetime) -> int:
    return int(now.timestamp() * 1000)


def _warn_redis(exc: Exception) -> None:
    # One line a minute, not one per beacon, while Redis is down.
    global _last_redis_warning
    if time.monotonic() - _last_redis_warning > 60:
        _last_redis_warning = time.monotonic()
        log.warning("Redis is unavailable (%s); counting views in the database instead", exc)


def view_record(
    *, article_id: int, address: str, user_agent: str, automated: bool = False, now: datetime | None = None
) -> ViewOutcome:
    """Count a reader's view of a published article, once per reader per de-duplication window.

    Crawlers (by user agent) and requests the view found `automated` are answered with
    the count but never counted. Raises RateLimited when the reader's network sent too
    many beacons, ArticleNotFound when the article is not public. `now` is injectable so
    tests can move the clock.
    """
    now = now or timezone.now()
    now_ms, window = _ms(now), conf.dedup_window()
    keys = salts.day_secrets(now, window)

    def lookup() -> tuple[int, int] | None:
        # Article.objects.published() decides what may be counted, in either store.
        row = Article.objects.published(now=now).filter(pk=article_id).values_list("view_count", "publish_at").first()
        return None if row is None else (row[0], _ms(row[1]))

    network = network_of(address)
    beacon = dict(
        article_id=article_id,
        client=client_key(keys[0], network),
        digests=[view_fingerprint(key, network, user_agent, article_id) for key in keys],
        day=timezone.localdate(now),
        now_ms=now_ms,
        window=window,
        rate_limit=conf.rate_limit(),
        rate_window=conf.rate_window(),
        automated=automated or is_bot(user_agent),
        lookup=lookup,
    )
    store = counting_store()
    try:
        counted, views = store.view(**beacon)
    except store.unavailable as exc:
        _warn_redis(exc)
        counted, views = DatabaseStore().view(**beacon)
    _housekeep_now_and_then(now)
    return ViewOutcome(counted=counted, views=views)


def counting_article_forget(*, article_id: int, action: str) -> None:
    """After an editor's change is committed: the article's cached public state is stale."""
    store = counting_store()
    try:
        store.article_forget(article_id)
    except store.unavailable as exc:  # it expires by itself within a minute
        _warn_redis(exc)


def views_flush(*, now: datetime | None = None) -> FlushReport:
    """Write counts buffered in Redis to the database (a no-op without Redis), then tidy up.

    Safe to run at any time, from any number of processes at once, and again after a crash.
    """
    now = now or timezone.now()
    store = counting_store()
    views, batches = store.flush(now_ms=_ms(now))
    stats_housekeep(now=now)
    if views:
        log.info("flushed %s views in %s batches from %s", views, batches, store.name)
    return FlushReport(views=views, batches=batches, store=store.name)


def views_flush_quietly() -> None:
    """Flush before showing statistics, so editors see counts still buffered in Redis; never fails."""
    if not conf.redis_url():
        return
    try:
        views_flush()
    except Exception:  # the figures are then a few seconds old; the page still renders
        log.warning("flushing view counts before showing statistics failed", exc_info=True)


def stats_housekeep(*, now: datetime | None = None) -> None:
    """Forget what is no longer needed: expired fingerprints, past days' secrets, old batch ids."""
    global _last_housekeeping
    now = now or timezone.now()
    window = conf.dedup_window()
    _last_housekeeping = time.monotonic()
    DatabaseStore().purge(now_ms=_ms(now), window=window)  # also after a fallback from Redis
    salts.secrets_purge(now, window)
    FlushedBatch.objects.filter(flushed_at__lt=now - timedelta(days=FLUSHED_BATCH_DAYS)).delete()


def _housekeep_now_and_then(now: datetime) -> None:
    # Servers without the worker flusher (the demo's runserver) still forget on time.
    if time.monotonic() - _last_housekeeping > HOUSEKEEPING_SECONDS:
        try:
            stats_housekeep(now=now)
        except Exception:
            log.exception("stats housekeeping failed")
