"""The sitemap index and its sections: valid under the sitemaps.org and Google News schemas, public URLs only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.feeds import sitemaps
from xinwen.feeds.tests.conftest import NS, ORIGIN, PREFIXES, public, valid_xml

pytestmark = pytest.mark.django_db

LANGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "zh-tw": "zh-TW", "zh-hk": "zh-HK"}


def fetch(client, url: str, schema: str = "urlset.xsd"):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    assert "noindex" in response["X-Robots-Tag"]
    return valid_xml(response.content, schema)


def index(client) -> dict[str, str | None]:
    """Section URL → lastmod, from a schema-valid index."""
    root = fetch(client, "/sitemap.xml", "siteindex.xsd")
    return {
        node.findtext("sm:loc", namespaces=NS).removeprefix(ORIGIN): node.findtext("sm:lastmod", namespaces=NS)
        for node in root.findall("sm:sitemap", NS)
    }


def urls(root) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of every <url>."""
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("sm:url", NS)
    }


def everything(client) -> list[str]:
    """Every <loc> of every section the index lists (each section validated on the way)."""
    found = []
    for section in index(client):
        found += list(urls(fetch(client, section)))
    return found


def expected_alternates(path: str) -> dict[str, str]:
    return {**{LANGS[code]: ORIGIN + prefix + path for code, prefix in PREFIXES.items()}, "x-default": ORIGIN + path}


def test_the_index_lists_a_section_per_kind_and_per_category_with_articles(client, newsroom):
    sections = index(client)

    assert list(sections) == [
        "/sitemap-home.xml",
        "/sitemap-categories.xml",
        "/sitemap-news.xml",
        "/sitemap-articles-events.xml",
        "/sitemap-articles-company.xml",
        "/sitemap-articles-industry.xml",
    ]
    assert all(sections.values()), "every section carries its lastmod"


def test_every_section_lists_public_articles_only_and_each_once(client, newsroom):
    listed = everything(client)
    articles = [url for url in listed if "/article/" in url]

    # In the Simplified URLs: each public article once in its category's section, once in the news sitemap if recent.
    simplified = [url for url in articles if url.startswith(ORIGIN + "/article/")]
    recent = [newsroom["story"], newsroom["event"]]
    assert sorted(simplified) == sorted(ORIGIN + a.get_absolute_url() for a in public(newsroom) + recent)
    # And nothing readers may not see, in any script.
    hidden = {f"/article/{newsroom[name].pk}/" for name in ("draft", "review", "scheduled", "archived")}
    assert [url for url in listed if any(url.endswith(path) for path in hidden)] == []


def test_a_category_section_holds_the_articles_filed_there(client, newsroom):
    listed = urls(fetch(client, "/sitemap-articles-company.xml"))

    assert list(listed) == [ORIGIN + newsroom["story"].get_absolute_url()]


def test_article_lastmod_is_the_later_of_edit_and_publish_time(client, newsroom):
    older = newsroom["older"]
    older.refresh_from_db()
    root = fetch(client, "/sitemap-articles-industry.xml")

    (lastmod,) = [url.findtext("sm:lastmod", namespaces=NS) for url in root.findall("sm:url", NS)]

    # The sitemap speaks in the site's time zone: compare local dates, never UTC ones.
    assert lastmod == f"{timezone.localtime(max(older.updated_at, older.publish_at)):%Y-%m-%d}"


def test_category_lastmod_follows_the_newest_article_below_it(client, newsroom):
    story = newsroom["story"]
    story.refresh_from_db()
    root = fetch(client, "/sitemap-categories.xml")

    lastmods = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }

    assert lastmods[ORIGIN + "/category/company/"] == f"{timezone.localtime(story.updated_at):%Y-%m-%d}"
    assert lastmods[ORIGIN + "/category/notices/"] is None  # nothing published there yet
    assert set(lastmods) == {
        ORIGIN + f"/category/{slug}/" for slug in ("news", "company", "events", "industry", "notices")
    }


@pytest.mark.parametrize("section", ["home", "categories", "news", "articles-company"])
def test_every_url_has_its_script_alternates(client, newsroom, section):
    listed = urls(fetch(client, f"/sitemap-{section}.xml"))

    assert listed
    for location, alternates in listed.items():
        path = location.removeprefix(ORIGIN)
        for prefix in PREFIXES.values():
            if prefix and path.startswith(prefix + "/"):
                path = path.removeprefix(prefix)
        assert alternates == expected_alternates(path), location


