"""The search page: /search/?q=…&category=…&from=…&to=…&page=… in every script variant.

Results are noindex and never cached by shared caches; the query never reaches the
<title>; every search counts against the client's rate limit. Bad input of any kind
gives a page (possibly empty) with a message, never an error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xinwen.hanzi.context_processors import alternate_paths
from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS
from xinwen.news.selectors import category_tree
from xinwen.search.dictionary import current_segmenter
from xinwen.search.forms import SearchForm
from xinwen.search.query import parse_query
from xinwen.search.ratelimit import rate_limit
from xinwen.search import selectors
from xinwen.search.selectors import ranked_articles, search_page


def _page_number(raw: str) -> int:
    # Forgiving, unlike list pages: a bad page number from a hand-edited URL shows page 1.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) > 0 else 1


def _sections() -> list[dict]:
    """Every category, depth-first, for the section filter."""
    out = []

    def walk(nodes, depth):
        for node in nodes:
            out.append({"slug": node.slug, "name": node.name, "indent": "\u3000" * depth})
            walk(node.child_list, depth + 1)

    walk(category_tree(), 0)
    return out


def _alternates(request: HttpRequest) -> list[dict]:
    """The script switcher keeps the search (the page has no hreflang alternates: it is noindex)."""
    current = getattr(request, "variant", DEFAULT_VARIANT)
    paths = alternate_paths(request.path_info, request.GET.urlencode())
    return [{"variant": VARIANTS[code], "path": path, "current": code == current.code} for code, path in paths.items()]


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    filters = form.filters()
    raw = form.cleaned_data.get("q") or ""
    context = {
        "form": form,
        "raw_query": raw[:200],
        "filters": filters,
        "problems": form.problems(),
        "sections": _sections(),
        "selected_section": filters["category"].slug if filters["category"] else "",
        "alternates": _alternates(request),
        "candidate_limit": selectors.CANDIDATES,
        "searched": False,
    }
    if raw.strip():
        verdict = rate_limit(request, "search")
        if not verdict.allowed:
            response = render(request, "search/results.html", {**context, "rate_limited": True}, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "no-store"
            return response
        query = parse_query(raw, current_segmenter())
        found = ranked_articles(query, **filters)
        context.update(
            searched=True,
            query=query,
            results=found,
            page=search_page(found, _page_number(request.GET.get("page", "1"))),
        )
        if context["page"].paginator.num_pages > 1:
            page = context["page"]
            context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            context["page_query"] = _query_without_page(request)
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, max-age=60"
    return response


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
