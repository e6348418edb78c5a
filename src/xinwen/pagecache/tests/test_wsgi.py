"""The WSGI layer: what it serves without the application, and what it lets through or refuses to keep.

The application behind it here is a small real WSGI app that counts its calls, tags its
pages like xinwen's views do and answers as told by the path.
"""

from __future__ import annotations

import gzip
import time

import brotli
import pytest

from xinwen.news.pagetags import ENVIRON_KEY
from xinwen.pagecache.store_disk import DiskStore
from xinwen.pagecache.tests.conftest import call
from xinwen.pagecache.wsgi import PageCache, choose_encoding

PAGE = ("<!doctype html><html lang=zh-Hans><title>新闻中心</title><p>" + "浏览次数：275。" * 300).encode()


class Site:
    """A WSGI app: /page/ is a tagged public page; other paths answer as their name says."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        path = environ["PATH_INFO"]
        fill = environ.get(ENVIRON_KEY)
        if fill is not None and "untagged" not in path:
            fill.tags.add("article:1")
        if fill is not None and "no-params" not in path:
            fill.used.update(("page", "p", "ruby"))  # as the list, article and sitemap views say
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Language", "zh-Hans")]
        if "cookie" in path:
            headers.append(("Set-Cookie", "csrftoken=abc; Path=/"))
        if "private" in path:
            headers.append(("Cache-Control", "private, no-store"))
        if "vary-cookie" in path:
            headers.append(("Vary", "Cookie"))
        if "feed" in path:
            headers[0] = ("Content-Type", "application/rss+xml; charset=utf-8")
        if "json" in path:
            headers[0] = ("Content-Type", "application/json")
        status = "404 Not Found" if "missing" in path else "200 OK"
        start_response(status, headers)
        return [PAGE]


@pytest.fixture
def site(disk_store):
    inner = Site()
    return PageCache(inner, store=disk_store, ttl=600, next_publish=lambda: None), inner


def test_a_second_reader_gets_the_stored_page_without_the_application(site):
    app, inner = site
    first = call(app, "/page/")
    second = call(app, "/page/")

    assert inner.calls == 1
    assert first.headers["x-page-cache"] == "miss" and second.headers["x-page-cache"] == "hit"
    assert second.body == first.body == PAGE
    assert second.headers["content-language"] == "zh-Hans"
    assert second.headers["content-length"] == str(len(PAGE))
    assert second.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert second.headers["vary"] == "Accept-Encoding"
    assert second.headers["etag"].startswith('"') and second.headers["last-modified"].endswith("GMT")


@pytest.mark.parametrize(
    "accept, coding, decode",
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
        ("", None, lambda body: body),
        ("identity", None, lambda body: body),
    ],
)
def test_accept_encoding_picks_the_precompressed_body(site, accept, coding, decode):
    app, inner = site
    call(app, "/page/")
    answer = call(app, "/page/", accept_encoding=accept)

    assert answer.headers.get("content-encoding") == coding
    assert decode(answer.body) == PAGE
    assert answer.headers["content-length"] == str(len(answer.body))
    assert inner.calls == 1


@pytest.mark.parametrize(
    "accept, coding",
    [("*", "br"), ("gzip;q=0.5", "gzip"), ("br;q=0", "identity"), ("BR", "br"), ("deflate", "identity"), ("gzip;q=x", "identity")],
)
def test_choose_encoding(accept, coding):
    assert choose_encoding(accept) == coding


def test_each_encoding_has_its_own_etag(site):
    app, _ = site
    call(app, "/page/")
    etags = {call(app, "/page/", accept_encoding=accept).headers["etag"] for accept in ("", "gzip", "br")}
    assert len(etags) == 3


@pytest.mark.parametrize("accept", ["", "gzip", "br"])
def test_revalidation_answers_304_without_a_body(site, accept):
    app, inner = site
    etag = call(app, "/page/", accept_encoding=accept).headers["etag"]

    answer = call(app, "/page/", accept_encoding=accept, if_none_match=etag)

    assert answer.code == 304 and answer.body == b""
    assert answer.headers["etag"] == etag
    assert call(app, "/page/", if_none_match='"something-else"').code == 200
    assert inner.calls == 1


def test_if_modified_since(site):
    app, _ = site
    last_modified = call(app, "/page/").headers["last-modified"]

    assert call(app, "/page/", if_modified_since=last_modified).code == 304
    assert call(app, "/page/", if_modified_since="Mon, 01 Jan 2001 00:00:00 GMT").code == 200


def test_head_gets_the_headers_and_no_body(site):
    app, inner = site
    call(app, "/page/")
    answer = call(app, "/page/", method="HEAD")

    assert answer.code == 200 and answer.body == b""
    assert answer.headers["content-length"] == str(len(PAGE))
    assert inner.calls == 1


def test_a_head_miss_goes_to_the_application_and_stores_nothing(site):
    app, inner = site
    call(app, "/page/", method="HEAD")
    call(app, "/page/", method="HEAD")

    assert inner.calls == 2
    assert app.store.keys() == set()


def test_a_session_cookie_bypasses_the_cache(site):
    app, inner = site
    call(app, "/page/")
    answer = call(app, "/page/", cookie="csrftoken=x; sessionid=abc")

    assert "x-page-cache" not in answer.headers
    assert inner.calls == 2
    assert call(app, "/page/", cookie="csrftoken=x").headers["x-page-cache"] == "hit"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_bypass_the_cache(site, method):
    app, inner = site
    call(app, "/page/")
    call(app, "/page/", method=method)
    assert inner.calls == 2


@pytest.mark.parametrize(
    "path",
    [
        "/cookie/",  # Set-Cookie: a CSRF token or a message
        "/private/",  # Cache-Control: private
        "/vary-cookie/",  # depends on a cookie
        "/untagged/",  # a view that did not say what it shows
        "/missing/",  # not a 200
        "/json/",  # not a page
    ],
)
def test_responses_that_are_not_for_everyone_are_never_stored(site, path):
    app, inner = site
    first = call(app, path)
    call(app, path)

    assert inner.calls == 2
    assert "x-page-cache" not in first.headers
    assert app.store.keys() == set()


def test_feeds_are_stored(site):
    app, inner = site
    call(app, "/feed/rss.xml")
    assert call(app, "/feed/rss.xml").headers["x-page-cache"] == "hit"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/zh-tw/admin/",
        "/api/v1/articles",
        "/stats/view/",
        "/media/x.png",
        "/static/news/site.css",
        "/search/?q=网站",
        "/zh-hk/search/?q=網站",
        "/page/?utm_source=x",
        "/page/?page=1&x=2",
        "/page/?ruby=2",
        "/page/?page=1",  # page 1's URL has no parameter
        "/page/?p=1",
        "/page/?page=0002",
    ],
)
def test_private_paths_and_unknown_queries_are_not_looked_up(site, path):
    app, inner = site
    call(app, path)
    call(app, path)
    assert inner.calls == 2
    assert app.store.keys() == set()


@pytest.mark.parametrize("path", ["/page/?page=2", "/page/?ruby=1", "/zh-tw/page/", "/sitemap-news.xml?p=2"])
def test_public_query_strings_and_script_variants_have_their_own_entries(site, path):
    app, inner = site
    call(app, "/page/")
    call(app, path)
    call(app, path)
    assert inner.calls == 2
    assert len(app.store.keys()) == 2


def test_host_and_scheme_are_part_of_the_key(site):
    app, inner = site
    call(app, "/page/")
    call(app, "/page/", host="localhost")
    call(app, "/page/", x_forwarded_proto="https")
    assert inner.calls == 3


def test_an_expired_entry_is_rendered_again(disk_store):
    inner = Site()
    app = PageCache(inner, store=disk_store, ttl=600, next_publish=lambda: time.time() + 0.2)
    call(app, "/page/")
    assert call(app, "/page/").headers["x-page-cache"] == "hit"

    time.sleep(0.3)  # the scheduled article's publish time has come
    assert call(app, "/page/").headers["x-page-cache"] == "miss"
    assert inner.calls == 2


def test_a_store_that_fails_means_rendering_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from xinwen.pagecache.store_disk import DiskStore

    inner = Site()
    app = PageCache(inner, store=DiskStore(blocker / "pagecache"), ttl=600, next_publish=lambda: None)

    assert call(app, "/page/").body == PAGE
    assert call(app, "/page/").body == PAGE
    assert inner.calls == 2


@pytest.mark.parametrize("path", ["/no-params/?page=2", "/no-params/?p=7", "/no-params/?ruby=1"])
def test_a_parameter_the_view_did_not_use_is_not_stored(site, path):
    app, inner = site
    call(app, path)
    call(app, path)
    assert inner.calls == 2
    assert app.store.keys() == set()


@pytest.mark.parametrize(
    "host",
    ["testserver:8080", "testserver:81", "evil.example", "evil.example:80", "sub.testserver", "", "[::1]:8000"],
)
def test_hosts_and_ports_that_are_not_the_sites_are_not_stored(site, host):
    app, inner = site
    call(app, "/page/", host=host)
    call(app, "/page/", host=host)
    assert inner.calls == 2
    assert app.store.keys() == set()


@pytest.mark.parametrize("host", ["testserver", "TestServer", "testserver.", "testserver:80"])
def test_one_host_is_one_key_however_it_is_spelled(site, host):
    app, inner = site
    call(app, "/page/")
    assert call(app, "/page/", host=host).headers["x-page-cache"] == "hit"
    assert app.store.keys() == {"http://testserver/page/"}


def test_the_servers_own_port_is_a_host_of_its_own(site):
    app, inner = site
    call(app, "/page/", host="testserver:8000", server_port="8000")
    assert app.store.keys() == {"http://testserver:8000/page/"}


def test_with_site_url_only_that_origin_is_stored(settings, disk_store):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["news.example.org", "www.example.org", "testserver"]
    inner = Site()
    app = PageCache(inner, store=disk_store, ttl=600, next_publish=lambda: None)

    call(app, "/page/", host="www.example.org", x_forwarded_proto="https")
    call(app, "/page/", host="news.example.org")  # plain http: Django redirects it to https
    call(app, "/page/", host="news.example.org:443", x_forwarded_proto="https")

    assert disk_store.keys() == {"https://news.example.org/page/"}


def test_a_wildcard_in_allowed_hosts_stores_nothing_without_site_url(settings, disk_store):
    settings.ALLOWED_HOSTS = [".example.org", "*"]
    app = PageCache(Site(), store=disk_store, ttl=600, next_publish=lambda: None)

    call(app, "/page/", host="a.example.org")
    call(app, "/page/", host=f"x{time.time_ns()}.example.org")

    assert disk_store.keys() == set()


def test_made_up_hosts_and_encodings_fill_no_growing_memory(site):
    """The hit path remembers its answer per Host and per Accept-Encoding in fixed-size memories."""
    app, inner = site
    call(app, "/page/")
    for n in range(500):
        assert call(app, "/page/", host=f"h{n}.example").headers.get("x-page-cache") != "hit"  # still never stored
        call(app, "/page/", accept_encoding=f"gzip;q=0.{n % 9 + 1}, x-{n}")
    assert app._host_of.cache_info().currsize <= 128
    assert choose_encoding.cache_info().currsize <= 128
    assert app.store.keys() == {"http://testserver/page/"}
    # And the remembered answers are the right ones, after the memory turned over many times.
    assert call(app, "/page/").headers["x-page-cache"] == "hit"
    assert call(app, "/page/", accept_encoding="gzip;q=0, br;q=0").headers.get("content-encoding") is None
    assert call(app, "/page/", accept_encoding="br").headers["content-encoding"] == "br"


def _elsewhere(store):
    """The same store as another process sees it: without this one's parsed entries in memory."""
    return DiskStore(store.root) if isinstance(store, DiskStore) else store


