"""The Baidu push worker: a daemon thread started on demand in the web process, or a loop in a command.

The thread starts when an article is queued, sends what is due, sleeps until the next
row is due (a retry, or a scheduled article's publish time) and ends when the queue is
empty. Rows are persisted and leased, so a process that dies loses nothing: the next
kick, or `xinwen baidu_push` from cron or a service, sends them.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

from xinwen.feeds import push

__all__ = ["kick", "run_until_idle", "run_forever", "is_running"]

log = logging.getLogger(__name__)

MAX_SLEEP = 300.0  # look at the queue at least every five minutes while rows wait
MIN_SLEEP = 1.0
MAX_FAILURES = 5

_lock = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None


def kick() -> None:
    """Make sure a worker thread of this process will look at the queue soon. Never blocks on the network."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            _wake.set()
            return
        _wake.clear()
        _thread = threading.Thread(target=_thread_main, name="xinwen-baidu-push", daemon=True)
        _thread.start()


def is_running() -> bool:
    with _lock:
        return _thread is not None and _thread.is_alive()


def _thread_main() -> None:
    global _thread
    failures = 0
    try:
        while True:
            try:
                delay = _drain()
                failures = 0
            except Exception:  # a locked or restarting database: try again later, never crash the web process
                failures += 1
                log.exception("Baidu push worker failed (%d in a row)", failures)
                if failures >= MAX_FAILURES:
                    log.error("Baidu push worker stops; queued URLs wait for the next publish or `xinwen baidu_push`")
                    with _lock:
                        _thread = None
                    return
                delay = MIN_SLEEP * 2**failures
            if delay is None:
                with _lock:
                    # A kick that arrived while the queue looked empty must not be lost.
                    if not _wake.is_set():
                        _thread = None
                        return
                    _wake.clear()
                continue
            _wake.wait(min(max(delay, MIN_SLEEP), MAX_SLEEP))
            _wake.clear()
    finally:
        connection.close()


def _drain() -> float | None:
    """Send every due batch; return seconds until the next row is due, or None when nothing waits."""
    close_old_connections()
    while True:
        report = push.push_due()
        if report.error or report.handled < push.BATCH:
            break
    return push.next_due_in()


def run_until_idle() -> push.PushReport:
    """Send everything that is due now (the command without --loop)."""
    total = push.PushReport()
    while True:
        report = push.push_due()
        for name in ("sent", "retrying", "given_up", "dropped"):
            getattr(total, name).extend(getattr(report, name))
        total.rejected.update(report.rejected)
        total.error = report.error or total.error
        if report.error or report.handled < push.BATCH:
            return total


def run_forever(*, poll: float = 60.0, stop: threading.Event | None = None) -> None:
    """The command's --loop: push as rows fall due, until stopped."""
    stop = stop or threading.Event()
    while not stop.is_set():
        delay = _drain()
        stop.wait(min(max(delay if delay is not None else poll, MIN_SLEEP), poll))
