"""Purges: drop exactly the stored pages that show what changed (tags: news.pagetags).

Which tags an article change touches is news.purges.article_purge_tags (the static
publisher uses the same answer). The placement seen at the last purge is kept as a
memo to tell an edit in place from a move; without a memo the purge assumes the worst
and drops every list.

A category change, a glossary change and a site-settings change drop everything:
category names are in every page's navigation, the glossary converts the text of
every script variant, and site settings are in every page's header and footer.
All are rare, and the pages come back on their next request.
"""

from __future__ import annotations

import logging

from xinwen.news.purges import NOWHERE, article_purge_tags
from xinwen.news.selectors import Placement, article_placement, article_placements
from xinwen.news.tree import CategoryTree
from xinwen.pagecache import conf

__all__ = [
    "article_pages_purge",
    "articles_pages_purge",
    "pages_purge_all",
    "article_purge_tags",
    "NOWHERE",
]

log = logging.getLogger(__name__)


def _memo_placement(value) -> Placement | None:
    if value is None:
        return None
    if len(value) != len(Placement._fields):  # a memo in an older shape: unknown, assume the worst
        return None
    try:
        return Placement.from_list(value)
    except (TypeError, ValueError):
        return None


def _moved_tags(store, article_id: int, action: str, new: Placement | None, *, tree=None) -> set[str]:
    """The tags of the pages that showed the article (its remembered placement) or show it now (`new`); remembers `new`."""
    memo = f"placement-{article_id}"
    old = _memo_placement(store.memo_get(memo))
    if old is None and action == "create":
        old = NOWHERE  # a new article was listed nowhere before: no need to assume the worst
    tags = article_purge_tags(article_id=article_id, old=old, new=new, tree=tree)
    store.memo_set(memo, list(new) if new is not None else None)
    return tags


def article_pages_purge(*, article_id: int, action: str = "") -> set[str]:
    """Drop the pages that show article `article_id`; returns the tags dropped."""
    if not conf.enabled():
        return set()
    store = conf.store()
    tags = _moved_tags(store, article_id, action, article_placement(article_id))
    store.invalidate(tags)
    log.debug("page cache: article %s %s dropped %s", article_id, action, sorted(tags))
    return tags


def articles_pages_purge(*, notices: list[dict]) -> set[str]:
    """`article_pages_purge` for a batch of notices (an import's): one read of the tree and placements, one invalidation.

    The tags dropped are those the notices would drop one by one: for each article, from
    its placement before its first notice (the memo) to its placement now.
    """
    if not conf.enabled():
        return set()
    store = conf.store()
    first_action: dict[int, str] = {}
    for notice in notices:
        first_action.setdefault(notice["article_id"], notice.get("action", ""))
    placements = article_placements(first_action)
    tree = CategoryTree.load()
    tags: set[str] = set()
    for article_id, action in first_action.items():
        tags |= _moved_tags(store, article_id, action, placements.get(article_id), tree=tree)
    store.invalidate(tags)
    log.debug("page cache: %d articles dropped %s", len(first_action), sorted(tags))
    return tags


def pages_purge_all(**notice) -> None:
    """Drop every stored page: a category, glossary or site-settings notice (they show on every page)."""
    if conf.enabled():
        conf.store().purge_all()
