"""Reads the page cache needs from the content: when the next scheduled article goes live."""

from __future__ import annotations

from xinwen.news.models import Article

__all__ = ["next_publish_time"]


def next_publish_time() -> float | None:
    """When the next scheduled article goes live (Unix time), or None: no page may outlive that moment."""
    when = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    return when.timestamp() if when else None
