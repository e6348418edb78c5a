"""Each app process flushes view counts periodically and once more when it stops, under any server.

xinwen.wsgi calls `worker_start` on a process's first request, which starts a daemon thread that flushes every STATS_FLUSH_SECONDS and registers a
flush for the process's exit. The exit flush is registered twice on purpose: granian's
and multiprocessing's forked workers leave through `multiprocessing.util` finalizers and
never run `atexit`, plain processes run `atexit` only; the second call finds nothing
left to flush. A worker killed outright loses nothing either: its counts are already in
Redis (or the database), and the next flush by any process, or `xinwen flush_views`,
writes them.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from multiprocessing import util as mp_util

log = logging.getLogger("xinwen.stats")

__all__ = ["worker_start", "worker_stop"]

_lock = threading.Lock()
_started_in: int | None = None  # the pid whose thread is running (a forked child must start its own)
_stop = threading.Event()


def _flush(reason: str) -> None:
    from django.db import connection

    from xinwen.stats.services import views_flush

    try:
        views_flush()
    except Exception:  # never take the worker down; the counts stay in Redis for the next flush
        log.exception("flushing view counts (%s) failed", reason)
    finally:
        connection.close()  # this thread's connection; the request threads keep theirs


def _periodic(interval: float) -> None:
    while not _stop.wait(interval):
        _flush("periodic")


def worker_start() -> None:
    """Start this process's flusher once; cheap enough to call on every request."""
    global _started_in
    pid = os.getpid()
    if _started_in == pid:
        return
    with _lock:
        if _started_in == pid:
            return
        from xinwen.stats import conf

        _started_in = pid
        _stop.clear()
        threading.Thread(target=_periodic, args=(conf.flush_interval(),), name="xinwen-stats-flush", daemon=True).start()
        mp_util.Finalize(None, worker_stop, args=("worker exit",), exitpriority=10)
        atexit.register(worker_stop, "process exit")


def worker_stop(reason: str = "worker exit") -> None:
    """Stop the periodic flusher and flush what is left (graceful shutdown, deploy, restart)."""
    if _started_in != os.getpid():
        return
    _stop.set()
    _flush(reason)

