"""Purges: drop exactly the stored pages that show what changed.

What a page shows is what its view tagged:
  article:<id>   the article's own page, and every page that shows its title
                 (lists, home, previous/next and related links of other articles)
  list:<id>      every page of a category's list (which includes its sub-categories)
  related:<id>   article pages of that category (previous/next and related follow membership)
  home, feeds, sitemap, list (every category list)
An edit of an article's content drops article:<id> plus feeds and sitemaps (they carry
its text and last change). A change of where it is listed (published, scheduled,
unpublished, archived, deleted, moved, re-dated, pinned) also drops the lists of its
old and new category and their ancestors, the home page and the article pages of
those categories. The placement seen at the last purge is kept as a memo to tell
the two apart; without a memo the purge assumes the worst and drops every list.

A category change, and a glossary change, drop everything: category names are in
every page's navigation, and the glossary converts the text of every script variant.
Both are rare, and the pages come back on their next request.
"""

from __future__ import annotations

import logging

from xinwen.news.models import Article
from xinwen.pagecache import conf, selectors

__all__ = ["article_pages_purge", "category_pages_purge", "pages_purge_all", "article_purge_tags"]

log = logging.getLogger(__name__)

PUBLISHED = Article.Status.PUBLISHED
NOWHERE = [None, "", None, False]  # the placement of an article that did not exist


def _placement_tags(placement: list) -> set[str]:
    category_id = placement[0]
    chain = selectors.category_chain_ids(category_id)
    return {*(f"list:{pk}" for pk in chain), f"related:{category_id}", "home", "feeds", "sitemap"}


def article_purge_tags(*, article_id: int, old: list | None, new: list | None) -> set[str]:
    """The tags to drop when article `article_id` moved from placement `old` to `new` (None: unknown/gone)."""
    tags = {f"article:{article_id}"}
    if old is not None and old == new:
        if new[1] == PUBLISHED:  # its text changed where it is: feeds carry it, sitemaps its lastmod
            tags |= {"feeds", "sitemap"}
        return tags
    if old is None:
        # No memo: it may have been listed anywhere. Drop every list; pages showing it are article:<id>.
        tags |= {"list", "home", "feeds", "sitemap"}
    for placement in (old, new):
        if placement is not None and placement[1] == PUBLISHED:  # scheduled too: lists must expire at its time
            tags |= _placement_tags(placement)
    return tags


def article_pages_purge(*, article_id: int, action: str = "") -> set[str]:
    """Drop the pages that show article `article_id`; returns the tags dropped. Subscribed to news.changes."""
    if not conf.enabled():
        return set()
    store = conf.store()
    memo = f"placement-{article_id}"
    new = selectors.article_placement(article_id)
    old = store.memo_get(memo)
    if old is None and action == "create":
        old = NOWHERE  # a new article was listed nowhere before: no need to assume the worst
    tags = article_purge_tags(article_id=article_id, old=old, new=new)
    store.memo_set(memo, new)
    store.invalidate(tags)
    log.debug("page cache: article %s %s dropped %s", article_id, action, sorted(tags))
    return tags


def category_pages_purge(*, category_id: int, action: str = "") -> None:
    """A category's name, place or order shows in every page's navigation: drop every page."""
    pages_purge_all()


def pages_purge_all() -> None:
    """Drop every stored page (glossary and category changes); `xinwen pagecache_clear` calls the store itself."""
    if conf.enabled():
        conf.store().purge_all()
