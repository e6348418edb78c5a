"""Whatever arrives in the query string, the search page answers with a page: never a 500, never a syntax error."""

from __future__ import annotations

import logging

import pytest

from xinwen.search.tests.conftest import search, titled

pytestmark = pytest.mark.django_db

# (query string as it arrives, id)
BAD = [
    ("q=", "empty"),
    ("q=+++", "spaces"),
    ("q=%E3%80%80%E3%80%80", "ideographic-spaces"),
    ("q=%09%0A%0D", "tabs-and-newlines"),
    ("", "no-parameter"),
    ("q=" + "%E9%9B%86" * 3400, "10KB-of-one-character"),
    ("q=" + "%E9%9B%86%E5%9B%A2+" * 1200, "10KB-of-words"),
    ("q=" + "a" * 10240, "10KB-latin-word"),
    ('q="', "lone-quote"),
    ('q=%22%22', "empty-quotes"),
    ('q=%22%E5%AE%89%E5%85%A8', "unclosed-quote"),
    ("q=*", "star"),
    ("q=%E5%AE%89%E5%85%A8*", "prefix-star"),
    ("q=(", "open-paren"),
    ("q=()", "parens"),
    ("q=%E5%AE%89%E5%85%A8)", "close-paren"),
    ("q=NEAR", "near"),
    ("q=NEAR(a+b)", "near-group"),
    ("q=NEAR(%E5%AE%89%E5%85%A8+%E7%94%9F%E4%BA%A7,+2)", "near-with-distance"),
    ("q=AND", "and"),
    ("q=OR", "or"),
    ("q=a+OR+b+AND+NOT+c", "boolean-words"),
    ("q=-", "minus"),
    ("q=--", "double-minus"),
    ("q=-%E9%9B%86%E5%9B%A2", "only-an-exclusion"),
    ("q=%E9%9B%86%E5%9B%A2+-", "trailing-minus"),
    ("q=^%E9%9B%86", "caret"),
    ("q=title:%E9%9B%86%E5%9B%A2", "column-filter"),
    ("q=%7Btw+w%7D:x", "fts5-column-set"),
    ("q=%3C-%3E+%26+%7C+!", "tsquery-operators"),
    ("q=%27%3A*", "tsquery-prefix"),
    ("q=%27+OR+%271%27%3D%271", "sql-quote-or"),
    ("q=%27%3B+DROP+TABLE+news_article%3B+--", "sql-drop-table"),
    ("q=1%27+UNION+SELECT+password+FROM+auth_user--", "sql-union"),
    ("q=%5C", "backslash"),
    ("q=%00", "nul"),
    ("q=%E9%9B%86%00%E5%9B%A2", "nul-inside"),
    ("q=%FF%FE%FD", "invalid-utf8"),
    ("q=%E9%9B", "truncated-utf8"),
    ("q=%ED%A0%80", "encoded-surrogate"),
    ("q=%EE%80%80", "private-use-separator"),
    ("q=%F0%9F%98%80", "emoji"),
    ("q=%E2%80%8B%E2%80%8B", "zero-width-spaces"),
    ("q=%3Cscript%3Ealert(1)%3C/script%3E", "markup"),
    ("q=%E9%9B%86&q=%E5%9B%A2", "repeated-parameter"),
    ("q=%E9%9B%86%E5%9B%A2&page=abc", "page-not-a-number"),
    ("q=%E9%9B%86%E5%9B%A2&page=-1", "negative-page"),
    ("q=%E9%9B%86%E5%9B%A2&page=99999999999999999999", "huge-page"),
    ("q=%E9%9B%86%E5%9B%A2&category=%27%3B--", "category-injection"),
    ("q=%E9%9B%86%E5%9B%A2&category=nope", "unknown-category"),
    ("q=%E9%9B%86%E5%9B%A2&from=2024-13-45&to=yesterday", "bad-dates"),
    ("q=%E9%9B%86%E5%9B%A2&from=2025-01-01&to=2024-01-01", "dates-reversed"),
    ("q=%E9%9B%86%E5%9B%A2&from=0001-01-01&to=9999-12-31", "extreme-dates"),
]


@pytest.mark.parametrize("query_string", [q for q, _ in BAD], ids=[i for _, i in BAD])
@pytest.mark.parametrize("prefix", ["", "/zh-tw"])
def test_bad_input_gets_a_page(client, demo, query_string, prefix, caplog, settings):
    settings.SEARCH_RATE_LIMIT = "1000/60"
    with caplog.at_level(logging.ERROR):
        response = client.get(f"{prefix}/search/?{query_string}")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<ol class="search-results"' in html or "search-summary" in html or "search-tips" in html
    # No database error was swallowed on the way either.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_markup_in_the_query_is_shown_as_text(client, demo):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_query_is_cut_and_the_page_says_so(client, demo):
    response = client.get("/search/", {"q": "集团" * 5000})

    assert response.status_code == 200
    assert "只使用了开头部分" in response.content.decode()


def test_sql_injection_text_is_searched_as_text(demo):
    assert search("' OR 1=1; DROP TABLE news_article; --") == []
    # OR is a word here, not an operator: the injection narrows the search, never widens it.
    assert set(search("集团' OR '1'='1")) <= set(search("集团"))


def test_fts_syntax_characters_are_plain_text(demo):
    expected = titled(demo, "集团全面启动2024年“安全生产月”活动").pk

    assert search("安全生产月*")[0] == expected
    assert search("(安全生产月)")[0] == expected
    assert search("安全生产月 AND")[0] == expected
    assert search("NEAR(安全生产月)")[0] == expected
    assert search('"安全生产月')[0] == expected


def test_nothing_searchable_says_so(client, demo):
    response = client.get("/search/", {"q": "*** ??? !!!"})

    assert response.status_code == 200
    assert "没有可以搜索的文字" in response.content.decode()


@pytest.mark.parametrize("date_from", ["2300-06-19", "9999-12-31"])
def test_a_start_date_far_in_the_future_finds_nothing(client, demo, date_from):
    # Its search key once overflowed SQLite's 64-bit integers: a 500 instead of an empty answer.
    response = client.get("/api/v1/search", {"q": "集团", "date_from": date_from})

    assert response.status_code == 200
    assert response.json()["count"] == 0
