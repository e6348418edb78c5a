"""What a public page shows, in one vocabulary: the views that tag pages and the purges that drop them.

A view records the content its page shows (`tag(request, pagetags.HOME)`,
`tag_articles(request, items)`); the page cache (xinwen.pagecache) stores the page
under those tags and drops it when the write path announces a change of that content.
Outside a cacheable request (page cache off, a signed-in editor, the test client)
these calls do nothing, so views never need to know whether a cache is in front.

Tags:
  article:<id>   the article's own page, and every page that shows its title
                 (lists, home, previous/next and related links of other articles)
  list:<id>      every page of a category's list (which includes its sub-categories)
  page:<id>      the article's own page only (its previous/next and related links change
                 when an article enters, leaves or moves within five places of it)
  tag:<id>       every page of a 标签's list
  topic:<id>     a 专题's pages (a topic change drops every page: news/services/topics.py)
  home, feeds, sitemap, list (every category list), tags (every tag list)
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "VERSION",
    "ENVIRON_KEY",
    "HOME",
    "FEEDS",
    "SITEMAP",
    "LISTS",
    "article",
    "category_list",
    "article_page",
    "TAGS",
    "tag_list",
    "topic",
    "tag",
    "tag_articles",
    "expire_in",
    "uses_query",
]

# The vocabulary's version: a static release's page index records tags, and one built with
# other tags is rebuilt in full rather than updated (2: page:<id> replaced related:<category>).
VERSION = 2

# Where the page cache's WSGI layer leaves its note for the views; request.META is the environ.
ENVIRON_KEY = "xinwen.pagecache"

HOME = "home"
FEEDS = "feeds"
SITEMAP = "sitemap"
LISTS = "list"  # every category list at once
TAGS = "tags"  # every tag list at once


def article(pk: int) -> str:
    return f"article:{pk}"


def category_list(pk: int) -> str:
    return f"list:{pk}"


def tag_list(pk: int) -> str:
    return f"tag:{pk}"


def topic(pk: int) -> str:
    return f"topic:{pk}"


def article_page(pk: int) -> str:
    """An article's own page (article:<pk> is every page that shows it)."""
    return f"page:{pk}"


def _fill(request):
    return request.META.get(ENVIRON_KEY)


def tag(request, *tags: str) -> None:
    """Record that this page shows content known by `tags`."""
    fill = _fill(request)
    if fill is not None:
        fill.tags.update(tags)


def tag_articles(request, articles: Iterable) -> None:
    """Record every article a page lists (its title, at least): editing one drops this page."""
    fill = _fill(request)
    if fill is not None:
        fill.tags.update(article(item.pk) for item in articles if item is not None)


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
