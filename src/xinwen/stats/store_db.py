"""Counting straight into the database: one short transaction per counted view.

The increment is a single `UPDATE ... SET view_count = view_count + 1`, never a read
followed by a write, so concurrent processes cannot overwrite each other's counts; the
de-duplication fingerprint is claimed with an upsert in the same transaction. Used when
REDIS_URL is not set, and as the fallback when Redis cannot be reached. The SQL is the
dialect SQLite (3.35+) and PostgreSQL share: INSERT ... ON CONFLICT and RETURNING.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date

from django.db import connection, transaction

from xinwen.news.models import Article
from xinwen.stats.errors import ArticleNotFound, RateLimited
from xinwen.stats.models import BeaconWindow, DailyViews, ViewFingerprint

__all__ = ["DatabaseStore", "counts_apply"]

log = logging.getLogger(__name__)


def _tables() -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(Article._meta.db_table),
        quote(DailyViews._meta.db_table),
        quote(ViewFingerprint._meta.db_table),
    )


def counts_apply(totals: Mapping[int, int], daily: Mapping[tuple[int, date], int]) -> None:
    """Add view counts to articles and their daily rows; call inside a transaction.

    Articles deleted in the meantime are skipped. Rows are touched in id order so that
    concurrent writers on PostgreSQL lock them in the same order and cannot deadlock.
    """
    article, daily_table, _ = _tables()
    increments = [(views, article_id) for article_id, views in sorted(totals.items()) if views]
    days = [
        (article_id, connection.ops.adapt_datefield_value(day), views, article_id)
        for (article_id, day), views in sorted(daily.items())
        if views
    ]
    with connection.cursor() as cursor:
        if increments:
            cursor.executemany(f"UPDATE {article} SET view_count = view_count + %s WHERE id = %s", increments)
        if days:
            cursor.executemany(
                f"INSERT INTO {daily_table} (article_id, day, views) SELECT %s, %s, %s"
                f" WHERE EXISTS (SELECT 1 FROM {article} WHERE id = %s)"
                f" ON CONFLICT (article_id, day) DO UPDATE SET views = {daily_table}.views + excluded.views",
                days,
            )


class DatabaseStore:
    """Fingerprints, counts, daily rows and rate limits in the database."""

    name = "database"
    unavailable: tuple[type[Exception], ...] = ()  # the database's errors are errors, never a reason to count elsewhere

    def view(
        self,
        *,
        article_id: int,
        client: str,
        digests: list[str],
        day: date,
        now_ms: int,
        window: int,
        rate_limit: int,
        rate_window: int,
        automated: bool,
        lookup: Callable[[], tuple[int, int] | None],
    ) -> tuple[bool, int]:
        """Record one beacon; returns (counted, the article's count now). See services.view_record."""
        if not self._allow(client, now_ms=now_ms, limit=rate_limit, window=rate_window):
            raise RateLimited(retry_after=rate_window - (now_ms // 1000) % rate_window)
        found = lookup()
        if found is None:
            raise ArticleNotFound(article_id)
        base = found[0]
        if automated:
            return False, base
        return self._record(article_id=article_id, digests=digests, day=day, now_ms=now_ms, window=window, base=base)

    def _allow(self, client: str, *, now_ms: int, limit: int, window: int) -> bool:
        """Count the beacon against its network's window; False past the limit.

        In the database, not in Django's cache: the default cache is per process, so with
        two workers a client had twice the limit, and while Redis is down the cache counts
        nothing. An over-limit client is answered from a read, so a flood adds no writes.
        """
        number = now_ms // (window * 1000)
        bucket = f"{client}:{number}"
        table = connection.ops.quote_name(BeaconWindow._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT hits FROM {table} WHERE bucket = %s", [bucket])
            row = cursor.fetchone()
            if row is not None and row[0] >= limit:
                return False
            cursor.execute(
                f"INSERT INTO {table} (bucket, hits, until) VALUES (%s, 1, %s)"
                f" ON CONFLICT (bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
                [bucket, (number + 1) * window * 1000],
            )
            (hits,) = cursor.fetchone()
        return hits <= limit

    def _record(self, *, article_id: int, digests: list[str], day: date, now_ms: int, window: int, base: int) -> tuple[bool, int]:
        """Count one view unless one of `digests` was counted within `window` seconds."""
        article, daily_table, fingerprints = _tables()
        cutoff = now_ms - window * 1000
        with connection.cursor() as cursor:
            # A reload (or a client hammering the beacon) is answered from a read, which never
            # waits for SQLite's single writer. Today's and, just after midnight, yesterday's.
            marks = ", ".join(["%s"] * len(digests))
            cursor.execute(f"SELECT 1 FROM {fingerprints} WHERE digest IN ({marks}) AND seen > %s", [*digests, cutoff])
            if cursor.fetchone():
                return False, base
        with transaction.atomic(), connection.cursor() as cursor:
            # Inserted, or replaced because the last counted view is older than the window:
            # RETURNING then yields the row. A fresh fingerprint yields nothing, and the
            # row lock makes a concurrent duplicate wait and then see the fresh one.
            cursor.execute(
                f"INSERT INTO {fingerprints} (digest, seen) VALUES (%s, %s)"
                f" ON CONFLICT (digest) DO UPDATE SET seen = excluded.seen WHERE {fingerprints}.seen <= %s"
                f" RETURNING digest",
                [digests[0], now_ms, cutoff],
            )
            if cursor.fetchone() is None:
                return False, base
            cursor.execute(f"UPDATE {article} SET view_count = view_count + 1 WHERE id = %s RETURNING view_count", [article_id])
            row = cursor.fetchone()
            if row is None:  # deleted since it was looked up: undo the fingerprint too
                raise ArticleNotFound(article_id)
            cursor.execute(
                f"INSERT INTO {daily_table} (article_id, day, views) VALUES (%s, %s, 1)"
                f" ON CONFLICT (article_id, day) DO UPDATE SET views = {daily_table}.views + 1",
                [article_id, connection.ops.adapt_datefield_value(day)],
            )
        return True, int(row[0])

    def article_forget(self, article_id: int) -> None:
        """Nothing is cached."""

    def flush(self, *, now_ms: int) -> tuple[int, int]:
        """Nothing is buffered: every counted view is already in the database."""
        return 0, 0

    def purge(self, *, now_ms: int, window: int) -> int:
        deleted, _ = ViewFingerprint.objects.filter(seen__lte=now_ms - window * 1000).delete()
        BeaconWindow.objects.filter(until__lte=now_ms).delete()
        return deleted
