"""The sitemap index and its sections: public URLs only, each with its four script alternates."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://testserver"
PREFIXES = {"zh-Hans": "", "zh-Hant": "/zh-hant", "zh-TW": "/zh-tw", "zh-HK": "/zh-hk"}
Status = Article.Status


@pytest.fixture
def articles(tree, settings):
    settings.SITE_URL = ""
    now = timezone.now()
    return {
        "published": make_article(category=tree["company"], title="已发布"),
        "older": make_article(category=tree["industry"], title="较早发布", days_ago=30),
        "draft": make_article(category=tree["company"], title="草稿", status=Status.DRAFT),
        "review": make_article(category=tree["company"], title="待审", status=Status.REVIEW, publish_at=now - timedelta(days=1)),
        "scheduled": make_article(category=tree["company"], title="定时", publish_at=now + timedelta(days=1)),
        "archived": make_article(category=tree["company"], title="归档", status=Status.ARCHIVED, publish_at=now - timedelta(days=2)),
    }


def parse(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def urls(root: ElementTree.Element) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of every <url>."""
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("sm:url", NS)
    }


def expected_alternates(path: str) -> dict[str, str]:
    return {**{lang: ORIGIN + prefix + path for lang, prefix in PREFIXES.items()}, "x-default": ORIGIN + path}


def test_index_lists_every_section(client, articles):
    root = parse(client, "/sitemap.xml")

    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    locations = [node.findtext("sm:loc", namespaces=NS) for node in root.findall("sm:sitemap", NS)]
    assert locations == [f"{ORIGIN}/sitemap-{name}.xml" for name in ("home", "categories", "articles")]
    for location in locations:
        parse(client, location.removeprefix(ORIGIN))


def test_articles_section_lists_published_articles_only(client, articles):
    listed = urls(parse(client, "/sitemap-articles.xml"))

    expected = [f"{ORIGIN}/article/{articles[name].pk}/" for name in ("published", "older")]
    assert sorted(listed) == sorted(expected)


def test_articles_section_carries_the_last_change(client, articles):
    root = parse(client, "/sitemap-articles.xml")

    for url in root.findall("sm:url", NS):
        assert url.findtext("sm:lastmod", namespaces=NS)


@pytest.mark.parametrize("section", ["home", "categories", "articles"])
def test_every_url_has_its_script_alternates(client, articles, section):
    listed = urls(parse(client, f"/sitemap-{section}.xml"))

    assert listed
    for location, alternates in listed.items():
        path = location.removeprefix(ORIGIN)
        assert alternates == expected_alternates(path), location


def test_sections_cover_the_home_page_and_every_category(client, articles, tree):
    assert list(urls(parse(client, "/sitemap-home.xml"))) == [f"{ORIGIN}/"]
    categories = urls(parse(client, "/sitemap-categories.xml"))
    assert sorted(categories) == sorted(f"{ORIGIN}/category/{node.slug}/" for node in tree.values())


def test_alternates_lead_to_the_same_page(client, articles):
    alternates = urls(parse(client, "/sitemap-articles.xml"))[f"{ORIGIN}/article/{articles['published'].pk}/"]

    for lang, href in alternates.items():
        response = client.get(href.removeprefix(ORIGIN))
        assert response.status_code == 200, href
        assert response["Content-Language"] == ("zh-Hans" if lang == "x-default" else lang)


def test_a_scheduled_article_appears_once_its_time_has_come(client, articles):
    scheduled = articles["scheduled"]
    scheduled.publish_at = timezone.now() - timedelta(minutes=1)
    scheduled.save()

    assert f"{ORIGIN}/article/{scheduled.pk}/" in urls(parse(client, "/sitemap-articles.xml"))


def test_a_page_read_in_another_script_does_not_change_the_sitemap(client, articles):
    client.get(f"/zh-tw/article/{articles['published'].pk}/")

    listed = urls(parse(client, "/sitemap-articles.xml"))

    assert f"{ORIGIN}/article/{articles['published'].pk}/" in listed
