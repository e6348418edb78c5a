"""gunicorn server hooks: flush view counts periodically and when a worker stops.

`xinwen serve` loads this module with `--config python:xinwen.stats.gunicorn_hooks`.
Each worker runs a daemon thread that flushes every STATS_FLUSH_SECONDS and flushes once
more on a graceful exit (deploy, restart, SIGTERM). A worker killed outright loses
nothing either: its counts are already in Redis (or the database), and the next flush
by any process, or `xinwen flush_views`, writes them. Workers also answer beacons
without the middleware stack (see fastpath.py).
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("xinwen.stats")

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


def _periodic() -> None:
    from xinwen.stats import conf

    interval = conf.flush_interval()
    while not _stop.wait(interval):
        _flush("periodic")


def post_worker_init(worker) -> None:
    from xinwen.stats.fastpath import with_fast_beacons

    worker.wsgi = with_fast_beacons(worker.wsgi)
    _stop.clear()
    threading.Thread(target=_periodic, name="xinwen-stats-flush", daemon=True).start()


def worker_exit(server, worker) -> None:
    _stop.set()
    _flush("worker exit")
