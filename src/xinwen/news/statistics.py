"""The query planner's statistics of the article table, refreshed after a bulk change.

Which index answers a list page depends on them: without statistics SQLite sorts a parent
section's 10,000 articles for each page of its list (35 ms a page) instead of walking
`article_public_page` in order (14 ms), and PostgreSQL, where autovacuum is off or has not
come round yet, takes a freshly imported table for a few dozen rows and reads all of it to
fetch ten. An import and a full static build (tens of thousands of list pages) refresh them
first. Day-to-day edits leave them to the database: PostgreSQL's autovacuum refreshes them,
SQLite keeps what it has. A site that grew from its first few articles to thousands by
editing kept the statistics of a few dozen rows, and the planner then scanned the table for
an article's ten neighbours (1.3 ms of every article miss at 10,000 articles). So `xinwen
serve` refreshes them before it forks whenever they describe a table of another size
(`article_statistics_stale`): each restart or deploy catches up.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from xinwen.news.models import Article

__all__ = ["article_statistics_refresh", "article_statistics_stale", "refresh_after_migration", "STALE_FACTOR", "STALE_ROWS"]

log = logging.getLogger(__name__)


def article_statistics_refresh() -> bool:
    """ANALYZE the article table (SQLite and PostgreSQL alike); False when the database refused."""
    table = connection.ops.quote_name(Article._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    except DatabaseError:
        log.warning("could not refresh the planner statistics of %s", table, exc_info=True)
        return False
    return True


def refresh_after_migration(apps, schema_editor) -> None:
    """RunPython of a migration that adds an article index: SQLite ignores an index its statistics do not describe."""
    article_statistics_refresh()


STALE_FACTOR = 2  # the table has grown or shrunk by this factor since the statistics were taken
STALE_ROWS = 200  # and by at least this many rows (a handful of articles plans alike either way)


def _described_rows(table: str) -> int | None:
    """How many rows the planner's statistics say the table has; None when it has none."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:  # no ANALYZE ever ran
                return None
            # A row per index, its first number the entries it holds: the table's rows for a
            # whole-table index, fewer for a partial one.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            counts = [int(stat.split()[0]) for (stat,) in cursor.fetchall() if stat]
            return max(counts) if counts else None
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            row = cursor.fetchone()
            return int(row[0]) if row and row[0] >= 0 else None  # -1: never analyzed
    return None


def article_statistics_stale() -> bool:
    """Whether the statistics describe an article table of another size than the real one (or none at all).

    Stale means the two differ by a factor of STALE_FACTOR and by STALE_ROWS rows at least.
    """
    table = Article._meta.db_table
    counted = Article.objects.count()
    described = _described_rows(table)
    if described is None:
        return counted >= STALE_ROWS
    bigger, smaller = max(counted, described), min(counted, described)
    return bigger - smaller >= STALE_ROWS and bigger >= STALE_FACTOR * smaller
