"""Reads the page cache needs from the content: when the next article goes live or goes offline."""

from __future__ import annotations

from django.db.models import Min, Q
from django.utils import timezone

from xinwen.news.models import Article

__all__ = ["next_publish_time"]


def next_publish_time() -> float | None:
    """When readers' pages next change by time alone (Unix time), or None: no page may outlive that moment.

    Two things change pages without any edit: a scheduled article going live and an
    article reaching its unpublish time (定时下线). Whichever comes first bounds every stored page.
    """
    now = timezone.now()
    # One query for both, since every page the cache stores pays for it.
    found = Article.objects.released().aggregate(
        going_live=Min("publish_at", filter=Q(publish_at__gt=now)),
        going_offline=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    times = [t for t in found.values() if t is not None]
    return min(times).timestamp() if times else None
