"""Fixtures for the page-cache tests: each store, and the real WSGI stack with the cache in front.

Redis tests use database 5 of XINWEN_TEST_REDIS_URL's server (else 127.0.0.1:6379) under
a key prefix of their own, and delete only their own keys afterwards. Without a Redis
server they are skipped, unless XINWEN_REQUIRE_REDIS=1 makes that a failure (as in CI).
"""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import contextmanager
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from xinwen.pagecache import conf
from xinwen.pagecache.store_disk import DiskStore
from xinwen.pagecache.store_redis import RedisStore
from xinwen.pagecache.wsgi import PageCache

HOST = "testserver"


def _redis_url() -> str:
    base = os.environ.get("XINWEN_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return urlsplit(base)._replace(path="/5").geturl()  # database 5 only: never anyone else's data


@pytest.fixture
def disk_store(tmp_path):
    return DiskStore(tmp_path / "pagecache")


@pytest.fixture
def redis_store():
    import redis

    url = _redis_url()
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        if os.environ.get("XINWEN_REQUIRE_REDIS") == "1":
            pytest.fail(f"XINWEN_REQUIRE_REDIS=1 but Redis at {url} does not answer: {exc}")
        pytest.skip(f"no Redis at {url} ({exc}): set XINWEN_TEST_REDIS_URL to test the Redis store")
    store = RedisStore(url, prefix=f"xinwen-test-pagecache-{secrets.token_hex(6)}", max_ttl=3600)
    yield store
    keys = list(store.client.scan_iter(match=f"{store.prefix}:*", count=500))
    if keys:
        store.client.delete(*keys)


@pytest.fixture(params=["disk", "redis"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def cache_on(settings, tmp_path):
    """The page cache switched on, with a fresh on-disk store of this test's own."""
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_DIR = tmp_path / "pagecache"
    settings.REDIS_URL = ""
    conf.store.cache_clear()
    yield conf.store()
    conf.store.cache_clear()


@pytest.fixture
def site(cache_on):
    """Django's real WSGI handler behind the page cache, as `xinwen serve` runs it."""
    return PageCache(WSGIHandler(), store=cache_on)


@contextmanager
def _test_transaction_kept():
    # A real server closes the connection when a request ends; the test's transaction must survive it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status = status
        self.code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.header_list = headers
        self.body = body

    def text(self) -> str:
        return self.body.decode()


def call(app, path: str, *, method: str = "GET", host: str = HOST, body: bytes = b"", **headers) -> Answer:
    """One request through a WSGI application, as a server would make it."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if "server_port" in headers:
        environ["SERVER_PORT"] = headers.pop("server_port")
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    started = []

    def start_response(status, response_headers, exc_info=None):
        started[:] = [status, response_headers]

    with _test_transaction_kept():
        result = app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return Answer(started[0], started[1], data)
