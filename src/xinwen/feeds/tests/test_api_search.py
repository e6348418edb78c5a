"""GET /api/v1/search: the site search as JSON, in every script, public articles only, rate-limited."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from xinwen.feeds.tests.conftest import MARKERS
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import HOSTILE_FORM, event_handlers
from xinwen.news.models import Article
from xinwen.search.services import search_index_articles

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def indexed(newsroom):
    cache.clear()  # rate-limit counters and cached result lists of other tests
    search_index_articles(article_ids=Article.objects.values_list("pk", flat=True))
    yield newsroom
    cache.clear()


def search(client, status: int = 200, **params):
    response = client.get(API + "/search", params)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_search_finds_the_article_with_a_marked_snippet(client, indexed):
    story = indexed["story"]

    page = search(client, q="座谈会")

    assert [item["id"] for item in page["results"]] == [story.pk]
    assert (page["query"], page["count"], page["pages"], page["more"]) == ("座谈会", 1, 1, False)
    assert "<mark>座谈会</mark>" in page["results"][0]["snippet"]
    assert page["results"][0]["title"] == "软件与鼠标的信息"


def test_a_traditional_query_answers_in_the_script_asked_for(client, indexed):
    page = search(client, q="資訊", variant="zh-tw")

    assert [item["id"] for item in page["results"]] == [indexed["story"].pk]
    item = page["results"][0]
    assert item["title"] == "軟體與滑鼠的資訊"
    assert "<mark>資訊</mark>" in item["snippet"]
    assert item["language"] == "zh-TW"


def test_only_public_articles_are_found(client, indexed):
    for name, marker in MARKERS.items():
        assert search(client, q=marker)["results"] == [], name


def test_filters_and_pagination(client, indexed):
    assert search(client, q="座谈会", category="industry")["count"] == 0
    assert search(client, q="座谈会", category="company")["count"] == 1
    error = search(client, 404, q="座谈会", category="nope")["error"]
    assert (error["code"], error["field"]) == ("unknown_category", "category")
    error = search(client, 400, q="座谈会", date_from="2025-02-01", date_to="2025-01-01")["error"]
    assert error["code"] == "invalid_date_range"
    assert search(client, 404, q="座谈会", page=2)["error"]["code"] == "page_out_of_range"


@pytest.mark.parametrize("q", ["   ", '"', "NEAR(", "' OR 1=1; --", "*", "\ufffd"])
def test_bad_queries_get_an_empty_page_not_an_error(client, indexed, q):
    page = search(client, q=q)

    assert page["results"] == [] and page["count"] == 0


def test_an_empty_or_overlong_query_is_a_400_that_says_why(client, indexed):
    assert search(client, 400, q="")["error"]["field"] == "q"
    assert "1000" in search(client, 400, q="集" * 1001)["error"]["message"]


def test_searching_too_often_gets_429_in_chinese(client, indexed, settings):
    settings.SEARCH_RATE_LIMIT = "2/60"
    search(client, q="座谈会")
    search(client, q="座谈会")

    error = search(client, 429, q="座谈会")["error"]

    assert error["code"] == "rate_limited"
    assert "搜索过于频繁" in error["message"]


def test_a_hostile_glossary_form_reaches_snippets_as_text_only(client, indexed):
    GlossaryTerm.objects.create(term="座谈会", mode=GlossaryTerm.Mode.FORCE, zh_tw=HOSTILE_FORM)

    (item,) = search(client, q="座谈会", variant="zh-tw")["results"]

    assert "&lt;" in item["snippet"] and "onerror" in item["snippet"]  # the form's characters, as text
    assert event_handlers(item["snippet"]) == []
