"""The one notice path: after-commit notices of content changes, for the apps that keep derived data.

The write path (news.services) announces every change here inside its transaction;
subscribers (page cache, search index, search-engine push, view counts) run only after
the commit succeeds, so a rolled-back edit never reaches them. Each subscriber registers
once, under its own name, in its AppConfig.ready(), saying which kinds of change it
follows; `xinwen subscribers` lists them. A failing subscriber is logged and never
breaks the editor's save.

Kinds and the keyword arguments a handler receives:
  article   (article_id: int, action: str)   an AuditEntry action name
  category  (category_id: int, action: str)  names and places show in every page's navigation
  glossary  (term: str, action: str)         conversion of every script variant
  site      (setting: str, action: str)      site-wide settings shown on every page
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

__all__ = [
    "KINDS",
    "Subscriber",
    "subscribe",
    "subscribers",
    "unsubscribe",
    "article_changed",
    "category_changed",
    "glossary_changed",
    "site_changed",
]

log = logging.getLogger(__name__)

KINDS = ("article", "category", "glossary", "site")


@dataclass(frozen=True)
class Subscriber:
    name: str  # who keeps what, e.g. "pagecache: drop the pages that show it"
    kind: str
    handler: Callable[..., None]

    @property
    def target(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscribers: list[Subscriber] = []


def subscribe(name: str, **handlers: Callable[..., None]) -> None:
    """Register `name` for the kinds given as keywords: subscribe("search", article=fn, category=fn2)."""
    for kind, handler in handlers.items():
        if kind not in KINDS:
            raise ValueError(f"unknown change kind {kind!r}; use one of {', '.join(KINDS)}")
        if any(s.name == name and s.kind == kind for s in _subscribers):
            continue  # ready() can run twice in tests; one registration per name and kind
        _subscribers.append(Subscriber(name=name, kind=kind, handler=handler))


def unsubscribe(name: str) -> None:
    """Remove every registration of `name` (tests; a running site never unsubscribes)."""
    _subscribers[:] = [s for s in _subscribers if s.name != name]


def subscribers(kind: str | None = None) -> list[Subscriber]:
    return [s for s in _subscribers if kind is None or s.kind == kind]


def _run(subscriber: Subscriber, kwargs: dict) -> None:
    try:
        subscriber.handler(**kwargs)
    except Exception:  # a subscriber must never undo or block an editor's committed save
        log.exception("change subscriber %s failed for %s %s", subscriber.name, subscriber.kind, kwargs)


def _announce(kind: str, kwargs: dict) -> None:
    for subscriber in subscribers(kind):
        transaction.on_commit(lambda s=subscriber: _run(s, kwargs))


def article_changed(*, article_id: int, action: str) -> None:
    _announce("article", {"article_id": article_id, "action": action})


def category_changed(*, category_id: int, action: str) -> None:
    _announce("category", {"category_id": category_id, "action": action})


def glossary_changed(*, term: str, action: str) -> None:
    _announce("glossary", {"term": term, "action": action})


def site_changed(*, setting: str, action: str) -> None:
    _announce("site", {"setting": setting, "action": action})
