"""Which tagged pages an article change touches: one answer for every copy of the pages.

The page cache drops these tags and the static publisher rewrites the files that carry
them, so a stored page and a published file go stale and come back for the same reasons.

An edit of an article's content touches its own tag plus feeds and sitemaps (they carry
its text and last change). A change of where it is listed (published, scheduled,
unpublished, archived, deleted, moved, re-dated, pinned) also touches the lists of its
old and new category and their ancestors, the home page, the pages of the articles around
its old and new place in its category (previous/next and 相关文章 link the nearest five on
either side: news.selectors.around_ids), and the pages of its 标签 (old and new: a change of
tags is a change of placement); the further sections it is listed in (同时发布到) count as its
category does, with their ancestors, but previous/next and related links follow its own
category only. Without the old placement it assumes the worst and touches every list.
"""

from __future__ import annotations

from xinwen.news import pagetags
from xinwen.news.selectors import Placement, around_ids
from xinwen.news.tree import CategoryTree

__all__ = ["NOWHERE", "article_purge_tags"]

NOWHERE = Placement(category_id=None, listed=False, publish_at=None, pinned=False)  # an article that did not exist


def _chains(sections, tree: CategoryTree) -> set[int]:
    """The sections and their ancestors: every list that shows an article listed in `sections`."""
    return {pk for section in sections for pk in tree.chain_ids(section)}


def _placement_tags(article_id: int, placement: Placement, tree: CategoryTree) -> set[str]:
    around = around_ids(category_id=placement.category_id, when=placement.publish_at, pk=article_id)
    return {
        *(pagetags.category_list(pk) for pk in _chains({placement.category_id, *placement.also_in}, tree)),
        *(pagetags.article_page(pk) for pk in around),
        *(pagetags.tag_list(pk) for pk in placement.tags),
        pagetags.HOME,
        pagetags.FEEDS,
        pagetags.SITEMAP,
    }


def article_purge_tags(*, article_id: int, old: Placement | None, new: Placement | None, tree: CategoryTree | None = None) -> set[str]:
    """The tags to drop when article `article_id` moved from placement `old` to `new` (None: unknown/gone)."""
    tags = {pagetags.article(article_id)}
    if old is not None and old == new:
        if new.listed:  # its text changed where it is: feeds carry it, sitemaps its lastmod
            tags |= {pagetags.FEEDS, pagetags.SITEMAP}
        return tags
    if old is not None and new is not None and new.listed and old._replace(also_in=()) == new._replace(also_in=()):
        # Only 同时发布到 changed: the lists of the sections it entered or left, where it was not already listed.
        kept = set(old.also_in) & set(new.also_in) | {new.category_id}
        tree = tree or CategoryTree.load()
        lists = _chains(set(old.also_in) ^ set(new.also_in), tree) - _chains(kept, tree)
        return tags | {pagetags.category_list(pk) for pk in lists} | {pagetags.HOME, pagetags.FEEDS, pagetags.SITEMAP}
    if old is None:
        # No memo: it may have been listed anywhere. Drop every list; pages showing it are article:<id>.
        tags |= {pagetags.LISTS, pagetags.TAGS, pagetags.HOME, pagetags.FEEDS, pagetags.SITEMAP}
    tree = tree or CategoryTree.load()
    for placement in (old, new):
        if placement is not None and placement.listed:  # scheduled too: lists must expire at its time
            tags |= _placement_tags(article_id, placement, tree)
    return tags
