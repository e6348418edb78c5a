"""Render public URLs through the live site's own URL conf, middleware, views and templates.

As django-bakery does, the build asks Django for each page the way a reader's request
would (here with the test client's handler, which runs the full middleware stack), so
there is never a second template path. Each page also reports the cache tags its view
recorded (news.pagetags), which tell an incremental publish which files show what.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.test import Client, override_settings

from xinwen.news import pagetags

__all__ = ["Page", "Renderer", "file_for_url", "QUERY_FILES"]

# The only query parameters that select a different public page: a list's page and a
# sitemap's page. nginx maps them to the same file names (see nginx.py).
QUERY_FILES = {"page": "page", "p": "p"}


@dataclass
class _Fill:
    """What the views' pagetags calls fill in (the page cache's note, same shape)."""

    tags: set = field(default_factory=set)
    used: set = field(default_factory=set)
    max_age: float | None = None


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


class Renderer:
    """Renders one URL at a time as an anonymous reader; no cookies, no session."""

    def __init__(self):
        host, secure = _host_and_scheme()
        extra = {"HTTP_HOST": host}
        if secure:
            extra["HTTP_X_FORWARDED_PROTO"] = "https"
        self._client = Client(secure=secure, **extra)

    def render(self, url: str, *, error_page: bool = False) -> Page:
        fill = _Fill()
        if error_page:
            # The site's own 404 page (handler404), never Django's debug page of a DEBUG=1 demo.
            with override_settings(DEBUG=False):
                response = self._client.get(url, **{pagetags.ENVIRON_KEY: fill})
        else:
            response = self._client.get(url, **{pagetags.ENVIRON_KEY: fill})
        body = b"".join(response) if response.streaming else response.content
        self._client.cookies.clear()  # every page is rendered for a first-time reader
        return Page(url=url, status=response.status_code, body=body, tags=frozenset(fill.tags))
