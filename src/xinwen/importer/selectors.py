"""Reads for the importer: which public article an old URL now lives at."""

from __future__ import annotations

from django.db.models import Q

from xinwen.importer.legacy import legacy_key
from xinwen.importer.multipage import first_pages
from xinwen.news.models import Article

__all__ = ["article_for_old_url"]


def article_for_old_url(path: str, query_string: str = "") -> Article | None:
    """The public article imported from this old path (plus its id parameter or query path), or None."""
    key = legacy_key(path + ("?" + query_string if query_string else ""))
    # No stored old address contains a NUL, and PostgreSQL refuses one in a query (/%00/).
    if not key or "\x00" in key:
        return None
    published = Article.objects.published()
    found = published.filter(Q(import_record__old_path=key) | Q(import_record__alt_path=key)).order_by("-id").first()
    if found is None:
        # Page 2, 3, … of a split post was joined to its first page: its old address leads to the same article.
        address = "http://old" + path + ("?" + query_string if query_string else "")
        keys = [k for k in (legacy_key(base) for base in first_pages(address)) if k and "\x00" not in k]
        if keys:
            found = published.filter(import_record__old_path__in=keys).order_by("-id").first()
    return found
