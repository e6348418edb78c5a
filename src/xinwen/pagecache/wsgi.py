"""The WSGI layer in front of Django: serve stored pages, and store the pages Django renders.

A hit costs one store read and a few header lines: no ORM, template, session,
middleware or URL resolver. Only anonymous GET/HEAD of public URLs are looked up; a
session cookie (an editor), another method, an unknown query string or a private path
goes straight to Django. On a miss Django renders as usual; if a view tagged the page
and the response is a plain public 200, the bytes are stored and served like a hit.

Cache-Control is `public, max-age=0, must-revalidate`: browsers and shared caches (a
CDN, the reverse proxy) may keep the page but must ask again each time, which costs a
304 here. A longer max-age would let them show a page for seconds after an editor
changed it, which is what the purges exist to prevent.
"""

from __future__ import annotations

import logging
import re
import time
from email.utils import formatdate
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.http import parse_http_date_safe

from xinwen.hanzi.variants import VARIANTS
from xinwen.news.csp import nonce_in
from xinwen.news.pagetags import ENVIRON_KEY
from xinwen.pagecache import conf
from xinwen.pagecache.entry import entry_build, entry_grown

__all__ = ["PageCache", "wrap"]

log = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Never cached, in any script: back office, API (own ETags), beacons, uploads, static
# files (WhiteNoise), and search results (query-driven and rate-limited).
PRIVATE_PATHS = ("/admin/", "/api/", "/stats/", "/media/", "/static/", "/search/")
# The only query strings a public page has; anything else (?utm_source=…, ?x=random)
# goes to Django uncached, so nobody can fill the store with made-up URLs. Page 1 has no
# parameter in its canonical URL, so `?page=1` is rendered but never stored as a duplicate;
# and a parameter is stored only where the view says it used it (pagecache.uses_query).
PUBLIC_QUERY = re.compile(r"(?:page|p)=(?:[2-9]|[1-9][0-9]{1,5})|ruby=1")
DEFAULT_PORTS = {"http": "80", "https": "443"}
STORED_TYPES = ("text/html", "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "image/svg+xml")  # svg: the share QR code
NO_STORE = {"private", "no-store", "no-cache"}  # Cache-Control directives that keep a response out
_PREFIXES = tuple(f"/{variant.prefix}/" for variant in VARIANTS.values() if variant.prefix)


class Fill:
    """What a miss carries through Django: the key, the store's epoch before rendering, the view's tags."""

    __slots__ = ("key", "epoch", "tags", "max_age", "param", "used")

    def __init__(self, key: str, epoch: str, param: str = ""):
        self.key, self.epoch, self.tags, self.max_age = key, epoch, set(), None
        self.param = param  # the query parameter in the key ("page", "p", "ruby"), or ""
        self.used = set()  # the parameters the view said it used


@lru_cache(maxsize=128)  # browsers send a handful of distinct headers; the bound holds against made-up ones
def choose_encoding(accept: str) -> str:
    """br, gzip or identity for an Accept-Encoding header (q=0 refuses a coding)."""
    if not accept:
        return "identity"
    weights = {}
    for part in accept.lower().split(","):
        name, _, params = part.partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name.strip()] = q
    for coding in ("br", "gzip"):
        if weights.get(coding, weights.get("*", 0.0)) > 0:
            return coding
    return "identity"


def _etag(entry, coding: str) -> str:
    # A strong ETag names one representation, so each encoding gets its own.
    return f'"{entry.etag}"' if coding == "identity" else f'"{entry.etag}-{coding}"'


def not_modified(environ, entry) -> bool:
    """RFC 9110 conditional GET: If-None-Match (any encoding of this body), else If-Modified-Since."""
    none_match = environ.get("HTTP_IF_NONE_MATCH")
    if none_match is not None:
        for candidate in none_match.split(","):
            candidate = candidate.strip()
            if candidate == "*":
                return True
            if candidate.removeprefix("W/").strip('"').split("-", 1)[0] == entry.etag:
                return True
        return False
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        when = parse_http_date_safe(since)
        return when is not None and entry.last_modified <= when
    return False


def _short(entry, coding: str) -> list:
    """The headers of a 304 for one encoding; kept on the entry for its next revalidations."""
    short = entry.prepared.get((coding, 304))
    if short is None:
        short = entry.prepared[coding, 304] = [
            ("ETag", _etag(entry, coding)),
            ("Last-Modified", formatdate(entry.last_modified, usegmt=True)),
            ("Cache-Control", CACHE_CONTROL),
            *(pair for pair in entry.headers if pair[0] == "Vary"),
        ]
    return short


