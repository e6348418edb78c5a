"""Debian's real nginx serves the published demo with the printed configuration."""

import io
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from lxml import etree

from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.nginx import site_policy

pytestmark = pytest.mark.django_db
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def nginx(start_nginx, target):
    return start_nginx(target, app="127.0.0.1:9")


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_serves_every_sitemap_url_like_the_live_site(target, client, nginx):
    call_command("demo", no_server=True, stdout=io.StringIO())
    call_command("publish", "--to", str(target), "--no-progress", stdout=io.StringIO())

    status, _, index = fetch(nginx + "/sitemap.xml")
    assert status == 200
    urls = []
    for section in etree.fromstring(index).findall("s:sitemap/s:loc", SITEMAP_NS):
        parts = urlsplit(section.text)
        status, _, body = fetch(nginx + parts.path + (f"?{parts.query}" if parts.query else ""))
        assert status == 200, section.text
        urls += [loc.text for loc in etree.fromstring(body).findall("s:url/s:loc", SITEMAP_NS)]
    assert len(urls) > 30
    # Every sitemap URL, and the same page in Taiwan script (the sitemap names it as an hreflang alternate).
    paths = [urlsplit(url).path for url in urls]
    for path in [*paths, *(f"/zh-tw{p}" for p in paths)]:
        status, headers, body = fetch(nginx + path)
        assert status == 200, path
        live = client.get(path)
        assert TITLE.search(body).group(1) == TITLE.search(live.content).group(1), path
        assert headers["Content-Security-Policy"] == site_policy()

    # A list's second page is its own file; precompressed twins are served as they are.
    status, _, second = fetch(nginx + "/category/news/?page=2")
    assert status == 200 and second == client.get("/category/news/?page=2").content
    status, headers, packed = fetch(nginx + "/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and packed == (target / "index.html.gz").read_bytes()
    # The style sheet the pages link to, by its fingerprinted name: a year, compressed, security headers kept.
    sheet = re.search(rb'href="(/static/news/site\.[0-9a-f]{12}\.css)"', client.get("/").content).group(1).decode()
    status, headers, packed = fetch(nginx + sheet, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "max-age=315360000" and headers["X-Content-Type-Options"] == "nosniff"
    assert packed == (target / sheet.lstrip("/")).with_name(sheet.rsplit("/", 1)[1] + ".gz").read_bytes()
    status, headers, _ = fetch(nginx + "/static/news/site.css")
    assert status == 200 and headers["Cache-Control"] == "max-age=2592000"  # the plain name: 30 days
    # Missing pages get the site's 404 page.
    status, _, body = fetch(nginx + "/article/999999/")
    assert status == 404 and body == (target / "404.html").read_bytes()
    assert tree_verify(target.resolve()) == []


@pytest.mark.django_db(transaction=True)
def test_dynamic_paths_reach_an_edge_process_and_everything_else_is_a_file(news, target, start_nginx, live_server, settings):
    from xinwen.publishing.services import site_publish
    from xinwen.stats.tests.conftest import BROWSER_HEADERS

    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
    site_publish(target=target)
    settings.ROOT_URLCONF = "xinwen.urls_edge"  # the live server now answers as XINWEN_ROLE=edge
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    origin = start_nginx(target, app=live_server.url.removeprefix("http://"))
    article = news["industry_article"]

    # Files: the page, the 网站地图 page, the empty search form.
    status, _, body = fetch(f"{origin}/article/{article.pk}/")
    assert status == 200 and body == (target / f"article/{article.pk}/index.html").read_bytes()
    assert b'data-endpoint="/stats/view/"' in body  # 浏览次数 comes from the beacon
    for path in ("/sitemap/", "/search/", "/zh-tw/search/"):
        status, _, body = fetch(origin + path)
        assert status == 200 and body == (target / path.lstrip("/") / "index.html").read_bytes(), path
    # The app: search results in every script, the pinyin view, the API, the beacon.
    status, _, body = fetch(origin + "/search/?q=%E8%A3%85%E5%A4%87%E5%88%B6%E9%80%A0")
    assert body != (target / "search/index.html").read_bytes()
    assert status == 200 and "<mark>" in body.decode() and "装备制造" in body.decode()
    status, _, body = fetch(origin + "/zh-tw/search/?q=%E8%A3%85%E5%A4%87")
    assert status == 200 and "裝備" in body.decode()
    status, _, body = fetch(f"{origin}/article/{article.pk}/?ruby=1")
    assert status == 200 and "<ruby>" in body.decode()
    status, _, body = fetch(f"{origin}/zh-tw/article/{article.pk}/?ruby=1")
    assert status == 200 and "<ruby>" in body.decode() and body != (target / f"zh-tw/article/{article.pk}/index.html").read_bytes()
    assert fetch(f"{origin}/article/999999/?ruby=1")[0] == 404  # the app's answer: no such article
    status, _, body = fetch(origin + "/zh-hk/search/?q=%E8%A3%85%E5%A4%87")
    assert status == 200 and "<mark>" in body.decode()
    status, headers, body = fetch(f"{origin}/zh-tw/article/{article.pk}/share-qr.svg")  # not a file of the tree
    assert status == 200 and headers["Content-Type"] == "image/svg+xml" and body.startswith(b"<svg")
    assert not (target / f"zh-tw/article/{article.pk}/share-qr.svg").exists()
    status, headers, body = fetch(origin + "/api/v1/articles")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    headers = {k.removeprefix("HTTP_").replace("_", "-").title(): v for k, v in BROWSER_HEADERS.items()}
    request = urllib.request.Request(
        origin + "/stats/view/",
        data=f"article={article.pk}".encode(),
        # As a browser sends it from a page of this site: its Origin names the port nginx listens on.
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Origin": origin},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and b'"counted": true' in response.read()
    # No back office on the public side, and no half-copied files.
    status, _, body = fetch(origin + "/admin/")
    assert status == 404 and body == (target / "404.html").read_bytes()
    (target / ".~tmp~").mkdir()
    (target / ".~tmp~/index.html").write_text("half")
    assert fetch(origin + "/.~tmp~/index.html")[0] == 404
    (target / f"article/{article.pk}/.index.html.x7Ab").write_text("half")  # a temporary name beside its page
    assert fetch(f"{origin}/article/{article.pk}/.index.html.x7Ab")[0] == 404
    status, _, body = fetch(origin + "/manifest.json")
    assert status == 404 and body == (target / "404.html").read_bytes()
