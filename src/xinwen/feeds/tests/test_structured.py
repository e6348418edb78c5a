"""Structured data on article pages: JSON-LD (read with extruct), Open Graph and Twitter card, in every script."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import extruct
import pytest
from django.templatetags.static import static

from xinwen.conftest import make_article
from xinwen.feeds import structured
from xinwen.feeds.tests.conftest import ORIGIN

pytestmark = pytest.mark.django_db


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def data(html: str, url: str) -> dict:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"])


def json_ld(html: str, url: str, kind: str) -> dict:
    (item,) = [item for item in data(html, url)["json-ld"] if item.get("@type") == kind]
    assert item["@context"] == "https://schema.org"
    return item


def open_graph(html: str, url: str) -> list[tuple[str, str]]:
    (og,) = data(html, url)["opengraph"]
    return og["properties"]


def twitter(html: str) -> dict[str, str]:
    return {
        name: unescape(value) for name, value in re.findall(r'<meta name="(twitter:[a-z]+)" content="([^"]*)">', html)
    }


def visible_breadcrumb(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="breadcrumb.*?</nav>', html, re.S).group(0)
    return [(unescape(text), ORIGIN + href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)]


def test_an_article_page_describes_itself_as_a_news_article(client, newsroom):
    story = newsroom["story"]
    story.refresh_from_db()
    url = ORIGIN + story.get_absolute_url()

    article = json_ld(page(client, story.get_absolute_url()), url, "NewsArticle")

    assert article["headline"] == "软件与鼠标的信息"
    assert article["description"] == story.description(length=200)
    assert article["url"] == url
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["inLanguage"] == "zh-Hans"
    assert datetime.fromisoformat(article["datePublished"]) == story.publish_at.replace(microsecond=0)
    assert datetime.fromisoformat(article["dateModified"]) == max(story.updated_at, story.publish_at).replace(
        microsecond=0
    )
    assert article["author"] == [{"@type": "Person", "name": "张三"}, {"@type": "Person", "name": "李四"}]
    assert article["publisher"] == {
        "@type": "Organization",
        "name": "东方智联装备集团",
        "logo": {"@type": "ImageObject", "url": ORIGIN + static("news/favicon.svg")},
    }
    assert article["image"] == [ORIGIN + story.cover.url]
    assert article["articleSection"] == "公司新闻"


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"])
def test_the_breadcrumb_list_is_the_visible_breadcrumb(client, newsroom, prefix):
    path = prefix + newsroom["event"].get_absolute_url()
    html = page(client, path)

    crumbs = json_ld(html, ORIGIN + path, "BreadcrumbList")["itemListElement"]

    assert [(item["name"], item["item"]) for item in crumbs] == visible_breadcrumb(html)
    assert [item["position"] for item in crumbs] == [1, 2, 3, 4]
    assert all(item["@type"] == "ListItem" for item in crumbs)


def test_the_breadcrumb_reads_home_news_center_section(client, newsroom):
    path = "/zh-tw" + newsroom["story"].get_absolute_url()

    crumbs = json_ld(page(client, path), ORIGIN + path, "BreadcrumbList")["itemListElement"]

    assert [item["name"] for item in crumbs] == ["首頁", "新聞中心", "公司新聞"]
    assert crumbs[0]["item"] == ORIGIN + "/zh-tw/"


@pytest.mark.parametrize(
    "prefix, lang, headline, locale",
    [
        ("", "zh-Hans", "软件与鼠标的信息", "zh_CN"),
        ("/zh-hant", "zh-Hant", "軟件與鼠標的信息", "zh_TW"),
        ("/zh-tw", "zh-TW", "軟體與滑鼠的資訊", "zh_TW"),
        ("/zh-hk", "zh-HK", "軟件與鼠標的信息", "zh_HK"),
    ],
)
def test_structured_data_and_social_tags_are_in_the_readers_script(client, newsroom, prefix, lang, headline, locale):
    story = newsroom["story"]
    path = prefix + story.get_absolute_url()
    html = page(client, path)

    article = json_ld(html, ORIGIN + path, "NewsArticle")
    assert (article["headline"], article["inLanguage"], article["url"]) == (headline, lang, ORIGIN + path)
    assert article["publisher"]["name"] == ("东方智联装备集团" if not prefix else "東方智聯裝備集團")
    og = open_graph(html, ORIGIN + path)
    assert ("og:title", headline) in og
    assert ("og:url", ORIGIN + path) in og
    assert ("og:locale", locale) in og
    assert {value for key, value in og if key == "og:locale:alternate"} == {"zh_CN", "zh_TW", "zh_HK"} - {locale}
    assert twitter(html)["twitter:title"] == headline


def test_open_graph_and_twitter_card_describe_the_article(client, newsroom):
    story = newsroom["story"]
    story.refresh_from_db()
    url = ORIGIN + story.get_absolute_url()
    html = page(client, story.get_absolute_url())

    og = dict(open_graph(html, url))

    assert og["og:type"] == "article"
    assert og["og:site_name"] == "东方智联装备集团"
    assert og["og:description"] == story.description()
    assert og["og:image"] == ORIGIN + story.cover.url
    assert og["article:section"] == "公司新闻"
    assert datetime.fromisoformat(og["article:published_time"]) == story.publish_at.replace(microsecond=0)
    assert twitter(html) == {
        "twitter:card": "summary_large_image",
        "twitter:title": "软件与鼠标的信息",
        "twitter:description": story.description(),
        "twitter:image": ORIGIN + story.cover.url,
    }


def test_without_cover_the_first_body_image_or_nothing_stands_in(client, tree, site):
    with_image = make_article(
        category=tree["company"], body='<p>文字</p><p><img src="/media/images/a.png" alt="甲"></p>'
    )
    without = make_article(category=tree["company"], author="")

    first = json_ld(page(client, with_image.get_absolute_url()), ORIGIN, "NewsArticle")
    plain_html = page(client, without.get_absolute_url())
    plain = json_ld(plain_html, ORIGIN, "NewsArticle")

    assert first["image"] == [ORIGIN + "/media/images/a.png"]
    assert "image" not in plain
    assert twitter(plain_html)["twitter:card"] == "summary"
    assert "og:image" not in dict(open_graph(plain_html, ORIGIN))
    # An article without a named author is the organisation's.
    assert plain["author"] == [plain["publisher"]]


def test_titles_cannot_break_out_of_the_json_ld_script(client, tree, site):
    hostile = '</script><script>alert("x")</script><!-- & ]]>'
    article = make_article(category=tree["company"], title=hostile)

    html = page(client, article.get_absolute_url())

    assert '<script>alert("x")' not in html
    assert json_ld(html, ORIGIN, "NewsArticle")["headline"] == hostile


def test_structured_data_follows_the_public_origin(client, newsroom, settings):
    settings.SITE_URL = "https://news.example.org"
    story = newsroom["story"]
    html = page(client, story.get_absolute_url())

    article = json_ld(html, "https://news.example.org/", "NewsArticle")

    assert article["url"] == f"https://news.example.org{story.get_absolute_url()}"
    assert article["image"] == [f"https://news.example.org{story.cover.url}"]
    crumbs = json_ld(html, "https://news.example.org/", "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["item"] == "https://news.example.org/"


# --- the pure parts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, names",
    [
        ("张三", ["张三"]),
        ("张三、李四", ["张三", "李四"]),
        ("张三，李四, 王五", ["张三", "李四", "王五"]),
        ("张三 李四", ["张三", "李四"]),
        ("本报记者/张三；李四", ["本报记者", "张三", "李四"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_authors(text, names):
    assert structured.split_authors(text) == names


@pytest.mark.parametrize(
    "html, src",
    [
        ('<p>x</p><img src="/media/a.png" alt="">', "/media/a.png"),
        ('<p><img alt="甲" src="https://example.org/b.jpg"></p><img src="/c.png">', "https://example.org/b.jpg"),
        ("<p>没有图片</p>", None),
        ("", None),
    ],
)
def test_first_image(html, src):
    assert structured.first_image(html) == src


def test_headlines_are_cut_at_googles_limit():
    long = "长" * 150

    data_ = structured.news_article(
        headline=long,
        description="",
        url="https://x.org/",
        published=datetime.fromisoformat("2024-04-24T09:00:00+08:00"),
        modified=datetime.fromisoformat("2024-04-24T08:00:00+08:00"),
        authors=[],
        publisher="机构",
        logo="https://x.org/logo.svg",
        images=[],
        language="zh-Hans",
        section="新闻",
    )

    assert len(data_["headline"]) == structured.HEADLINE_MAX
    assert data_["headline"].endswith("…")
    assert data_["dateModified"] == data_["datePublished"]  # never before publication