def _prepare(entry, coding: str) -> tuple[dict, bool]:
    """({"hit": headers, "miss": headers, "body": body} for one encoding, whether the body was compressed now).

    Kept on the entry for its next hits. An encoding the entry lacks (its miss was
    fetched in another one) is compressed here, once per entry in this process.
    """
    prepared = entry.prepared.get(coding)
    if prepared is not None:
        return prepared, False
    grown = coding not in entry.bodies
    body = entry_grown(entry, coding)
    full = [
        *entry.headers,
        ("ETag", _etag(entry, coding)),
        ("Last-Modified", formatdate(entry.last_modified, usegmt=True)),
        ("Cache-Control", CACHE_CONTROL),
        ("Content-Length", str(len(body))),
    ]
    if coding != "identity":
        full.append(("Content-Encoding", coding))
    prepared = entry.prepared[coding] = {
        "hit": [*full, ("X-Page-Cache", "hit")],
        "miss": [*full, ("X-Page-Cache", "miss")],
        "body": body,
    }
    return prepared, grown


def serve(entry, environ, start_response, *, state: str) -> tuple[list, bool]:
    """Answer from `entry`: (the WSGI body, whether an encoding was added to the entry)."""
    coding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if not_modified(environ, entry):  # a revalidation never compresses
        start_response("304 Not Modified", [*_short(entry, coding), ("X-Page-Cache", state)])
        return [], False
    prepared, grown = _prepare(entry, coding)
    # A copy: PEP 3333 lets the server change the list it is given.
    start_response(entry.status, prepared[state].copy())
    return ([] if environ["REQUEST_METHOD"] == "HEAD" else [prepared["body"]]), grown


def storable(fill: Fill, status: str, headers) -> bool:
    """A response that any anonymous reader may get byte for byte, and that a view tagged.

    Its Content-Security-Policy is stored and sent with every hit like the other headers.
    """
    if not fill.tags or not status.startswith("200 "):
        return False
    if fill.param and fill.param not in fill.used:  # /article/1/?page=7 is the article page again
        return False
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie" or name == "content-encoding":
            return False
        if name == "content-type" and value.split(";", 1)[0].strip().lower() not in STORED_TYPES:
            return False
        if name == "cache-control" and {t.strip().split("=")[0] for t in value.lower().split(",")} & NO_STORE:
            return False
        if name == "vary" and {t.strip() for t in value.lower().split(",")} & {"cookie", "*"}:
            return False
        # A nonce allows one response's inline script; stored, every reader would get the same one.
        if name == "content-security-policy" and nonce_in(value):
            return False
    return any(name.lower() == "content-type" for name, _ in headers)


