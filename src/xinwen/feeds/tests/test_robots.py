"""robots.txt: everything public may be crawled; the back office and search results may not."""

from __future__ import annotations

import urllib.robotparser

import pytest

pytestmark = pytest.mark.django_db


def robots(client) -> urllib.robotparser.RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


@pytest.mark.parametrize("agent", ["Baiduspider", "Googlebot", "Bingbot"])
@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/", True),
        ("/article/1/", True),
        ("/zh-tw/category/company/", True),
        ("/feeds/rss.xml", True),
        ("/sitemap.xml", True),
        ("/admin/", False),
        ("/admin/news/article/", False),
        ("/search/?q=软件", False),
        ("/zh-hant/search/?q=軟件", False),
        ("/zh-tw/search/", False),
        ("/zh-hk/search/?q=x&page=2", False),
    ],
)
def test_what_crawlers_may_fetch(client, site, agent, path, allowed):
    assert robots(client).can_fetch(agent, "http://testserver" + path) is allowed


def test_robots_points_to_the_sitemap_index(client, site, settings):
    assert robots(client).site_maps() == ["http://testserver/sitemap.xml"]
    settings.SITE_URL = "https://news.example.org"
    assert robots(client).site_maps() == ["https://news.example.org/sitemap.xml"]
