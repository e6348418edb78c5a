"""The beacon over HTTP: answers, bad input (always 4xx, never 500), shapes that are not counted.

Every request also goes through fastpath.py's middleware-free handler (what gunicorn
runs), and both must answer alike.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.stats.fastpath import with_fast_beacons
from xinwen.stats.tests.conftest import BROWSER_HEADERS, FORM, OTHER_UA, beacon, current_views

pytestmark = pytest.mark.django_db


def answer(response) -> dict:
    return json.loads(response.content)


def test_beacon_counts_and_answers_the_live_count(client, store, article):
    response = beacon(client, article.pk)

    assert response.status_code == 200
    assert answer(response) == {"views": 276, "counted": True}
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies, "a beacon must never set a cookie"
    assert current_views(article) == 276


def test_reload_within_the_window_is_not_counted(client, store, article):
    beacon(client, article.pk)

    response = beacon(client, article.pk)

    assert answer(response) == {"views": 276, "counted": False}
    assert answer(beacon(client, article.pk, HTTP_USER_AGENT=OTHER_UA)) == {"views": 277, "counted": True}


@pytest.mark.parametrize(
    "prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"], ids=["zh-hans", "zh-hant", "zh-tw", "zh-hk"]
)
def test_beacon_from_every_script_variant_counts_the_same_article(client, store, article, prefix):
    response = client.post(f"{prefix}/stats/view/", f"article={article.pk}", content_type=FORM, **BROWSER_HEADERS)

    assert answer(response) == {"views": 276, "counted": True}


def test_text_plain_beacon_is_accepted(client, store, article):
    """navigator.sendBeacon with a string body sends text/plain."""
    response = beacon(client, article.pk, content_type="text/plain;charset=UTF-8")

    assert answer(response)["counted"] is True


BAD = [
    # (what, request keyword arguments, status)
    ("no article field", {"body": "webdriver=1"}, 400),
    ("empty article", {"body": "article="}, 400),
    ("no content type", {"body": "", "content_type": ""}, 415),
    ("not a number", {"body": "article=abc"}, 400),
    ("negative", {"body": "article=-1"}, 400),
    ("zero", {"body": "article=0"}, 400),
    ("full-width digits", {"body": "article=１２"}, 400),
    ("superscript digit", {"body": "article=%C2%B2"}, 400),
    ("bigger than any primary key", {"body": "article=99999999999999999999"}, 400),
    ("past bigint", {"body": "article=9223372036854775808"}, 400),
    ("repeated field", {"body": "article=1&article=2"}, 400),
    ("unknown field", {"body": "article=1&evil=1"}, 400),
    ("too many fields", {"body": "article=1&webdriver=1&x=1"}, 400),
    ("not urlencoded", {"body": "article"}, 400),
    ("binary", {"body": "\x00\xff\xfe"}, 400),
    ("JSON", {"body": '{"article": 1}', "content_type": "application/json"}, 415),
    ("multipart", {"body": "x", "content_type": "multipart/form-data; boundary=x"}, 415),
    ("oversized", {"body": "article=1&" + "x" * 5000}, 413),
    ("another site's page", {"HTTP_ORIGIN": "https://evil.example"}, 403),
    ("cross-site fetch", {"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
    ("origin null", {"HTTP_ORIGIN": "null"}, 403),
    ("unknown host", {"HTTP_HOST": "evil.example"}, 400),
]


@pytest.mark.parametrize("what, kwargs, status", BAD, ids=[row[0] for row in BAD])
def test_bad_beacons_get_4xx_and_count_nothing(client, article, what, kwargs, status):
    kwargs = dict(kwargs)
    response = beacon(client, article.pk, body=kwargs.pop("body", None), **kwargs)

    assert response.status_code == status, response.content
    assert current_views(article) == 275


def test_unknown_and_unpublished_articles_are_404(client, store, tree):
    draft = make_article(category=tree["company"], status=Article.Status.DRAFT)

    assert beacon(client, 987654321).status_code == 404
    assert beacon(client, draft.pk).status_code == 404
    assert "error" in answer(beacon(client, draft.pk))


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch", "options"])
def test_wrong_method_is_405(client, article, method):
    response = getattr(client, method)("/stats/view/")

    assert response.status_code == 405
    assert "POST" in response["Allow"]


NOT_COUNTED = [
    ("crawler", {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"}),
    ("headless browser", {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36"}),
    ("HTTP library", {"HTTP_USER_AGENT": "python-requests/2.32.3"}),
    ("no user agent", {"HTTP_USER_AGENT": ""}),
    ("no Accept-Language", {"HTTP_ACCEPT_LANGUAGE": ""}),
    ("a navigation, not a fetch", {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document"}),
    ("an iframe", {"HTTP_SEC_FETCH_DEST": "iframe"}),
]  # fmt: skip


@pytest.mark.parametrize("what, headers", NOT_COUNTED, ids=[row[0] for row in NOT_COUNTED])
def test_requests_without_a_readers_shape_are_answered_but_not_counted(client, store, article, what, headers):
    response = beacon(client, article.pk, **headers)

    assert response.status_code == 200
    assert answer(response) == {"views": 275, "counted": False}
    assert current_views(article) == 275


def test_automated_browser_is_not_counted(client, store, article):
    response = beacon(client, article.pk, body=f"article={article.pk}&webdriver=1")

    assert answer(response) == {"views": 275, "counted": False}


def test_hammering_one_client_cannot_inflate_and_is_rate_limited(client, store, article, settings):
    settings.STATS_RATE_LIMIT = 30
    # The limit counts per clock-aligned window: the 40 beacons are sent within one, however
    # slowly the machine runs (across a minute's end, a second window would let more through).
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=1)

    with time_machine.travel(start, tick=False):
        statuses = [beacon(client, article.pk).status_code for _ in range(40)]
        refused = beacon(client, article.pk)

    assert statuses.count(200) == 30 and statuses.count(429) == 10
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert current_views(article) == 276


def test_proxy_count_decides_whether_x_forwarded_for_is_trusted(client, store, article, settings):
    # Without a trusted proxy, a forged X-Forwarded-For does not make a new reader.
    settings.PROXY_COUNT = 0
    assert answer(beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.1"))["counted"]
    assert not answer(beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.2"))["counted"]

    # Behind one proxy, the address it appended is the reader; what the client wrote before it is not.
    settings.PROXY_COUNT = 1
    assert answer(beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.3"))["counted"]
    assert not answer(beacon(client, article.pk, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.3"))["counted"]
    assert answer(beacon(client, article.pk, HTTP_X_FORWARDED_FOR="203.0.113.4"))["counted"]


# --- <noscript> image ------------------------------------------------------------------

IMAGE_HEADERS = {
    "HTTP_USER_AGENT": BROWSER_HEADERS["HTTP_USER_AGENT"],
    "HTTP_ACCEPT": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
    "HTTP_SEC_FETCH_DEST": "image",
}


def test_noscript_image_counts_once(client, store, article):
    first = client.get(f"/stats/view/{article.pk}.gif", **IMAGE_HEADERS)
    again = client.get(f"/stats/view/{article.pk}.gif", **IMAGE_HEADERS)

    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "image/gif" and first.content.startswith(b"GIF89a")
    assert first["Cache-Control"] == "no-store"
    assert current_views(article) == 276


@pytest.mark.parametrize(
    "headers",
    [
        {**IMAGE_HEADERS, "HTTP_ACCEPT": "*/*"},  # curl, scripts
        {**IMAGE_HEADERS, "HTTP_SEC_FETCH_DEST": "document"},  # the URL opened as a page
        {**IMAGE_HEADERS, "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
    ],
)
def test_noscript_image_without_an_images_shape_is_not_counted(client, store, article, headers):
    assert client.get(f"/stats/view/{article.pk}.gif", **headers).status_code == 200
    assert client.head(f"/stats/view/{article.pk}.gif", **IMAGE_HEADERS).status_code == 200
    assert current_views(article) == 275


@pytest.mark.parametrize("path", ["/stats/view/987654321.gif", "/stats/view/99999999999999999999999.gif", "/stats/view/0.gif"])
def test_noscript_image_of_unknown_article_is_404(client, db, path):
    assert client.get(path, **IMAGE_HEADERS).status_code == 404


def test_noscript_image_only_answers_get(client, article):
    assert client.post(f"/stats/view/{article.pk}.gif", **IMAGE_HEADERS).status_code == 405


# --- the middleware-free handler answers exactly like the full stack ---------------------


def _wsgi(app, path: str, body: bytes, content_type: str = FORM, **headers) -> tuple[str, dict, bytes]:
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "HTTP_HOST": "testserver", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type, "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "SERVER_PROTOCOL": "HTTP/1.1", **BROWSER_HEADERS, **headers,
    }  # fmt: skip
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured.update(status=status, headers=dict(response_headers))

    content = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], content


@pytest.mark.parametrize(
    "path, body, headers",
    [
        ("/stats/view/", "article={pk}", {}),
        ("/zh-tw/stats/view/", "article={pk}", {"HTTP_USER_AGENT": OTHER_UA}),
        ("/stats/view/", "article={pk}", {}),  # the repeat
        ("/stats/view/", "article=987654321", {}),
        ("/stats/view/", "article=x", {}),
        ("/stats/view/", "article={pk}", {"HTTP_ORIGIN": "https://evil.example"}),
        ("/stats/view/", "article={pk}", {"HTTP_HOST": "evil.example"}),
        ("/stats/view/", "article={pk}", {"HTTP_USER_AGENT": "curl/8.5.0"}),
    ],
)
def test_fast_path_answers_like_the_full_stack(store, article, settings, path, body, headers):
    settings.ALLOWED_HOSTS = ["testserver"]
    full = WSGIHandler()
    fast = with_fast_beacons(full)
    payload = body.format(pk=article.pk).encode()

    # Two readers, so that the first request of each pair counts and the answers can match.
    expected = _wsgi(full, path, payload, HTTP_X_FORWARDED_FOR="", REMOTE_ADDR="192.0.2.1", **headers)
    got = _wsgi(fast, path, payload, REMOTE_ADDR="192.0.2.2", **headers)

    assert got[0] == expected[0]
    if expected[0].startswith("200"):
        assert json.loads(got[2])["counted"] == json.loads(expected[2])["counted"]
        assert json.loads(got[2])["views"] == json.loads(expected[2])["views"] + int(json.loads(got[2])["counted"])
    for header in ("Content-Type", "Cache-Control", "X-Content-Type-Options", "Allow", "Retry-After"):
        assert got[1].get(header) == expected[1].get(header), header


def test_fast_path_leaves_everything_else_to_the_full_stack(article, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    calls = []

    def application(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]

    fast = with_fast_beacons(application)
    for path in ["/", "/stats/view/1.gif", "/stats/view/x/", "/zh-xx/stats/view/", "/admin/stats/view/"]:
        _wsgi(fast, path, b"")

    assert calls == ["/", "/stats/view/1.gif", "/stats/view/x/", "/zh-xx/stats/view/", "/admin/stats/view/"]


def test_client_without_csrf_token_is_fine(store, article):
    """The beacon is exempt from CSRF (it carries no cookie and changes nothing but a count)."""
    strict = Client(enforce_csrf_checks=True)

    assert beacon(strict, article.pk).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {**IMAGE_HEADERS, "HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/page.html"},
        {**IMAGE_HEADERS, "HTTP_REFERER": "https://evil.example/page.html"},  # a browser without Sec-Fetch-*
        {**IMAGE_HEADERS, "HTTP_SEC_FETCH_SITE": "cross-site"},  # Referrer-Policy: no-referrer on that site
        {**IMAGE_HEADERS, "HTTP_REFERER": "http://testserver.evil.example/"},
    ],
)
def test_noscript_image_embedded_by_another_site_is_not_counted(client, store, article, headers):
    response = client.get(f"/stats/view/{article.pk}.gif", **headers)

    assert response.status_code == 403
    assert current_views(article) == 275


@pytest.mark.parametrize(
    "headers",
    [
        {**IMAGE_HEADERS, "HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_REFERER": "http://testserver/article/1/"},
        {**IMAGE_HEADERS, "HTTP_REFERER": "http://testserver/zh-tw/article/1/"},
    ],
)
def test_noscript_image_on_our_own_page_counts(client, store, article, headers):
    assert client.get(f"/stats/view/{article.pk}.gif", **headers).status_code == 200
    assert current_views(article) == 276


def test_beacon_from_another_sites_page_without_origin_is_refused_by_its_referer(client, store, article):
    response = beacon(client, article.pk, HTTP_REFERER="https://evil.example/")

    assert response.status_code == 403
    assert current_views(article) == 275
