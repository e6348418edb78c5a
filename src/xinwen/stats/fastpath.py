"""Beacons without Django's middleware stack: the hot path of a busy news site.

A beacon needs none of what the middleware does for pages (sessions, CSRF, auth,
messages, script variants, security headers for documents): the view checks the host,
the origin and the request's shape itself. Skipping the stack and the URL resolver
roughly halves the cost of a beacon, which matters when every reader of every article
sends one. `xinwen.wsgi` installs this in front of everything else; any other entry point runs
the same view through the full stack, with the same answers (tests compare the two).
"""

from __future__ import annotations

import re

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from xinwen.hanzi.variants import VARIANTS
from xinwen.stats import views

__all__ = ["BeaconHandler", "with_fast_beacons"]


class BeaconHandler(WSGIHandler):
    """Django's WSGI handler (request signals, exception handling, logging) for the beacon view alone."""

    def load_middleware(self, is_async=False):
        view = convert_exception_to_response(views.beacon)

        def chain(request):
            response = view(request)
            # What SecurityMiddleware adds to every answer, error pages included.
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            return response

        self._middleware_chain = chain


def beacon_path() -> re.Pattern:
    """The beacon's path, also under the script prefixes (/zh-tw/stats/view/) pages use."""
    path = reverse("stats:beacon")
    prefixes = "|".join(re.escape(variant.prefix) for variant in VARIANTS.values() if variant.prefix)
    return re.compile(rf"(?:/(?:{prefixes}))?{re.escape(path)}")


def with_fast_beacons(application):
    """Wrap a WSGI application: POSTs to the beacon go to BeaconHandler, all else to `application`."""
    handler = BeaconHandler()
    path = beacon_path()

    def dispatch(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and path.fullmatch(environ.get("PATH_INFO", "")):
            return handler(environ, start_response)
        return application(environ, start_response)

    dispatch.beacon_handler = handler
    return dispatch
