"""The one notice path: after-commit notices of content changes, for the apps that keep derived data.

The write path (news.services) announces every change here inside its transaction;
subscribers (page cache, search index, search-engine push, view counts) run only after
the commit succeeds, so a rolled-back edit never reaches them. Each subscriber registers
once, under its own name, in its AppConfig.ready(), saying which kinds of change it
follows; `xinwen subscribers` lists them. A failing subscriber is logged and never
breaks the editor's save.

An import writes hundreds of articles one transaction each; inside `batched()` their
notices are held (still only those whose transaction committed) and delivered together
when the batch ends, so a subscriber that registered a `many` handler (the search index,
the page cache) does its work once per batch instead of once per article (issue 17).

Kinds and the keyword arguments a handler receives:
  article   (article_id: int, action: str)   an AuditEntry action name
  category  (category_id: int, action: str)  names and places show in every page's navigation
  glossary  (term: str, action: str)         conversion of every script variant
  site      (setting: str, action: str)      site-wide settings shown on every page
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

__all__ = [
    "KINDS",
    "Subscriber",
    "subscribe",
    "subscribers",
    "unsubscribe",
    "batched",
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
    many: Callable[..., None] | None = None  # many(notices=[kwargs, ...]): a batch's notices in one call


    @property
    def target(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscribers: list[Subscriber] = []


def subscribe(name: str, *, many: dict[str, Callable[..., None]] | None = None, **handlers: Callable[..., None]) -> None:
    """Register `name` for the kinds given as keywords: subscribe("search", article=fn, category=fn2).

    `many` optionally maps a kind to a handler taking `notices` (a list of the keyword
    dicts), called once for a batch's notices of that kind instead of the handler per notice.
    """
    many = many or {}
    for kind in [*handlers, *many]:
        if kind not in KINDS:
            raise ValueError(f"unknown change kind {kind!r}; use one of {', '.join(KINDS)}")
    if set(many) - set(handlers):
        raise ValueError("a `many` handler needs the single-notice handler of its kind too")
    for kind, handler in handlers.items():
        if any(s.name == name and s.kind == kind for s in _subscribers):
            continue  # ready() can run twice in tests; one registration per name and kind
        _subscribers.append(Subscriber(name=name, kind=kind, handler=handler, many=many.get(kind)))


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


def _run_many(subscriber: Subscriber, notices: list[dict]) -> None:
    if subscriber.many is None:
        for kwargs in notices:
            _run(subscriber, kwargs)
        return
    try:
        subscriber.many(notices=notices)
    except Exception:  # as for one notice: logged, the batch's writes stay committed
        log.exception("change subscriber %s failed for a batch of %d %s notices", subscriber.name, len(notices), subscriber.kind)


_batch = threading.local()  # .pending: the notices of the batch open in this thread


def _announce(kind: str, kwargs: dict) -> None:
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        # Held only once this write commits: a rolled-back item's notice goes with it.
        transaction.on_commit(lambda: pending.append((kind, kwargs)))
        return
    for subscriber in subscribers(kind):
        transaction.on_commit(lambda s=subscriber: _run(s, kwargs))


def _deliver(pending: list[tuple[str, dict]]) -> None:
    for subscriber in list(_subscribers):  # registration order, as single notices run
        notices = [kwargs for kind, kwargs in pending if kind == subscriber.kind]
        if notices:
            _run_many(subscriber, notices)


@contextmanager
def batched():
    """Hold the notices of the writes made inside and deliver them together when the block ends.

    Each write still runs in its own transaction and announces there; what reaches the
    subscribers is the same as without the batch (every committed write's notice, in
    order), only later and at once. Delivery waits for the commit of a transaction that
    encloses the whole block, if there is one. A batch inside a batch is part of it.
    """
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    pending: list[tuple[str, dict]] = []
    _batch.pending = pending
    try:
        yield
    finally:
        _batch.pending = None
        transaction.on_commit(lambda: _deliver(pending))


def article_changed(*, article_id: int, action: str) -> None:
    _announce("article", {"article_id": article_id, "action": action})


def category_changed(*, category_id: int, action: str) -> None:
    _announce("category", {"category_id": category_id, "action": action})


def glossary_changed(*, term: str, action: str) -> None:
    _announce("glossary", {"term": term, "action": action})


def site_changed(*, setting: str, action: str) -> None:
    _announce("site", {"setting": setting, "action": action})
