"""WSGI entry point for granian (`xinwen serve`) and other servers: `xinwen.wsgi:application`.

Two thin layers sit in front of Django's middleware stack, outermost first:
- view beacons (POST /stats/view/) go to the stats app's middleware-free handler, and each
  process starts its periodic flush of view counts on its first request;
- each process takes part in the hijack guard's schedule (guard/worker.py, GUARD_SCHEDULE_MINUTES);
- with PUBLISH_DIR set, each process starts its publishing thread on its first request
  (scheduled publish times reach the static tree even when nobody edits);
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
from xinwen.publishing.worker import with_publisher  # noqa: E402
from xinwen.serving.wsgi import in_one_piece  # noqa: E402
from xinwen.stats.fastpath import with_fast_beacons  # noqa: E402
from xinwen.stats.worker import with_flusher  # noqa: E402

application = with_publisher(with_flusher(with_fast_beacons(wrap(in_one_piece(application)))))
if settings.XINWEN_ROLE != "edge":  # the guard is part of the CMS side only
    from xinwen.guard.worker import with_guard_schedule  # noqa: E402

    application = with_guard_schedule(application)
