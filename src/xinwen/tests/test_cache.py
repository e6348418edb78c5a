"""With Redis down, the site degrades instead of failing: pages render, limits still hold.

REDIS_URL and the cache point at a closed port; a connection is refused at once, so no
test waits for a connect timeout (and the cache's own timeouts are short).
"""

from __future__ import annotations

import logging
import time

import pytest

from xinwen.cache import CacheUnavailable, redis_cache_settings
from xinwen.conftest import make_article
from xinwen.search.services import search_index_articles
from xinwen.stats import services as stats_services
from xinwen.stats.tests.conftest import BROWSER_HEADERS, FORM
from xinwen.stats.models import DailyViews

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = DOWN
    settings.CACHES = {"default": redis_cache_settings(DOWN, "xinwen-test-down")}
    stats_services._stores.clear()
    yield
    stats_services._stores.clear()


def errors(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def test_the_home_page_renders_without_the_popular_block(client, tree, redis_down, caplog):
    article = make_article(category=tree["company"], title="座谈会在沪举行", view_count=275)
    DailyViews.objects.create(article=article, day=article.publish_at.date(), views=3)

    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        responses = [client.get("/") for _ in range(5)]
        elapsed = time.monotonic() - started

    assert [response.status_code for response in responses] == [200] * 5
    page = responses[-1].content.decode()
    assert "座谈会在沪举行" in page
    assert "popular-heading" not in page
    assert errors(caplog) == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "Redis" in r.getMessage()]
    assert len(warnings) == 1, "one warning, not one per request"
    assert elapsed < 10


def test_search_works_and_is_limited_per_process(client, tree, redis_down, settings, caplog):
    settings.SEARCH_RATE_LIMIT = "3/60"
    article = make_article(category=tree["company"], title="网站改版上线")
    search_index_articles(article_ids=[article.pk])  # also bumps the index generation in the (down) cache

    with caplog.at_level(logging.WARNING):
        answers = [client.get("/search/", {"q": "网站"}) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "改版上线" in answers[0].content.decode()  # the title, with 网站 highlighted
    assert errors(caplog) == []


def test_beacons_are_still_rate_limited(client, tree, redis_down, settings, caplog):
    settings.STATS_RATE_LIMIT = 3
    article = make_article(category=tree["company"], view_count=275)

    with caplog.at_level(logging.WARNING):
        codes = [
            client.post("/stats/view/", f"article={article.pk}", content_type=FORM, **BROWSER_HEADERS).status_code
            for _ in range(5)
        ]

    assert codes == [200, 200, 200, 429, 429]
    assert errors(caplog) == []


def test_the_cache_misses_drops_writes_and_refuses_to_count(redis_down):
    from django.core.cache import cache

    assert cache.get("x", "fallback") == "fallback"
    cache.set("x", 1)
    assert cache.get_or_set("y", lambda: 42) == 42
    with pytest.raises(CacheUnavailable):
        cache.add("z", 1)
    with pytest.raises(CacheUnavailable):
        cache.incr("z")
