"""Drafts, articles in review, scheduled and archived articles appear nowhere the feeds app publishes."""

from __future__ import annotations

import re

import pytest

from xinwen.feeds.tests.conftest import HIDDEN, MARKERS, PREFIXES, public

pytestmark = pytest.mark.django_db


def published_documents(client, newsroom) -> dict[str, bytes]:
    """Every feed, sitemap, API answer and public page (with its JSON-LD) in every script."""
    urls = []
    for prefix in PREFIXES.values():
        urls += [f"{prefix}/feeds/{kind}" for kind in ("rss.xml", "atom.xml")]
        urls += [
            f"{prefix}/feeds/{slug}/{kind}"
            for slug in ("news", "company", "industry")
            for kind in ("rss.xml", "atom.xml")
        ]
        urls += [prefix + article.get_absolute_url() for article in public(newsroom)]
        urls += [prefix + "/", prefix + "/category/company/"]
    index = client.get("/sitemap.xml").content.decode()
    urls += ["/sitemap.xml"] + [
        loc.removeprefix("http://testserver") for loc in re.findall(r"<loc>([^<]+)</loc>", index)
    ]
    for variant in PREFIXES:
        urls += [
            f"/api/v1/articles?page_size=100&variant={variant}",
            f"/api/v1/articles?category=company&variant={variant}",
            f"/api/v1/categories?variant={variant}",
        ]
    documents = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        documents[url] = response.content
    return documents


def test_articles_readers_may_not_see_appear_nowhere(client, newsroom):
    documents = published_documents(client, newsroom)
    assert len(documents) > 60

    for name in HIDDEN:
        article = newsroom[name]
        path = f"/article/{article.pk}/".encode()
        leaks = [url for url, content in documents.items() if MARKERS[name].encode() in content or path in content]
        assert leaks == [], f"the {name} article shows up in {leaks}"
    # …while the public ones do, so the search above looked at real documents.
    for article in public(newsroom):
        assert any(f"/article/{article.pk}/".encode() in content for content in documents.values())


@pytest.mark.parametrize("name", HIDDEN)
def test_their_pages_have_no_structured_data_for_readers(client, newsroom, name):
    response = client.get(newsroom[name].get_absolute_url())

    assert response.status_code == 404
    assert b"application/ld+json" not in response.content
