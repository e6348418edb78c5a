"""Fixtures for the search tests: the demo news center, indexed once per module, and search helpers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from xinwen.conftest import rolled_back_after
from xinwen.site.demo import demo_load
from xinwen.site.demo_content import ARTICLES
from xinwen.news.models import Article
from xinwen.search.dictionary import current_segmenter
from xinwen.search.query import parse_query
from xinwen.search.selectors import ranked_articles
from xinwen.search.services import search_rebuild


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Result lists, statistics and rate-limit counters live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo news center (demo_load) with its search index, shared by the tests of a module.

    Created in a transaction that is rolled back after the module; each test runs in a
    savepoint inside it, so what a test changes is undone after that test.
    """
    with rolled_back_after(django_db_blocker):
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
            demo_load()
        search_rebuild()
        yield {article.title: article for article in Article.objects.all()}


@pytest.fixture
def demo(demo_site, db):
    return demo_site


def search(text: str, **filters) -> list[int]:
    """Article ids for a query, best first, as the results page orders them."""
    return ranked_articles(parse_query(text, current_segmenter()), **filters).article_ids


def titled(demo: dict, start: str) -> Article:
    """The demo article whose title starts with `start` (exactly one)."""
    found = [article for title, article in demo.items() if title.startswith(start)]
    assert len(found) == 1, f"{start!r} names {len(found)} demo articles"
    return found[0]


def demo_texts() -> dict[str, str]:
    """Title → every indexed text of the demo articles as written (ground truth for names)."""
    fields = ("title", "subtitle", "summary", "body", "source_name", "author")
    return {item["title"]: " ".join(str(item.get(name, "")) for name in fields) for item in ARTICLES}
