"""The query planner's statistics of the article table, refreshed after a bulk change.

Which index answers a list page depends on them: without statistics SQLite sorts a parent
section's 10,000 articles for each page of its list (35 ms a page) instead of walking
`article_public_page` in order (14 ms), and PostgreSQL, where autovacuum is off or has not
come round yet, takes a freshly imported table for a few dozen rows and reads all of it to
fetch ten. An import and a full static build (tens of thousands of list pages) refresh them
first; day-to-day edits leave them to the database (autovacuum; SQLite keeps what it has).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from xinwen.news.models import Article

__all__ = ["article_statistics_refresh"]

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
