"""The site's search page and the API's search answer the same inputs alike.

Both are adapters over search.selectors.article_search. Each row runs once through
/search/ (HTML) and once through /api/v1/search (JSON): a valid request gives the same
article ids in the same order, the same total and the same snippets; a mistake is
refused by the API (4xx, naming the parameter) and reported on the page, which shows
what the API gives for the corrected request (the page's fallback).
"""

from __future__ import annotations

import html
import re

import pytest

from xinwen.search.tests.conftest import demo, demo_site  # noqa: F401  (fixtures: the demo news center, indexed)

pytestmark = pytest.mark.django_db

PREFIXES = {"zh-hans": "", "zh-hant": "/zh-hant", "zh-tw": "/zh-tw", "zh-hk": "/zh-hk"}
HTML_NAMES = {"date_from": "from", "date_to": "to"}  # the page's form says from/to
TEN = {"page_size": 10}  # the page shows 10 a page, the API 20: compared at the same size


def html_answer(client, params: dict) -> dict:
    params = dict(params)
    prefix = PREFIXES[params.pop("variant", "zh-hans")]
    response = client.get(f"{prefix}/search/", {HTML_NAMES.get(key, key): value for key, value in params.items()})
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    results = re.search(r'<ol class="search-results".*?</ol>', page, re.S)
    items = re.findall(r"<li>\s*<h2><a href=\"[^\"]*/article/(\d+)/\">(.*?)</a></h2>\s*<p class=\"search-snippet\">(.*?)</p>",
                       results.group(0) if results else "", re.S)  # fmt: skip
    total = re.search(r'class="search-summary" role="status" data-total="(\d+)"', page)
    return {
        "ids": [int(pk) for pk, _title, _snippet in items],
        "titles": [html.unescape(re.sub(r"</?mark>", "", title)) for _pk, title, _snippet in items],
        "snippets": [snippet for _pk, _title, snippet in items],
        "total": int(total.group(1)) if total else 0,
        "problems": re.findall(r'data-problem="([a-z_]+)"', page),
    }


def api_answer(client, params: dict) -> tuple[int, dict]:
    response = client.get("/api/v1/search", params)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if response.status_code != 200:
        return response.status_code, body["error"]
    items = body["results"]
    return 200, {
        "ids": [item["id"] for item in items],
        "titles": [item["title"] for item in items],
        "snippets": [item["snippet"] for item in items],
        "total": body["count"],
        "problems": [],
    }


