"""The publishing worker: a daemon thread of each app process that keeps PUBLISH_DIR up to date.

Change notices only `kick` it, so an editor's save never waits for pages to render (an
edit rewrites some 40 files; a category or glossary change rebuilds the whole site). The
thread coalesces kicks that arrive while it works into one run, then sleeps until the
next moment pages change by time alone: a scheduled publish or unpublish time
(services.next_change_time), or the next refresh of 热门文章 on the home pages. So the
scheduled cases need no cron: `publish --changed` compares each article's public state
with the one its pages were built from, and the worker wakes at the time it flips.
Several app processes may each run one; the tree's lock serialises them and the second
finds nothing left to do.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection

from xinwen.publishing.pages import script_prefixes

__all__ = ["kick", "wait_idle", "worker_stop", "publisher_start", "POPULAR_REFRESH", "article_changed", "site_changed"]

log = logging.getLogger(__name__)

# 热门文章 ranks by seven days of views; the home pages are rendered again this often (seconds).
POPULAR_REFRESH = 600.0
MAX_SLEEP = 3600.0
RETRY = 5.0

_lock = threading.Lock()
_wake = threading.Event()
_stop = threading.Event()
_idle = threading.Event()
_idle.set()
_thread: threading.Thread | None = None
_owner_pid: int | None = None
_want = {"changed": False, "full": False}
_first: list[int] = []  # articles named by the notices since the last run began


def _target() -> Path | None:
    value = getattr(settings, "PUBLISH_DIR", "")
    return Path(value) if value else None


def kick(*, full: bool = False, articles: tuple[int, ...] = ()) -> None:
    """Ask for a run soon (a full build when `full`); starts this process's thread if needed.

    `articles`: what the change was about; their own pages are written first.
    """
    global _thread, _owner_pid
    target = _target()
    if target is None:
        return
    if not settings.PUBLISH_BACKGROUND:  # in the caller (tests, single-threaded scripts)
        _publish(target, full=full, first=articles)
        return
    from xinwen.publishing import services  # the publisher: loaded by a process that publishes, not by every worker

    with _lock:
        _want["changed"] = True
        _want["full"] = _want["full"] or full
        for article in articles:  # the first few: an import of thousands must not grow this
            if len(_first) < services.FIRST_ARTICLES and article not in _first:
                _first.append(article)
        _idle.clear()
        _wake.set()
        if _thread is not None and _thread.is_alive() and _owner_pid == os.getpid():
            return
        _owner_pid = os.getpid()
        _stop.clear()
        _thread = threading.Thread(target=_thread_main, name="xinwen-publish", daemon=True)
        _thread.start()


def _publish(target: Path, *, full: bool = False, refresh=(), first=()) -> None:
    from xinwen.publishing import push, services

    if full:
        report = services.site_publish(target=target)
    else:
        report = services.site_publish_changed(target=target, refresh=refresh, first=first)
    if settings.PUBLISH_PUSH and (report.full or report.written or report.removed):
        push.tree_push(tree=target, targets=settings.PUBLISH_PUSH)


def wait_idle(timeout: float = 30.0) -> bool:
    """Block until every kick so far has been published (tests, benches); False on timeout."""
    return _idle.wait(timeout)


def _thread_main() -> None:
    from xinwen.publishing import services

    next_popular = time.monotonic() + POPULAR_REFRESH
    while not _stop.is_set():
        _wake.clear()
        _idle.clear()  # woken by the clock too: wait_idle waits for this run
        with _lock:
            full = _want["full"]
            _want["changed"] = _want["full"] = False
            first = tuple(_first)
            _first.clear()
        target = _target()
        popular_due = time.monotonic() >= next_popular
        delay = MAX_SLEEP
        try:
            close_old_connections()
            # Asked before the run: a time that passes while it renders is caught by the next run at once.
            upcoming = services.next_change_time()
            if target is not None and full:
                _publish(target, full=True)
            elif target is not None:  # kicked, or woken by the clock: a scheduled time may have come
                _publish(target, refresh=script_prefixes() if popular_due else (), first=first)
            if popular_due:
                next_popular = time.monotonic() + POPULAR_REFRESH
            if upcoming is not None:
                delay = min(delay, max(upcoming - time.time(), 0) + 0.05)
        except Exception:  # a locked database or a full disk: try again, never crash the app process
            log.exception("publishing worker failed; retrying in %s s", RETRY)
            with _lock:
                _want["changed"] = True
                _want["full"] = _want["full"] or full
            delay = RETRY
        finally:
            connection.close()
        delay = min(delay, max(next_popular - time.monotonic(), 0))
        with _lock:
            if not _want["changed"]:
                _idle.set()
        _wake.wait(delay)


def worker_stop(timeout: float = 30.0) -> None:
    """End this process's thread after its current run (tests; a web process just exits)."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
    _stop.set()
    _wake.set()
    if thread is not None:
        thread.join(timeout)
    _idle.set()


def article_changed(*, article_id: int | None = None, **_change) -> None:
    """Subscriber for article notices: rewrite the files that show it, in the background, its own pages first."""
    kick(articles=(article_id,) if article_id is not None else ())


def site_changed(**_change) -> None:
    """Subscriber for category, glossary and site notices: every page shows them, so a full build."""
    kick(full=True)


_kicked_in: int | None = None


def publisher_start() -> None:
    """With PUBLISH_DIR set, start this process's thread once (xinwen.wsgi calls it on a process's first request).

    It catches up with what changed while no process listened, then waits for the next time.
    """
    global _kicked_in
    if _kicked_in != os.getpid() and _target() is not None:
        _kicked_in = os.getpid()
        kick()
