"""Reads for the importer: which public article an old URL now lives at."""

from __future__ import annotations

from xinwen.importer.legacy import legacy_key
from xinwen.news.models import Article

__all__ = ["article_for_old_url"]


def article_for_old_url(path: str, query_string: str = "") -> Article | None:
    """The public article imported from this old path (plus its id parameter or query path), or None."""
    key = legacy_key(path + ("?" + query_string if query_string else ""))
    # No stored old address contains a NUL, and PostgreSQL refuses one in a query (/%00/).
    if not key or "\x00" in key:
        return None
    return Article.objects.published().filter(import_record__old_path=key).order_by("-id").first()
