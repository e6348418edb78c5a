"""Render public URLs through the live site's own URL conf, middleware, views and templates.

As django-bakery does, the build asks Django for each page the way a reader's request
would (Django's own request handler with the full middleware stack), so there is never a
second template path. Each page also reports the cache tags its view recorded
(news.pagetags), which tell an incremental publish which files show what.

Not the test client: it disconnects Django's close_old_connections from the global request
signals around each request and connects it again. Signals are process-wide, so in a web
process (the publishing worker renders there) another thread's request could run with the
receiver missing, and two renderers in one process could reconnect it in the middle of the
other's request, which would then close that thread's connection inside its snapshot
transaction. This renderer sends no request signals at all and changes no settings.
"""

from __future__ import annotations

import posixpath
import sys
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.signals import got_request_exception
from django.http import Http404
from django.test import RequestFactory
from django.urls import get_resolver, get_urlconf

from xinwen.news import pagetags

__all__ = ["Page", "Renderer", "file_for_url", "QUERY_FILES"]

# The only query parameters that select a different public page: a list's page and a
# sitemap's page. nginx maps them to the same file names (see nginx.py).
QUERY_FILES = {"page": "page", "p": "p"}


@dataclass
class _Fill:
    """What the views' pagetags calls fill in (the page cache's note, same shape), and a view's exception."""

    tags: set = field(default_factory=set)
    used: set = field(default_factory=set)
    max_age: float | None = None
    error: BaseException | None = None


def _keep_exception(sender, request=None, **kwargs):
    """A view that raised while rendering for a build: kept, so the build stops naming the page (not a 500 page)."""
    fill = request.META.get(pagetags.ENVIRON_KEY) if request is not None else None
    if isinstance(fill, _Fill):
        fill.error = sys.exc_info()[1]


got_request_exception.connect(_keep_exception, dispatch_uid="xinwen.publishing.render")


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    body: bytes
    tags: frozenset


def file_for_url(url: str) -> str:
    """The tree's file for a live URL: /article/12/ → article/12/index.html, /x/?page=2 → x/index.page-2.html."""
    parts = urlsplit(url)
    path = parts.path
    suffix = ""
    for name, value in parse_qsl(parts.query):
        if name in QUERY_FILES and value.isascii() and value.isdigit():
            suffix = f".{QUERY_FILES[name]}-{int(value)}"
    if path.endswith("/"):
        path += "index.html"
    clean = posixpath.normpath(path).lstrip("/")
    if clean.startswith("..") or not clean:
        raise ValueError(f"not a path inside the site: {url}")
    stem, dot, ext = clean.rpartition(".")
    if suffix:
        clean = f"{stem}{suffix}.{ext}" if dot and "/" not in ext else clean + suffix
    return clean


def _host_and_scheme() -> tuple[str, bool]:
    if settings.SITE_URL:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc, parts.scheme == "https"
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")]
    return (hosts[0] if hosts else "localhost"), settings.HTTPS


class _Handler(BaseHandler):
    """Django's request path (middleware, URL conf, view) for one request, without the request signals."""

    def __init__(self):
        super().__init__()
        self.load_middleware()


class _ErrorPageHandler(_Handler):
    """The site's own 404 page (handler404) through the same middleware, whatever DEBUG is.

    A DEBUG=1 demo would otherwise answer with Django's debug page; switching DEBUG off for
    the request would change settings for every thread of the process.
    """

    def _get_response(self, request):
        callback = get_resolver(get_urlconf()).resolve_error_handler(404)
        response = callback(request, exception=Http404())
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response


class Renderer:
    """Renders one URL at a time as an anonymous, first-time reader: no cookies, no session."""

    def __init__(self):
        host, secure = _host_and_scheme()
        extra = {"HTTP_HOST": host}
        if secure:
            extra["HTTP_X_FORWARDED_PROTO"] = "https"
        self._secure = secure
        self._factory = RequestFactory(**extra)
        self._page, self._error_page = _Handler(), _ErrorPageHandler()

    def render(self, url: str, *, error_page: bool = False) -> Page:
        fill = _Fill()
        request = self._factory.get(url, secure=self._secure, **{pagetags.ENVIRON_KEY: fill})
        response = (self._error_page if error_page else self._page).get_response(request)
        try:
            if fill.error is not None:
                raise fill.error
            body = b"".join(response) if response.streaming else response.content
        finally:
            # What response.close() does, less its request_finished signal (see the module's note).
            for close in getattr(response, "_resource_closers", ()):
                close()
        return Page(url=url, status=response.status_code, body=body, tags=frozenset(fill.tags))
