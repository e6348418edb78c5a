"""Reads the page cache needs from the content: when the next article goes live or goes offline."""

from __future__ import annotations

from django.utils import timezone

from xinwen.news.selectors import next_time_change

__all__ = ["next_publish_time"]


def next_publish_time() -> float | None:
    """When readers' pages next change by time alone (Unix time), or None: no page may outlive that moment.

    Two things change pages without any edit: a scheduled article going live and an
    article reaching its unpublish time (定时下线). Whichever comes first bounds every stored page.

    Every page the cache stores asks this (news.selectors.next_time_change: the first rows
    of two indexes, a few index pages at any size of site).
    """
    moment = next_time_change(timezone.now())
    return moment.timestamp() if moment is not None else None