class PageCache:
    """WSGI middleware: `PageCache(get_wsgi_application())`."""

    def __init__(self, application, *, store=None, ttl: int | None = None, next_publish=None):
        self.application = application
        self.store = store if store is not None else conf.store()
        self.ttl = ttl if ttl is not None else conf.max_ttl()
        if next_publish is None:
            from xinwen.pagecache.selectors import next_publish_time as next_publish
        self.next_publish = next_publish
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        proxy = settings.SECURE_PROXY_SSL_HEADER
        self.proxy_header = proxy[0] if proxy else None
        self._last_error_log = 0.0
        self.origin, self.hosts = _canonical_origins()
        # The answer for each (Host, SERVER_NAME, SERVER_PORT, scheme) seen: a few per site, and
        # a made-up Host header costs one slot of a fixed-size memory, never a growing one.
        self._host_of = lru_cache(maxsize=128)(self._host_uncached)

    def key_for(self, environ) -> str | None:
        """The store key (scheme, host, path with script prefix, query), or None: not cacheable."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if self.session_cookie in environ.get("HTTP_COOKIE", "") or "HTTP_AUTHORIZATION" in environ:
            return None
        path = environ.get("PATH_INFO", "/")
        rest = path
        if path.startswith(_PREFIXES):
            rest = path[path.index("/", 1) :]
        if rest.startswith(PRIVATE_PATHS):
            return None
        query = environ.get("QUERY_STRING", "")
        if query and not PUBLIC_QUERY.fullmatch(query):
            return None
        scheme = environ.get("wsgi.url_scheme", "http")
        if self.proxy_header and environ.get(self.proxy_header, "").split(",")[0].strip() == "https":
            scheme = "https"
        host = self._host_of(environ.get("HTTP_HOST"), environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT"), scheme)
        if host is None:
            return None
        return f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}{path}{'?' if query else ''}{query}"

    def _host_uncached(self, http_host: str | None, server_name: str, server_port: str | None, scheme: str) -> str | None:
        """The request's host as keys name it, or None: a host (or port) a page may not be stored under.

        Every Host header Django accepts would otherwise be a key of its own (other ports, a
        trailing dot, a name ALLOWED_HOSTS matches by wildcard), each storing the same pages again.
        """
        domain, port = split_domain_port(http_host or server_name)
        if not domain:
            return None
        if port and port != DEFAULT_PORTS.get(scheme) and port != server_port:
            return None
        host = f"{domain}:{port}" if port and port != DEFAULT_PORTS.get(scheme) else domain
        if self.origin is not None:  # SITE_URL: the one origin pages are stored for
            return host if (scheme, host) == self.origin else None
        return host if host in self.hosts or domain in self.hosts else None

    def __call__(self, environ, start_response):
        key = self.key_for(environ)
        if key is None:
            return self.application(environ, start_response)
        try:
            entry = self.store.get(key)
        except Exception:  # a store that is down means rendering every page, never an error page
            self._log_store_error("reading")
            return self.application(environ, start_response)
        if entry is not None and entry.expires > time.time():
            body, grown = serve(entry, environ, start_response, state="hit")
            if grown:
                self._store_grown(entry)
            return body
        if environ["REQUEST_METHOD"] != "GET":  # a HEAD miss is answered by Django and not stored
            return self.application(environ, start_response)
        return self._fill(key, environ, start_response)

    def _fill(self, key, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        try:
            fill = Fill(key, self.store.epoch(), query.partition("=")[0] if query else "")
        except Exception:
            self._log_store_error("reading")
            return self.application(environ, start_response)
        environ[ENVIRON_KEY] = fill
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return _no_write

        result = self.application(environ, capture)
        status, headers, exc_info = captured
        if not storable(fill, status, headers):
            start_response(status, headers, exc_info)
            return result
        try:
            body = b"".join(result)
            now = time.time()
            expires = now + (self.ttl if fill.max_age is None else min(self.ttl, fill.max_age))
            # A scheduled article appears at its publish time: no page may be served past it.
            try:
                upcoming = self.next_publish()
            except Exception:
                log.exception("page cache: no next publish time; this page is served but not stored")
                upcoming = now
        finally:
            if hasattr(result, "close"):
                result.close()
        if upcoming is not None:
            expires = min(expires, upcoming)
        # Only the encoding this reader asked for: another one is added by its first hit.
        coding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
        entry = entry_build(key=key, status=status, headers=headers, body=body, tags=fill.tags, expires=expires, now=now,
                            encodings=(coding,), epoch=fill.epoch)  # fmt: skip
        if expires > now:
            try:
                self.store.put(entry, epoch=fill.epoch)
            except Exception:
                self._log_store_error("writing")
        return serve(entry, environ, start_response, state="miss")[0]

    def _store_grown(self, entry) -> None:
        """Store `entry` again with the encoding a hit just added, unless a purge happened since it was rendered.

        A purge since then (any purge: the epoch says only that one happened) may have
        dropped this very entry; writing it back would bring back a page from before the
        change, so the encoding then stays in this process's copy only. The store checks
        the epoch again after writing, for a purge that starts meanwhile.
        """
        try:
            if self.store.epoch() == entry.epoch:
                self.store.put(entry, epoch=entry.epoch)
        except Exception:
            self._log_store_error("writing")

    def _log_store_error(self, doing: str) -> None:
        now = time.monotonic()
        if now - self._last_error_log > 60:  # once a minute, not once a request
            self._last_error_log = now
            # A warning: pages are still served; an unreachable store is for the operator, not a bug.
            log.warning("page cache: %s the store failed; serving from Django", doing, exc_info=True)


def _canonical_origins() -> tuple[tuple[str, str] | None, frozenset[str]]:
    """SITE_URL as (scheme, host), and the exact names in ALLOWED_HOSTS (wildcards store nothing)."""
    origin = None
    if settings.SITE_URL:
        parts = urlsplit(settings.SITE_URL)
        domain, port = split_domain_port(parts.netloc)
        if domain:
            scheme = parts.scheme.lower()
            origin = (scheme, f"{domain}:{port}" if port and port != DEFAULT_PORTS.get(scheme) else domain)
    hosts = set()
    for entry in settings.ALLOWED_HOSTS:
        domain, port = split_domain_port(entry.lower())
        if domain and not domain.startswith(".") and "*" not in entry:
            hosts.add(domain)
    return origin, frozenset(hosts)


def _no_write(data):
    raise RuntimeError("the page cache expects WSGI applications to return their body, not to write() it")


def wrap(application):
    """The page cache around `application` when PAGE_CACHE is on, else `application` itself."""
    return PageCache(application) if conf.enabled() else application