def test_the_news_sitemap_lists_the_last_two_days_in_every_script(client, newsroom):
    root = fetch(client, "/sitemap-news.xml")

    entries = [
        (
            url.findtext("sm:loc", namespaces=NS).removeprefix(ORIGIN),
            url.findtext("news:news/news:publication/news:name", namespaces=NS),
            url.findtext("news:news/news:publication/news:language", namespaces=NS),
            url.findtext("news:news/news:title", namespaces=NS),
        )
        for url in root.findall("sm:url", NS)
    ]
    story = newsroom["story"].pk
    assert entries[:4] == [
        (f"/article/{story}/", "东方智联装备集团", "zh-cn", "软件与鼠标的信息"),
        (f"/zh-hant/article/{story}/", "東方智聯裝備集團", "zh-tw", "軟件與鼠標的信息"),
        (f"/zh-tw/article/{story}/", "東方智聯裝備集團", "zh-tw", "軟體與滑鼠的資訊"),
        (f"/zh-hk/article/{story}/", "東方智聯裝備集團", "zh-tw", "軟件與鼠標的信息"),
    ]
    assert {path for path, *_ in entries} == {
        f"{prefix}/article/{newsroom[name].pk}/" for name in ("story", "event") for prefix in PREFIXES.values()
    }


def test_news_publication_dates_are_the_publish_times(client, newsroom):
    root = fetch(client, "/sitemap-news.xml")

    first = root.find("sm:url/news:news/news:publication_date", NS).text

    assert datetime.fromisoformat(first) == newsroom["story"].publish_at.replace(microsecond=0)


def test_without_recent_news_the_index_leaves_the_news_sitemap_out(client, tree, site):
    make_article(category=tree["company"], days_ago=3)

    assert "/sitemap-news.xml" not in index(client)


def test_an_empty_site_still_has_a_valid_index(client, db, site):
    assert list(index(client)) == ["/sitemap-home.xml"]


@pytest.mark.parametrize("section, count", [("articles-company", 5), ("news", 2)])
def test_long_sections_are_split_into_pages_the_index_lists(client, tree, site, monkeypatch, section, count):
    for hours in range(count):
        make_article(category=tree["company"], publish_at=timezone.now() - timedelta(hours=hours + 1))
    monkeypatch.setattr(sitemaps.CategoryArticlesSitemap, "limit", 2)
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 3)  # news lists every article once per script: 8 URLs

    listed = [url for url in index(client) if url.startswith(f"/sitemap-{section}.xml")]

    assert listed == [f"/sitemap-{section}.xml", f"/sitemap-{section}.xml?p=2", f"/sitemap-{section}.xml?p=3"]
    pages = [urls(fetch(client, url)) for url in listed]
    per_page = 3 if section == "news" else 2
    assert [len(page) for page in pages[:2]] == [per_page, per_page]
    assert len({loc for page in pages for loc in page}) == count * (4 if section == "news" else 1)
    assert client.get(f"/sitemap-{section}.xml?p=4").status_code == 404


def test_the_real_limits(db):
    assert sitemaps.CategoryArticlesSitemap.limit == 50_000
    assert sitemaps.NewsSitemap.limit == 1_000


def test_sitemaps_use_the_public_origin(client, newsroom, settings):
    settings.SITE_URL = "https://news.example.org"
    response = client.get("/sitemap.xml")
    root = valid_xml(response.content, "siteindex.xsd")

    assert root.findtext("sm:sitemap/sm:loc", namespaces=NS) == "https://news.example.org/sitemap-home.xml"
    listed = urls(fetch(client, "/sitemap-articles-company.xml"))
    assert list(listed) == [f"https://news.example.org/article/{newsroom['story'].pk}/"]
    assert listed[f"https://news.example.org/article/{newsroom['story'].pk}/"]["zh-TW"] == (
        f"https://news.example.org/zh-tw/article/{newsroom['story'].pk}/"
    )


def test_a_scheduled_article_appears_once_its_time_has_come(client, newsroom):
    scheduled = newsroom["scheduled"]
    scheduled.publish_at = timezone.now() - timedelta(minutes=1)
    scheduled.save()

    assert ORIGIN + scheduled.get_absolute_url() in everything(client)


def test_unknown_sections_are_not_found(client, newsroom):
    assert client.get("/sitemap-articles-no-such-category.xml").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-news.xml?p=x").status_code == 404


def test_sitemaps_exist_once_not_per_script(client, newsroom):
    assert client.get("/zh-tw/sitemap.xml").status_code == 404
    assert client.get("/zh-hk/sitemap-news.xml").status_code == 404


def test_an_unchanged_sitemap_answers_304(client, newsroom):
    first = client.get("/sitemap-news.xml")

    assert client.get("/sitemap-news.xml", headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "wrong, right",
    [
        (b"<news:language>zh-tw</news:language>", b"<news:language>zh-Hant</news:language>"),
        (b'hreflang="zh-TW"', b'hreflang="zh TW"'),
        (b"<news:title>", b"<news:keywords>x</news:keywords><news:title>"),
    ],
)
def test_the_schemas_catch_what_crawlers_would_reject(client, newsroom, wrong, right):
    content = client.get("/sitemap-news.xml").content
    assert wrong in content

    with pytest.raises(AssertionError, match="sitemap-news|language|keywords|hreflang|SCHEMAV"):
        valid_xml(content.replace(wrong, right, 1), "urlset.xsd")
