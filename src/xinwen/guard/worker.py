"""The guard on a schedule without cron: the server's own processes take turns, one pass per time slot.

Like the view-count flusher (stats/worker.py), the first request a process serves starts
a daemon thread. Every GUARD_SCHEDULE_MINUTES the thread of each process wakes and asks
`guard_pass` for the current slot (the number of whole intervals since the epoch); the
slot is a unique column of GuardRun, so exactly one process in one machine or several
runs the pass and the others find it taken. GUARD_SCHEDULE_MINUTES=0 (or no SITE_URL)
starts nothing.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time

from django.conf import settings

log = logging.getLogger("xinwen.guard")

__all__ = ["schedule_start", "schedule_stop", "current_slot", "scheduled_pass"]

_lock = threading.Lock()
_started_in: int | None = None
_stop = threading.Event()
FIRST_DELAY = 60.0  # let the server finish starting before it is fetched


def _interval() -> float:
    return float(getattr(settings, "GUARD_SCHEDULE_MINUTES", 0) or 0) * 60


def current_slot(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // _interval())


def scheduled_pass(now: float | None = None):
    """Run the pass for the current slot unless another process has; returns the run or None."""
    from django.db import connection

    from xinwen.guard.monitor import guard_pass
    from xinwen.guard.patrol import PatrolError

    try:
        run, _report = guard_pass(base_url=settings.SITE_URL, trigger="schedule", slot=current_slot(now))
        return run
    except PatrolError as exc:
        log.warning("scheduled guard pass could not run: %s", exc)
    except Exception:  # never take the server down
        log.exception("scheduled guard pass failed")
    finally:
        connection.close()
    return None


def _loop(interval: float) -> None:
    if _stop.wait(FIRST_DELAY + random.uniform(0, 30)):
        return
    while True:
        scheduled_pass()
        until_next = interval - (time.time() % interval) + random.uniform(1, 30)
        if _stop.wait(until_next):
            return


def schedule_start() -> None:
    """Start this process's schedule thread once; cheap enough to call on every request."""
    global _started_in
    pid = os.getpid()
    if _started_in == pid:
        return
    with _lock:
        if _started_in == pid:
            return
        _started_in = pid
        interval = _interval()
        if interval <= 0 or not getattr(settings, "SITE_URL", ""):
            return
        _stop.clear()
        threading.Thread(target=_loop, args=(interval,), name="xinwen-guard-schedule", daemon=True).start()


def schedule_stop() -> None:
    _stop.set()