def _stored_encodings(store) -> set[str]:
    return set(_elsewhere(store).get("http://testserver/page/").bodies)


@pytest.mark.parametrize("accept, coding", [("", "identity"), ("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_a_miss_compresses_only_the_encoding_its_reader_asked_for(store, accept, coding):
    app = PageCache(Site(), store=store, ttl=600, next_publish=lambda: None)
    call(app, "/page/", accept_encoding=accept)

    assert _stored_encodings(store) == {"identity", coding}


@pytest.mark.parametrize("first, later, decode", [("", "br", brotli.decompress), ("br", "gzip", gzip.decompress), ("gzip", "br", brotli.decompress)])
def test_the_first_hit_in_another_encoding_adds_it_to_the_stored_entry(store, first, later, decode):
    inner = Site()
    app = PageCache(inner, store=store, ttl=600, next_publish=lambda: None)
    etag = call(app, "/page/", accept_encoding=first).headers["etag"]

    answer = call(app, "/page/", accept_encoding=later)
    assert answer.headers["x-page-cache"] == "hit" and answer.headers["content-encoding"] == later
    assert decode(answer.body) == PAGE and answer.headers["content-length"] == str(len(answer.body))
    assert answer.headers["etag"] == etag.rstrip('"').split("-")[0] + f'-{later}"'
    # Stored: another process (a new PageCache here, with no copy in memory) finds it compressed.
    assert later in _stored_encodings(store)
    again = call(PageCache(inner, store=_elsewhere(store), ttl=600, next_publish=lambda: None), "/page/", accept_encoding=later)
    assert again.body == answer.body and inner.calls == 1


def test_after_any_purge_a_hit_compresses_but_never_writes_the_entry_back(disk_store):
    inner = Site()
    app = PageCache(inner, store=disk_store, ttl=600, next_publish=lambda: None)
    call(app, "/page/")
    disk_store.invalidate(["category:9"])  # another page's purge: this entry is still current, but the store cannot know

    answer = call(app, "/page/", accept_encoding="br")
    assert brotli.decompress(answer.body) == PAGE and answer.headers["x-page-cache"] == "hit"
    assert _stored_encodings(disk_store) == {"identity"}


def test_an_entry_purged_while_a_hit_compressed_it_stays_purged(store):
    """The hit read the entry, then an editor's change purged it: writing it back would serve the old page."""
    inner = Site()
    app = PageCache(inner, store=store, ttl=600, next_publish=lambda: None)
    call(app, "/page/")
    read = store.get("http://testserver/page/")
    real_get = store.get

    def get_then_purge(key):
        store.invalidate(["article:1"])
        return read

    store.get = get_then_purge
    try:
        answer = call(app, "/page/", accept_encoding="br")
    finally:
        store.get = real_get
    assert brotli.decompress(answer.body) == PAGE
    assert store.get("http://testserver/page/") is None
    assert call(app, "/page/").headers["x-page-cache"] == "miss" and inner.calls == 2


def test_a_revalidation_in_another_encoding_compresses_nothing(site, disk_store):
    app, _ = site
    etag = call(app, "/page/").headers["etag"]

    answer = call(app, "/page/", accept_encoding="br", if_none_match=etag)
    assert answer.code == 304 and answer.headers["etag"] == etag.rstrip('"') + '-br"'
    assert _stored_encodings(disk_store) == {"identity"}


def test_a_server_that_changes_the_header_list_it_was_given_changes_no_other_answer(site):
    """PEP 3333: "the server may change its contents in any way it desires"."""
    app, _ = site
    call(app, "/page/")
    given = []

    def server_start_response(status, headers, exc_info=None):
        given.append(headers)
        headers.append(("X-Server-Added", "1"))  # as a server adding its own Date or Server header may
        headers[:] = [(name, value) for name, value in headers if name != "ETag"]

    for _ in range(2):
        b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/page/", "QUERY_STRING": "", "SERVER_NAME": "testserver",
                      "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http"}, server_start_response))  # fmt: skip
    assert [name for name, _ in given[1]].count("X-Server-Added") == 1
    answer = call(app, "/page/")
    assert "x-server-added" not in answer.headers and answer.headers["etag"]
