"""A page cache in front of Django: anonymous GETs of public pages are served from stored bytes.

Views say what a page shows with `tag()` (and `tag_articles()`); pages without tags are
never stored, so caching is something a view opts into. Outside a cacheable request
(page cache off, a signed-in editor, the test client) these calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["tag", "tag_articles", "expire_in", "uses_query", "ENVIRON_KEY"]

# Where the WSGI layer (wsgi.PageCache) leaves its note for the views; request.META is the environ.
ENVIRON_KEY = "xinwen.pagecache"


def _fill(request):
    return request.META.get(ENVIRON_KEY)


def tag(request, *tags: str) -> None:
    """Record that this page shows content known by `tags` (e.g. "article:12", "list:3", "home")."""
    fill = _fill(request)
    if fill is not None:
        fill.tags.update(tags)


def tag_articles(request, articles: Iterable) -> None:
    """Record every article a page lists (its title, at least): editing one drops this page."""
    fill = _fill(request)
    if fill is not None:
        fill.tags.update(f"article:{article.pk}" for article in articles if article is not None)


def expire_in(request, seconds: float) -> None:
    """Keep this page at most `seconds`: for parts no purge covers (the 热门文章 ranking)."""
    fill = _fill(request)
    if fill is not None:
        fill.max_age = seconds if fill.max_age is None else min(fill.max_age, seconds)


def uses_query(request, *names: str) -> None:
    """Record that this page depends on the query parameters `names` (`page`, `p`, `ruby`).

    A stored page's URL may carry a parameter only when its view says it used it, so
    `/article/1/?page=7` is not stored as one more copy of the article page.
    """
    fill = _fill(request)
    if fill is not None:
        fill.used.update(names)
