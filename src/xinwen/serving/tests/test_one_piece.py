"""A page Django renders reaches the server as one bytes object; streams and files pass untouched."""

from __future__ import annotations

import sys
from io import BytesIO

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished

from xinwen.conftest import make_article
from xinwen.pagecache.tests.conftest import _test_transaction_kept
from xinwen.serving.wsgi import in_one_piece

pytestmark = pytest.mark.django_db


def environ(path: str, method: str = "GET") -> dict:
    return {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "testserver",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }  # fmt: skip


def call(app, path: str, method: str = "GET"):
    started = []
    with _test_transaction_kept():  # the request's end must not close the test's database connection
        result = app(environ(path, method), lambda status, headers, exc_info=None: started.append((status, dict(headers))))
    return started[0], result


@pytest.fixture
def finished():
    """How many times Django ended a request (request_finished: connections closed, queries reset)."""
    count = []

    def receiver(**_kwargs):
        count.append(1)

    request_finished.connect(receiver)
    yield count
    request_finished.disconnect(receiver)


def test_a_rendered_page_is_one_bytes_object_and_the_request_is_ended(tree, finished):
    article = make_article(category=tree["company"], title="职工运动会闭幕")
    (status, headers), body = call(in_one_piece(WSGIHandler()), f"/zh-tw/article/{article.pk}/")
    assert status.startswith("200")
    assert type(body) is list and len(body) == 1 and type(body[0]) is bytes
    assert "職工運動會閉幕" in body[0].decode()
    assert int(headers["Content-Length"]) == len(body[0])
    assert finished == [1]  # ended once, before the server sends the bytes: nothing left for it to close

    (status, _), plain = call(WSGIHandler(), f"/zh-tw/article/{article.pk}/")
    with _test_transaction_kept():
        try:
            assert b"".join(plain) == body[0]  # the same bytes Django's own iterable gives
        finally:
            plain.close()


def test_error_pages_and_head_requests_too(tree, finished):
    app = in_one_piece(WSGIHandler())
    (status, _), body = call(app, "/no-such-page/")
    assert status.startswith("404") and type(body) is list and body[0].rstrip().endswith(b"</html>")  # the site's page
    article = make_article(category=tree["company"], title="安全生产月")
    (status, headers), body = call(app, f"/article/{article.pk}/", method="HEAD")
    assert status.startswith("200") and type(body) is list
    assert finished == [1, 1]


def test_files_stay_streams(settings, finished):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    (settings.MEDIA_ROOT / "images" / "photo.png").write_bytes(picture)
    (status, _), body = call(in_one_piece(WSGIHandler()), "/media/images/photo.png")
    assert status.startswith("200")
    assert type(body) is not list  # a file is streamed by the server, not read whole here
    with _test_transaction_kept():
        try:
            assert b"".join(body) == picture
        finally:
            body.close()
    assert finished == [1]  # closed by the server when it is done, as before
