"""search_params: one reading of a search request for the page and the API, each mistake named with its fallback."""

from __future__ import annotations

from datetime import date

import pytest

from xinwen.conftest import make_category
from xinwen.search.params import MAX_INPUT_LENGTH, search_params

D = date.fromisoformat


def codes(params) -> list[tuple[str, str, int]]:
    return [(problem.code, problem.field, problem.status) for problem in params.problems]


@pytest.mark.parametrize(
    "values, expected, problems",
    [
        ({"text": " 储能 "}, {"text": "储能", "page": 1, "per_page": 10}, []),
        ({"text": ""}, {"text": ""}, [("empty_query", "q", 400)]),
        ({"text": None}, {"text": ""}, [("empty_query", "q", 400)]),
        ({"text": "   "}, {"text": ""}, []),  # a search for nothing: an empty answer, not a mistake
        ({"text": "集" * (MAX_INPUT_LENGTH + 1)}, {"text": "集" * MAX_INPUT_LENGTH}, [("query_too_long", "q", 400)]),
        ({"text": "a", "date_from": "2024-08-20", "date_to": "2024-08-26"}, {"date_from": D("2024-08-20"), "date_to": D("2024-08-26")}, []),
        ({"text": "a", "date_from": D("2024-08-20"), "date_to": D("2024-08-20")}, {"date_from": D("2024-08-20")}, []),
        # Reversed: refused, never swapped (the API's rule since its first version; the page now says so too).
        ({"text": "a", "date_from": "2024-08-26", "date_to": "2024-08-20"}, {"date_from": None, "date_to": None}, [("invalid_date_range", "date_from", 400)]),
        ({"text": "a", "date_from": "2024-02-30"}, {"date_from": None}, [("invalid_date", "date_from", 400)]),
        ({"text": "a", "date_to": "2024-5-1"}, {"date_to": None}, [("invalid_date", "date_to", 400)]),
        ({"text": "a", "date_to": "1713916800"}, {"date_to": None}, [("invalid_date", "date_to", 400)]),
        ({"text": "a", "page": "3"}, {"page": 3}, []),
        ({"text": "a", "page": 3}, {"page": 3}, []),
        ({"text": "a", "page": "0"}, {"page": 1}, [("invalid_page", "page", 400)]),
        ({"text": "a", "page": "-1"}, {"page": 1}, [("invalid_page", "page", 400)]),
        ({"text": "a", "page": "二"}, {"page": 1}, [("invalid_page", "page", 400)]),
        ({"text": "a", "page": "9" * 5000}, {"page": 10**18}, []),  # a number: the page past the end
        ({"text": "a", "per_page": "100"}, {"per_page": 100}, []),
        ({"text": "a", "per_page": "101"}, {"per_page": 10}, [("invalid_page_size", "page_size", 400)]),
        ({"text": "a", "per_page": "0", "default_per_page": 20}, {"per_page": 20}, [("invalid_page_size", "page_size", 400)]),
        ({"text": "a", "variant": "zh-tw"}, {"variant": "zh-tw"}, []),
        ({"text": "a", "variant": "klingon"}, {"variant": "zh-hans"}, []),
    ],
)
def test_values_and_problems(values, expected, problems):
    params = search_params(**values)

    assert {name: getattr(params, name) for name in expected} == expected
    assert codes(params) == problems


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nope", "'; --", "x" * 61])
def test_an_unknown_section_is_a_404_problem_and_searches_everywhere(slug):
    make_category("公司新闻", slug="company")

    params = search_params(text="a", category=slug)

    assert params.category is None
    assert codes(params) == [("unknown_category", "category", 404)]


@pytest.mark.django_db
def test_a_known_section():
    company = make_category("公司新闻", slug="company")

    assert search_params(text="a", category="company").category == company