# (id, request in the API's names, None when both answer it, else
#  (API status, API error code, the parameter at fault, the page's notice, the request the page answers instead))
# The API's "invalid_parameter" and "page_size_too_large" come from its declared (OpenAPI) types and bounds.
ROWS = [
    ("normal", {"q": "储能", **TEN}, None),
    ("many-pages", {"q": "的", **TEN}, None),
    ("second-page", {"q": "的", "page": "2", **TEN}, None),
    ("quoted-phrase", {"q": '"安全生产月"', **TEN}, None),
    ("exclusion", {"q": "储能 -液冷", **TEN}, None),
    ("category", {"q": "储能", "category": "industry", **TEN}, None),
    ("category-root", {"q": "储能", "category": "news", **TEN}, None),
    ("date-range", {"q": "储能", "date_from": "2024-08-20", "date_to": "2024-08-26", **TEN}, None),
    ("one-day", {"q": "储能", "date_from": "2024-08-20", "date_to": "2024-08-20", **TEN}, None),
    ("nothing-found", {"q": "元宵", **TEN}, None),
    ("nothing-searchable", {"q": "*** ???", **TEN}, None),
    ("blank", {"q": "   ", **TEN}, None),
    ("page-size-1", {"q": "储能", "page_size": "1"}, None),
    ("page-size-100", {"q": "的", "page_size": "100"}, None),
    ("query-at-the-limit", {"q": "集" * 1000, **TEN}, None),
    *[(f"script-{code}", {"q": "網站 5G", "variant": code, **TEN}, None) for code in PREFIXES],
    ("script-tw-word", {"q": "軟體", "variant": "zh-tw", **TEN}, None),
    ("empty", {"q": "", **TEN}, (400, "invalid_parameter", "q", "empty_query", None)),
    (
        "over-long",
        {"q": "储能" + " " * 1000 + "集团", **TEN},
        (400, "invalid_parameter", "q", "query_too_long", {"q": "储能", **TEN}),
    ),
    ("unknown-category", {"q": "储能", "category": "nope", **TEN}, (404, "unknown_category", "category", "unknown_category", {"q": "储能", **TEN})),
    (
        "reversed-dates",
        {"q": "储能", "date_from": "2024-08-26", "date_to": "2024-08-20", **TEN},
        (400, "invalid_date_range", "date_from", "invalid_date_range", {"q": "储能", **TEN}),
    ),
    ("invalid-date", {"q": "储能", "date_from": "2024-02-30", **TEN}, (400, "invalid_parameter", "date_from", "invalid_date", {"q": "储能", **TEN})),
    ("unreadable-date", {"q": "储能", "date_to": "yesterday", **TEN}, (400, "invalid_parameter", "date_to", "invalid_date", {"q": "储能", **TEN})),
    ("page-beyond-the-end", {"q": "的", "page": "999", **TEN}, (404, "page_out_of_range", "page", "page_out_of_range", "last page")),
    ("page-zero", {"q": "的", "page": "0", **TEN}, (400, "invalid_parameter", "page", "invalid_page", {"q": "的", **TEN})),
    ("page-negative", {"q": "的", "page": "-1", **TEN}, (400, "invalid_parameter", "page", "invalid_page", {"q": "的", **TEN})),
    ("page-not-a-number", {"q": "的", "page": "abc", **TEN}, (400, "invalid_parameter", "page", "invalid_page", {"q": "的", **TEN})),
    ("page-size-zero", {"q": "的", "page_size": "0"}, (400, "invalid_parameter", "page_size", "invalid_page_size", {"q": "的", **TEN})),
    ("page-size-101", {"q": "的", "page_size": "101"}, (400, "page_size_too_large", "page_size", "invalid_page_size", {"q": "的", **TEN})),
]


@pytest.mark.parametrize("params, refused", [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_the_page_and_the_api_agree(client, demo, settings, params, refused):  # noqa: F811
    settings.SEARCH_RATE_LIMIT = "1000/60"

    status, api = api_answer(client, params)
    page = html_answer(client, params)

    if refused is None:
        assert status == 200, api
        assert page["problems"] == []
        assert (page["ids"], page["total"]) == (api["ids"], api["total"])
        assert page["titles"] == api["titles"]
        assert page["snippets"] == api["snippets"]
        return
    expected_status, code, field, notice, fallback = refused
    assert (status, api["code"], api["field"]) == (expected_status, code, field), api
    assert re.search(r"[\u4e00-\u9fff]", api["message"]), api["message"]  # says why, in Chinese
    assert page["problems"] == [notice]
    if fallback == "last page":
        last = -(-api_answer(client, {**params, "page": "1"})[1]["total"] // 10)
        fallback = {**params, "page": str(last)}
    if fallback is not None:
        corrected = api_answer(client, fallback)[1]
        assert corrected["ids"], "the fallback must show something for the comparison to mean anything"
        assert (page["ids"], page["total"]) == (corrected["ids"], corrected["total"])
    else:
        assert page["ids"] == []


def test_the_page_and_the_api_share_one_budget(client, demo, settings):  # noqa: F811
    settings.SEARCH_RATE_LIMIT = "2/60"
    assert client.get("/search/", {"q": "储能"}).status_code == 200
    assert client.get("/api/v1/search", {"q": "储能"}).status_code == 200

    page = client.get("/search/", {"q": "储能"})
    api = client.get("/api/v1/search", {"q": "储能"})

    assert page.status_code == api.status_code == 429
    assert "搜索过于频繁" in page.content.decode() and page["Content-Type"].startswith("text/html")
    assert "搜索过于频繁" in api.json()["error"]["message"] and api.json()["error"]["code"] == "rate_limited"
    assert page["Retry-After"] == api["Retry-After"]
    # Opening the page without a query costs nothing.
    assert client.get("/search/").status_code == 200
