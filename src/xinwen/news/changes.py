"""After-commit notices of content changes, for the apps that keep derived data in step.

Editorial services call `article_changed` / `category_changed` inside their transaction;
subscribers (search indexing, cache purges, search-engine pings) run only after the
commit succeeds, so a rolled-back edit never reaches them. Apps subscribe in
AppConfig.ready(). A failing subscriber is logged and never breaks the editor's save.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

__all__ = ["subscribe_articles", "subscribe_categories", "article_changed", "category_changed"]

log = logging.getLogger(__name__)

_article_subscribers: list[Callable[..., None]] = []
_category_subscribers: list[Callable[..., None]] = []


def subscribe_articles(fn: Callable[..., None]) -> Callable[..., None]:
    """Register fn(*, article_id: int, action: str); action is an AuditEntry action name."""
    if fn not in _article_subscribers:
        _article_subscribers.append(fn)
    return fn


def subscribe_categories(fn: Callable[..., None]) -> Callable[..., None]:
    """Register fn(*, category_id: int, action: str)."""
    if fn not in _category_subscribers:
        _category_subscribers.append(fn)
    return fn


def _run(fn, kwargs) -> None:
    try:
        fn(**kwargs)
    except Exception:  # a subscriber must never undo or block an editor's committed save
        log.exception("change subscriber %s failed for %s", getattr(fn, "__qualname__", fn), kwargs)


def article_changed(*, article_id: int, action: str) -> None:
    for fn in list(_article_subscribers):
        transaction.on_commit(lambda fn=fn: _run(fn, {"article_id": article_id, "action": action}))


def category_changed(*, category_id: int, action: str) -> None:
    for fn in list(_category_subscribers):
        transaction.on_commit(lambda fn=fn: _run(fn, {"category_id": category_id, "action": action}))
