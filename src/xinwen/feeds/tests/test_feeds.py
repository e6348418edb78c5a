"""RSS 2.0 and Atom feeds: well-formed for feedparser, complete entries, public articles only, every script."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html import unescape

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from xinwen.conftest import make_article, make_category
from xinwen.feeds.tests.conftest import ORIGIN, public
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import HOSTILE_FORM, event_handlers

pytestmark = pytest.mark.django_db

FORMATS = [pytest.param("rss.xml", "rss20", id="rss"), pytest.param("atom.xml", "atom10", id="atom")]


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"], "content-location": ORIGIN + url}
    )
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')!r}"
    return feed


def title_of(entry) -> str:
    # RSS titles are HTML by convention (Django escapes them once more); Atom titles are text.
    return unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title


@pytest.mark.parametrize("name, version", FORMATS)
def test_the_news_center_feed_lists_public_articles_newest_first(client, newsroom, name, version):
    feed = parse(client, f"/feeds/{name}")

    assert feed.version == version
    assert feed.feed.title == "东方智联装备集团 · 新闻中心"
    assert feed.feed.language == "zh-Hans"
    assert feed.feed.link == ORIGIN + "/"
    assert [entry.link for entry in feed.entries] == [
        ORIGIN + article.get_absolute_url() for article in public(newsroom)
    ]


@pytest.mark.parametrize("name, version", FORMATS)
def test_an_entry_carries_everything_a_reader_needs(client, newsroom, name, version):
    story = newsroom["story"]
    story.refresh_from_db()

    entry = parse(client, f"/feeds/{name}").entries[0]

    assert title_of(entry) == "软件与鼠标的信息"
    assert unescape(entry.summary) == story.summary  # the whole summary, not a shortened description
    assert entry.published_parsed[:6] == story.publish_at.utctimetuple()[:6]
    assert entry.author == "张三、李四"
    assert [tag.term for tag in entry.tags] == ["新闻中心", "公司新闻"]
    (enclosure,) = entry.enclosures
    assert enclosure.href == ORIGIN + story.cover.url
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == story.cover.size
    # The full body, with site-relative images and links made absolute for the reader's app.
    body = entry.content[0].value
    assert "会议要点" in body
    assert f'src="{ORIGIN}/media/images/chart.png"' in body
    assert f'href="{ORIGIN}/category/company/"' in body


def test_atom_entries_carry_the_update_time_too(client, newsroom):
    story = newsroom["story"]
    story.refresh_from_db()

    entry = parse(client, "/feeds/atom.xml").entries[0]

    assert entry.updated_parsed[:6] == max(story.updated_at, story.publish_at).utctimetuple()[:6]
    assert entry.id == ORIGIN + story.get_absolute_url()


@pytest.mark.parametrize("name, version", FORMATS)
def test_an_entry_without_author_or_cover_is_still_valid(client, newsroom, name, version):
    feed = parse(client, f"/feeds/{name}")
    entry = next(e for e in feed.entries if e.link.endswith(f"/{newsroom['older'].pk}/"))

    assert entry.get("enclosures", []) == []
    assert "author" not in entry
    if version == "atom10":
        assert feed.feed.author == "东方智联装备集团"  # Atom requires an author: the feed's stands in


@pytest.mark.parametrize(
    "prefix, lang, title, summary",
    [
        ("/zh-hant", "zh-Hant", "軟件與鼠標的信息", "吃麵條的信息"),
        ("/zh-tw", "zh-TW", "軟體與滑鼠的資訊", "吃麵條的資訊"),
        ("/zh-hk", "zh-HK", "軟件與鼠標的信息", "吃麪條的信息"),
    ],
)
@pytest.mark.parametrize("name, version", FORMATS)
def test_feeds_exist_in_every_script(client, newsroom, prefix, lang, title, summary, name, version):
    feed = parse(client, f"{prefix}/feeds/{name}")

    assert feed.feed.language == lang
    assert feed.feed.title == "東方智聯裝備集團 · 新聞中心"
    entry = feed.entries[0]
    assert title_of(entry) == title
    assert entry.link == f"{ORIGIN}{prefix}/article/{newsroom['story'].pk}/"
    assert [tag.term for tag in entry.tags] == ["新聞中心", "公司新聞"]
    assert unescape(entry.summary).startswith(summary)


@pytest.mark.parametrize("name, version", FORMATS)
def test_a_category_feed_covers_its_subtree_only(client, newsroom, name, version):
    feed = parse(client, f"/feeds/company/{name}")

    assert feed.feed.title == "公司新闻 · 东方智联装备集团"
    assert feed.feed.link == ORIGIN + "/category/company/"
    assert [entry.link for entry in feed.entries] == [
        ORIGIN + newsroom[name_].get_absolute_url() for name_ in ("story", "event")
    ]


def test_an_unknown_category_has_no_feed(client, newsroom):
    assert client.get("/feeds/no-such-section/rss.xml").status_code == 404
    assert client.get("/zh-tw/feeds/no-such-section/atom.xml").status_code == 404


def test_a_scheduled_article_enters_the_feed_when_its_time_comes(client, newsroom):
    scheduled = newsroom["scheduled"]
    assert ORIGIN + scheduled.get_absolute_url() not in [e.link for e in parse(client, "/feeds/rss.xml").entries]

    scheduled.publish_at = timezone.now() - timedelta(minutes=1)
    scheduled.save()

    assert parse(client, "/feeds/rss.xml").entries[0].link == ORIGIN + scheduled.get_absolute_url()


def test_feeds_use_the_public_origin(client, newsroom, settings):
    settings.SITE_URL = "https://news.example.org"

    feed = parse(client, "/zh-tw/feeds/atom.xml")

    assert feed.feed.link == "https://news.example.org/zh-tw/"
    assert feed.entries[0].link == f"https://news.example.org/zh-tw/article/{newsroom['story'].pk}/"
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {
        "https://news.example.org/zh-tw/feeds/atom.xml"
    }


def test_a_long_feed_stops_at_thirty_entries(client, tree, site):
    for day in range(35):
        make_article(category=tree["company"], days_ago=day + 1)

    assert len(parse(client, "/feeds/rss.xml").entries) == 30


def test_an_unchanged_feed_costs_a_poller_one_empty_response(client, newsroom):
    first = client.get("/feeds/rss.xml")

    again = client.get("/feeds/rss.xml", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    make_article(category=newsroom["story"].category, title="新的一篇")
    assert client.get("/feeds/rss.xml", headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_feeds_are_read_only(client, newsroom):
    assert client.post("/feeds/rss.xml").status_code == 405


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", ["/feeds/rss.xml", "/feeds/atom.xml"]),
        (
            "/category/company/",
            ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/company/rss.xml", "/feeds/company/atom.xml"],
        ),
        (
            "/zh-tw/category/industry/",
            [
                "/zh-tw/feeds/rss.xml",
                "/zh-tw/feeds/atom.xml",
                "/zh-tw/feeds/industry/rss.xml",
                "/zh-tw/feeds/industry/atom.xml",
            ],
        ),
        ("ARTICLE", ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/company/rss.xml", "/feeds/company/atom.xml"]),
    ],
)
def test_every_page_announces_its_feeds(client, newsroom, path, expected):
    if path == "ARTICLE":
        path = newsroom["story"].get_absolute_url()
    html = client.get(path).content.decode()
    head = html[: html.index("</head>")]

    found = re.findall(
        r'<link rel="alternate" type="application/(?:rss|atom)\+xml" title="[^"]+" href="([^"]+)">', head
    )

    assert found == expected
    for href in found:
        parse(client, href)


def test_feed_links_are_titled_in_the_readers_script(client, newsroom):
    html = client.get("/zh-tw/category/company/").content.decode()

    titles = re.findall(r'type="application/(?:rss|atom)\+xml" title="([^"]+)"', html)

    assert titles == [
        "東方智聯裝備集團 · 新聞中心 (RSS)",
        "東方智聯裝備集團 · 新聞中心 (Atom)",
        "公司新聞 · 東方智聯裝備集團 (RSS)",
        "公司新聞 · 東方智聯裝備集團 (Atom)",
    ]


@pytest.mark.parametrize("name, version", FORMATS)
def test_a_hostile_glossary_form_reaches_feeds_as_text_only(client, newsroom, name, version):
    """A glossary row saved before entries were checked: every HTML-bearing element of the feed stays clean."""
    GlossaryTerm.objects.create(term="座谈会", mode=GlossaryTerm.Mode.FORCE, zh_tw=HOSTILE_FORM)

    root = etree.fromstring(client.get(f"/zh-tw/feeds/{name}").content)

    texts = [element.text for element in root.iter() if element.text]
    assert any("&lt;img src=x onerror=" in value for value in texts)  # the body, as HTML text
    assert [value for value in texts if event_handlers(value)] == []


@pytest.mark.parametrize("url", ["/feeds/empty/rss.xml", "/feeds/empty/atom.xml"])
def test_an_empty_feed_has_the_same_bytes_at_every_request(client, tree, url):
    make_category("空栏目", slug="empty")
    first = client.get(url)
    time.sleep(0.01)
    assert first.status_code == 200 and client.get(url).content == first.content


def test_a_traditional_feed_reads_its_entries_converted_ahead_in_one_query(client, tree, site, html_conversions, text_conversions):
    """Thirty entries' titles, authors and bodies come from the rows converted when they were saved
    (hanzi.render): one query, no OpenCC for them, where each body was a query of its own."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinwen.hanzi import render
    from xinwen.news import ahead

    body = "<p>" + "软件与鼠标的信息，吃面条。" * 40 + "</p>"  # long enough to be converted ahead as a body
    entries = [make_article(category=tree["company"], title=f"第{day}条软件新闻", author="张晓华", body=body + str(day),
                            days_ago=day + 1) for day in range(30)]  # fmt: skip
    ahead.articles_ahead(a.pk for a in entries)
    render._local.clear()
    cache.clear()
    parse(client, "/zh-tw/feeds/industry/atom.xml")  # an empty section's feed: the labels and names any feed converts
    html_conversions.calls = text_conversions.calls = 0
    text_conversions.texts = []

    with CaptureQueriesContext(connection) as queries:
        feed = parse(client, "/zh-tw/feeds/rss.xml")

    assert len(feed.entries) == 30 and feed.entries[0].title == "第0條軟體新聞"
    assert "軟體與滑鼠的資訊" in feed.entries[0].content[0].value
    assert html_conversions.calls == 0, "a body went through OpenCC"
    assert not {a.title for a in entries} & set(text_conversions.texts), "a title went through OpenCC"
    assert sum("hanzi_convertedtext" in q["sql"] for q in queries.captured_queries) == 1
