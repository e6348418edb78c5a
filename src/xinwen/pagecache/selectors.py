"""Reads the page cache needs from the content: the next scheduled publish time, an article's placement."""

from __future__ import annotations

from django.utils import timezone

from xinwen.news.models import Article, Category

__all__ = ["next_publish_time", "article_placement", "category_chain_ids"]


def next_publish_time() -> float | None:
    """When the next scheduled article goes live (Unix time), or None: no page may outlive that moment."""
    when = (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def article_placement(article_id: int) -> list | None:
    """What decides where an article is listed: [category id, status, publish time, pinned]; None if gone."""
    row = Article.objects.filter(pk=article_id).values_list("category_id", "status", "publish_at", "pinned").first()
    if row is None:
        return None
    category_id, status, publish_at, pinned = row
    return [category_id, status, publish_at.isoformat() if publish_at else None, pinned]


def category_chain_ids(category_id: int) -> list[int]:
    """The category and its ancestors: the lists that include an article of this category."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    chain, node = [], category_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain
