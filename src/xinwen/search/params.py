"""What a search asks for, read from the site's search page or from the API, by one set of rules.

Every value may arrive as the string a URL carried (the page) or already typed (the API,
whose OpenAPI description states the same limits from the constants below). Each bad
value becomes a `Problem` with the fallback the forgiving page uses, so both entries
see the same mistake the same way: the page shows a notice and searches with the
fallback, the API refuses the request with the problem's status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS
from xinwen.news.models import Category

__all__ = [
    "MAX_INPUT_LENGTH",
    "MAX_PER_PAGE",
    "MAX_SLUG_LENGTH",
    "SLUG_PATTERN",
    "Problem",
    "SearchParams",
    "search_params",
    "asks_for_search",
]

MAX_INPUT_LENGTH = 1000  # characters accepted at all; parse_query uses the first MAX_QUERY_LENGTH of them
MAX_PER_PAGE = 100
MAX_SLUG_LENGTH = 60
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a search request: what, where, and the answer a strict client gets."""

    code: str  # machine-readable: unknown_category, invalid_date_range, page_out_of_range, ...
    field: str  # the parameter at fault, as the API names it: q, category, date_from, date_to, page, page_size
    message: str  # Simplified Chinese, says how to fix it (the page shows its own notice in the reader's script)
    status: int = 400  # 404 where the thing asked for does not exist


@dataclass(frozen=True)
class SearchParams:
    """The search to run: every value valid (a bad one replaced by its fallback), and what was wrong."""

    text: str  # what the reader typed, stripped, at most MAX_INPUT_LENGTH characters
    category: Category | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 10
    variant: str = DEFAULT_VARIANT.code
    problems: tuple[Problem, ...] = field(default=())


def _date(value, name: str, problems: list[Problem]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        if _ISO_DATE.fullmatch(str(value)):
            return date.fromisoformat(str(value))
    except ValueError:
        pass
    problems.append(Problem("invalid_date", name, f"日期参数 {name} 应为 YYYY-MM-DD 格式的有效日期，例如 2024-04-24。"))
    return None


def _number(value, name: str, default: int, high: int | None, problems: list[Problem], message: str) -> int:
    if value is None or value == "":
        return default
    text = str(value).strip()
    # More digits than any page count has is still a number: the page past the end (int() of
    # thousands of digits would be slow, and refused).
    number = (int(text) if len(text) <= 18 else 10**18) if text.isascii() and text.isdigit() else 0
    if number < 1 or (high is not None and number > high):
        problems.append(Problem(f"invalid_{name}", name, message))
        return default
    return number


def search_params(
    *,
    text: str | None,
    category: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    page: str | int | None = None,
    per_page: str | int | None = None,
    default_per_page: int = 10,
    variant: str | None = None,
) -> SearchParams:
    """The valid search for these raw values, with a Problem for each value that was not.

    Fallbacks: an over-long query is cut, an unknown section searches all sections, an
    unreadable date and a range that ends before it starts are left out (a reversed range
    is most often a typo in one of the dates: searching the swapped range would quietly
    answer a different question), a bad page number is page 1, a bad page size the default.
    """
    problems: list[Problem] = []
    if not text:  # nothing typed (the page then shows its tips); blank text is a search for nothing
        problems.append(Problem("empty_query", "q", "搜索词 q 不能为空。"))
    text = (text or "").strip()
    if len(text) > MAX_INPUT_LENGTH:
        problems.append(Problem("query_too_long", "q", f"搜索词 q 最长 {MAX_INPUT_LENGTH} 个字符：请缩短后再搜索。"))
        text = text[:MAX_INPUT_LENGTH]

    node = None
    if category:
        valid = len(category) <= MAX_SLUG_LENGTH and re.match(SLUG_PATTERN, category)
        node = Category.objects.filter(slug=category).first() if valid else None
        if node is None:
            problems.append(
                Problem(
                    "unknown_category",
                    "category",
                    f"参数 category 指定的栏目「{category[:MAX_SLUG_LENGTH]}」不存在：可用的栏目见 categories 接口。",
                    status=404,
                )
            )

    start = _date(date_from, "date_from", problems)
    end = _date(date_to, "date_to", problems)
    if start and end and start > end:
        problems.append(
            Problem(
                "invalid_date_range",
                "date_from",
                f"开始日期 date_from（{start}）晚于结束日期 date_to（{end}）：请交换两个日期。",
            )
        )
        start = end = None

    number = _number(page, "page", 1, None, problems, "页码参数 page 应为大于等于 1 的整数。")
    size = _number(
        per_page, "page_size", default_per_page, MAX_PER_PAGE, problems,
        f"每页条数 page_size 应为 1 到 {MAX_PER_PAGE} 之间的整数。",
    )  # fmt: skip
    code = variant if variant in VARIANTS else DEFAULT_VARIANT.code
    return SearchParams(text, node, start, end, number, size, code, tuple(problems))


def asks_for_search(request) -> bool:
    """Whether a request will run a search (and so counts against the rate limit): it has text to look for."""
    return bool(request.GET.get("q", "").strip())
