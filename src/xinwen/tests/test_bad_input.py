"""Hostile input through the whole WSGI stack: a 4xx (or the page), never a 500, never an ERROR log.

The requests are the classes an audit sent: odd and overlong paths, NUL bytes, invalid
UTF-8 in paths, queries and form bodies, a megabyte of query string, thousands of
parameters, malformed Accept-Encoding and Range headers, Content-Length together with
Transfer-Encoding, at public pages, search, the API, the beacon, the admin login and
media. They go to the stack `xinwen.wsgi` builds (fast beacons, then the page cache, then
Django's handler with every middleware), called directly with crafted environs.
"""

from __future__ import annotations

import logging
import sys
from io import BytesIO

import pytest
from django.core.handlers.wsgi import WSGIHandler

from xinwen.conftest import make_article
from xinwen.pagecache.store_disk import DiskStore
from xinwen.pagecache.tests.conftest import _test_transaction_kept
from xinwen.pagecache.wsgi import PageCache
from xinwen.serving.wsgi import in_one_piece
from xinwen.stats.fastpath import with_fast_beacons

pytestmark = pytest.mark.django_db

MANY = "&".join(f"f{n}=1" for n in range(2000))
MEGABYTE = "q=" + "a" * (1024 * 1024)
BAD_UTF8 = "\xff\xfe\xc3\x28"  # PEP 3333: PATH_INFO and QUERY_STRING carry raw bytes as latin-1
FORM = "application/x-www-form-urlencoded"

PUBLIC = ["/", "/no-such-page/", "/category/company/", "/article/{id}/", "/zh-tw/article/{id}/", "/feeds/rss.xml",
          "/sitemap.xml"]  # fmt: skip
OTHERS = ["/search/", "/api/v1/articles", "/api/v1/search", "/api/v1/articles/{id}", "/stats/view/{id}.gif",
          "/admin/login/", "/media/images/photo.png"]  # fmt: skip

PATHS = [
    "//", "///", "//admin//", "/./", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/media/../../etc/passwd",
    "/media/%2e%2e/secret", "/static/../settings.py", "/article/1\x00/", "/category/\x00/", "/media/a\x00.png",
    "/" + "a" * 10_000, "/category/" + "字".encode().decode("latin-1") * 3000 + "/", "/media/" + "a" * 300 + ".png",
    "/media/" + ("b" * 250 + "/") * 40 + "x", f"/{BAD_UTF8}/", f"/category/{BAD_UTF8}/", f"/media/{BAD_UTF8}.png",
    f"/search/{BAD_UTF8}", "/api/v1/articles/99999999999999999999999", "/api/v1/articles/-1",
    "/stats/view/99999999999999999999999.gif", "/zh-xx/", "/zh-tw//", "/admin/" + "x" * 5000,
]  # fmt: skip
QUERIES = [
    "a=%00", "page=1%00", "page=%00", "q=a%00b", "q=%ff%fe", BAD_UTF8, f"q={BAD_UTF8}", f"page={BAD_UTF8}",
    MEGABYTE, MANY, "page=99999999999999999999", "limit=abc&offset=-5", "variant=%ff", "p=0", "ruby=%00",
    "q=" + "%E9%9B%86" * 5000, "=&&=&", "%", "%%%", "a[]=1&a[]=2",
]  # fmt: skip
HEADERS = [
    {"HTTP_ACCEPT_ENCODING": "gzip;q=abc, br;q="},
    {"HTTP_ACCEPT_ENCODING": ";;;,,,;q=1"},
    {"HTTP_ACCEPT_ENCODING": "br;q=nan, gzip;q=inf, *;q=-1"},
    {"HTTP_ACCEPT_ENCODING": BAD_UTF8},
    {"HTTP_RANGE": "bytes=999999999-"},
    {"HTTP_RANGE": "bytes=-"},
    {"HTTP_RANGE": "bytes=abc"},
    {"HTTP_RANGE": "bytes=0-1,2-3," * 500},
    {"HTTP_IF_NONE_MATCH": BAD_UTF8, "HTTP_IF_MODIFIED_SINCE": "yesterday"},
    {"HTTP_IF_MODIFIED_SINCE": "Mon, 99 Foo 99999 99:99:99 GMT"},
    {"HTTP_ACCEPT_LANGUAGE": "zh" * 5000},
    {"HTTP_COOKIE": BAD_UTF8 + "; sessionid=" + "x" * 5000},
    {"HTTP_X_FORWARDED_FOR": BAD_UTF8, "HTTP_X_FORWARDED_PROTO": "https,http"},
    {"HTTP_REFERER": "http://[", "HTTP_ORIGIN": "http://[::1"},
]
BODIES = [
    # (method, path, content type, body, extra environ)
    ("POST", "/admin/login/", FORM, b"username=\xff\xfe&password=\xc3\x28", {}),
    ("POST", "/admin/login/", FORM, MANY.encode(), {}),
    ("POST", "/admin/login/", "multipart/form-data; boundary=x", b"--x\r\n\xff\xff\r\n--x--", {}),
    ("POST", "/admin/login/", "multipart/form-data", b"no boundary", {}),
    ("POST", "/admin/login/", FORM, b"a=1", {"CONTENT_LENGTH": "-1"}),
    ("POST", "/admin/login/", FORM, b"a=1" * 10, {"CONTENT_LENGTH": "10", "HTTP_TRANSFER_ENCODING": "chunked"}),
    ("POST", "/stats/view/", FORM, b"article=\xff", {}),
    ("POST", "/stats/view/", FORM, b"article=1", {"CONTENT_LENGTH": "abc"}),
    ("POST", "/stats/view/", FORM, b"article=1", {"CONTENT_LENGTH": "99999999999999999999"}),
    ("POST", "/stats/view/", FORM, b"article=1", {"CONTENT_LENGTH": "9", "HTTP_TRANSFER_ENCODING": "chunked"}),
    ("POST", "/stats/view/", "text/plain; charset=\xff", b"article=1", {}),
    ("POST", "/zh-tw/stats/view/", FORM, b"\x00" * 200, {}),
    ("POST", "/search/", FORM, b"q=\xff", {}),
    ("POST", "/api/v1/articles", "application/json", b"{\xff", {}),
    ("PUT", "/", FORM, b"\xff", {}),
    ("DELETE", "/article/{id}/", "", b"", {}),
    ("OPTIONS", "/api/v1/articles", "", b"", {"HTTP_ORIGIN": BAD_UTF8}),
    ("BREW", "/", "", b"", {}),
]  # fmt: skip


