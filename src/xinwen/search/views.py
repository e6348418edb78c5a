"""The search page: /search/?q=…&category=…&from=…&to=…&page=…&page_size=… in every script variant.

A thin adapter over selectors.article_search (the API's search is the other one): it reads
the URL, calls the search and renders. Results are noindex and never cached by shared
caches; the query never reaches the <title>; every search counts against the client's
rate limit. Bad input of any kind gives a page (possibly empty) with a notice per mistake
(each marked with the problem's code), never an error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xinwen.hanzi.context_processors import alternate_paths
from xinwen.hanzi.render import NO_GLOSSARY
from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS
from xinwen.news.selectors import category_tree
from xinwen.search import selectors
from xinwen.search.params import asks_for_search
from xinwen.search.ratelimit import Verdict, rate_limited
from xinwen.search.selectors import article_search

TEMPLATE = "search/results.html"
SHOWN_QUERY = 200  # characters of the query put back into the search box


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


# Problems said elsewhere on the page than in the list of notices: the tips, the "shortened" notice.
OWN_PLACE = {"empty_query", "query_too_long"}


def _form_context(request: HttpRequest, result: selectors.SearchPage | None = None) -> dict:
    """The search form as the reader filled it in, and the page around it."""
    params = result.params if result else None
    if result and any(problem.code == "invalid_date_range" for problem in result.problems):
        # Both dates are valid, only their order is not: keep them in the form to be corrected.
        dates = {"date_from": request.GET.get("from"), "date_to": request.GET.get("to")}
    else:
        dates = {name: value.isoformat() for name in ("date_from", "date_to") if (value := getattr(params, name, None))}
    return {
        # Control characters (a NUL from a hand-made URL) cannot stand in an HTML attribute.
        "raw_query": "".join(ch for ch in request.GET.get("q", "").strip()[:SHOWN_QUERY] if ch >= " " and ch != "\x7f"),
        "filters": dates,
        "sections": _sections(),
        "selected_section": params.category.slug if params and params.category else "",
        "alternates": _alternates(request),
    }


def _refused(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    response = render(request, TEMPLATE, {**_form_context(request), "rate_limited": True}, status=429)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@rate_limited("search", refuse=_refused, counts=asks_for_search)
def results(request: HttpRequest) -> HttpResponse:
    get = request.GET.get
    result = article_search(
        text=get("q"), category=get("category"), date_from=get("from"), date_to=get("to"),
        page=get("page"), per_page=get("page_size"), variant=getattr(request, "variant", DEFAULT_VARIANT).code,
        glossary=getattr(request, "glossary", NO_GLOSSARY),
    )  # fmt: skip
    context = {
        **_form_context(request, result),
        "problems": {problem.code for problem in result.problems},
        "notices": list(dict.fromkeys(problem.code for problem in result.problems if problem.code not in OWN_PLACE)),
        "per_page": result.params.per_page,
        "candidate_limit": selectors.CANDIDATES,
        "searched": result.searched,
        "query": result.query,
        "results": result,
        "hits": result.hits,
        "page": result.page,
    }
    if result.page.paginator.num_pages > 1:
        page = result.page
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        context["page_query"] = _query_without_page(request)
    response = render(request, TEMPLATE, context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, max-age=60"
    return response


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
