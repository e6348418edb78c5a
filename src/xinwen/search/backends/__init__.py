"""The full-text backend for the database in use: SQLite FTS5 or PostgreSQL tsvector/GIN.

Both find candidates only; documents, query parsing and ranking are shared, so the two
return the same results in the same order.
"""

from __future__ import annotations

from django.db import connection

from xinwen.search.backends.base import SearchBackend, SearchUnavailable

__all__ = ["SearchBackend", "SearchUnavailable", "get_backend"]


def get_backend() -> SearchBackend:
    vendor = connection.vendor
    if vendor == "sqlite":
        from xinwen.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend()
    if vendor == "postgresql":
        from xinwen.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    raise SearchUnavailable(f"全文搜索只支持 SQLite 和 PostgreSQL，当前数据库是 {vendor}。")
