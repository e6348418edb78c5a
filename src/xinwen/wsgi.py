"""WSGI entry point for granian (`xinwen serve`) and other servers: `xinwen.wsgi:application`.

Thin layers sit in front of Django's middleware stack, outermost first:
- on its first request each process starts its threads: the periodic flush of view
  counts, its part in the hijack guard's schedule (guard/worker.py,
  GUARD_SCHEDULE_MINUTES), and with PUBLISH_DIR set the publishing thread (scheduled
  publish times reach the static tree even when nobody edits). One check of the process
  id serves them all: a page-cache hit costs a few microseconds, and each layer is part of it;
- view beacons (POST /stats/view/) go to the stats app's middleware-free handler;
- the page cache serves stored pages before any middleware, session or URL resolver runs
  (PAGE_CACHE=0 leaves Django alone);
- a page Django rendered whole reaches the server as one bytes object (serving/wsgi.py).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
application = get_wsgi_application()

# These need the settings loaded above.
from xinwen.pagecache.wsgi import wrap  # noqa: E402
from xinwen.publishing.worker import publisher_start  # noqa: E402
from xinwen.serving.wsgi import in_one_piece  # noqa: E402
from xinwen.stats.fastpath import with_fast_beacons  # noqa: E402
from xinwen.stats.worker import worker_start  # noqa: E402

starters = [worker_start, publisher_start]
if settings.XINWEN_ROLE != "edge":  # the guard is part of the CMS side only
    from xinwen.guard.worker import schedule_start  # noqa: E402

    starters.append(schedule_start)


def with_process_threads(inner, starts):
    """Wrap a WSGI application so that each process serving it calls every one of `starts` on its first request.

    Each start is idempotent and takes its own lock: two threads of a new process may
    both call it.
    """
    started_in = None

    def serve(environ, start_response):
        nonlocal started_in
        if started_in != os.getpid():
            started_in = os.getpid()  # first: a start that fails is not tried again on every request
            for start in starts:
                start()
        return inner(environ, start_response)

    return serve


application = with_process_threads(with_fast_beacons(wrap(in_one_piece(application))), tuple(starters))