class ErrorRecords(logging.Handler):
    """Every record at ERROR or above, from any logger (Django's own do not reach the root)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logged_errors():
    handler = ErrorRecords()
    loggers = [logging.getLogger(name) for name in ("", "django", "django.request", "django.security", "axes", "xinwen")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def stack(settings, tmp_path, tree):
    """What xinwen.wsgi builds (without the flusher thread), over a site with an article and an image."""
    settings.PAGE_CACHE = True
    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 4000)
    article = make_article(category=tree["company"], title="座谈会在沪举行", view_count=275)
    app = with_fast_beacons(PageCache(in_one_piece(WSGIHandler()), store=DiskStore(tmp_path / "pagecache"), next_publish=lambda: None))
    return app, article.pk


def send(app, method: str, path: str, query: str = "", *, body: bytes = b"", content_type: str = "", **extra) -> int:
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0 Safari/537.36",
        "HTTP_ACCEPT_LANGUAGE": "zh-CN",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    environ.update(extra)
    started = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status]

    with _test_transaction_kept():
        result = app(environ, start_response)
        try:
            for _chunk in result:
                pass
        finally:
            if hasattr(result, "close"):
                result.close()
    return int(started[0].split()[0])


def _check(answers: dict, logged_errors) -> None:
    broken = {what: code for what, code in answers.items() if code >= 500}
    assert broken == {}, f"5xx answers: {broken}"
    assert [f"{r.name}: {r.getMessage()[:200]}" for r in logged_errors] == []


def test_odd_paths(stack, logged_errors):
    app, pk = stack
    answers = {path[:80]: send(app, "GET", path.replace("{id}", str(pk))) for path in PATHS}
    _check(answers, logged_errors)


@pytest.mark.parametrize("path", PUBLIC + OTHERS)
def test_odd_queries(stack, logged_errors, path):
    app, pk = stack
    answers = {query[:80]: send(app, "GET", path.replace("{id}", str(pk)), query) for query in QUERIES}
    _check(answers, logged_errors)


@pytest.mark.parametrize("path", PUBLIC + OTHERS)
def test_odd_headers(stack, logged_errors, path):
    app, pk = stack
    answers = {}
    for headers in HEADERS:
        for _ in range(2):  # the second may be a page-cache hit, a path of its own
            answers[repr(headers)[:80]] = send(app, "GET", path.replace("{id}", str(pk)), **headers)
    _check(answers, logged_errors)


def test_odd_bodies(stack, logged_errors):
    app, pk = stack
    answers = {}
    for method, path, content_type, body, extra in BODIES:
        path = path.replace("{id}", str(pk))
        answers[f"{method} {path} {body[:30]!r} {extra}"] = send(
            app, method, path, body=body, content_type=content_type, **extra
        )
    _check(answers, logged_errors)
