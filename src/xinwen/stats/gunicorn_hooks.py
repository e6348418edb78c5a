"""gunicorn server hooks, for sites that run xinwen under gunicorn instead of `xinwen serve`.

Load with `gunicorn --config python:xinwen.stats.gunicorn_hooks xinwen.wsgi:application`.
`xinwen.wsgi` already answers beacons on the fast path and starts each worker's flusher on
its first request (see worker.py); these hooks start it at boot instead and flush when
gunicorn stops a worker, which gunicorn does without running exit handlers.
"""

from __future__ import annotations


def post_worker_init(worker) -> None:
    from xinwen.stats.worker import worker_start

    worker_start()


def worker_exit(server, worker) -> None:
    from xinwen.stats.worker import worker_stop

    worker_stop("worker exit")
