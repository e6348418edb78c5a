"""The search read path: candidates from the backend, BM25F ranking, a page of public articles.

`article_search` is the one entry both the search page and the API call: it reads the
request's values (params.py), ranks, paginates through Article.objects.published() and
marks the matches in the reader's script; the callers only render what it returns.

The backend returns the newest CANDIDATES matches (plus the newest TITLE_CANDIDATES whose
title matches, so a strong older match is not lost under many recent mentions); ranking
runs over those. Queries matching fewer documents are ranked in full. This bounds the
work per query (the latency goal is 50 ms at 100,000 articles) whatever the query.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Max, Min
from django.utils import timezone
from django.utils.safestring import SafeString

from xinwen.hanzi.render import NO_GLOSSARY, GlossaryState, prefetch_ahead, variant_html, variant_text
from xinwen.hanzi.variants import SIMPLIFIED
from xinwen.news.models import Article, Category, SiteSettings
from xinwen.news.selectors import category_descendant_ids
from xinwen.search import highlight
from xinwen.search.backends import get_backend
from xinwen.search.dictionary import current_segmenter
from xinwen.search.documents import LEAD_WORDS, html_text, key_bound
from xinwen.search.models import SearchDocument
from xinwen.search.params import Problem, SearchParams, search_params
from xinwen.search.query import Form, Query, Term, parse_query
from xinwen.search.ranking import Candidate, Stats, idf, rank
from xinwen.search.services import index_generation

__all__ = [
    "PER_PAGE",
    "CANDIDATES",
    "SearchResults",
    "ranked_articles",
    "search_page",
    "Hit",
    "SearchPage",
    "article_search",
]

PER_PAGE = 10
CANDIDATES = 200
TITLE_CANDIDATES = 100
GUESTS_SEARCHED = 2000  # a section's newest articles listed there by 同时发布到 that a filtered search also reads
DF_SAMPLE = 1000  # matches counted per term for its document frequency; beyond, extrapolated
RESULTS_CACHE_SECONDS = 120
STATS_CACHE_SECONDS = 300
_LOWEST = -(2**62)
_FIELDS = ("title", "extra", "meta", "body")  # lengths; ranking reads the body's lead


@dataclass
class SearchResults:
    query: Query
    article_ids: list[int]  # best first
    more: bool  # more matches than CANDIDATES: the ranking covered the newest ones


def _stats() -> Stats:
    def compute():
        row = SearchDocument.objects.aggregate(
            n=Count("pk"), first=Min("key"), last=Max("key"), **{name: Avg(f"{name}_len") for name in _FIELDS}
        )
        averages = {name: float(row[name] or 0.0) for name in _FIELDS}
        averages["lead"] = min(averages.pop("body"), LEAD_WORDS)
        return Stats(
            documents=row["n"],
            average_lengths=averages,
            first_key=row["first"] or 0,
            last_key=row["last"] or 0,
        )

    return cache.get_or_set(f"search:stats:{index_generation()}", compute, STATS_CACHE_SECONDS)


def _term_weights(query: Query, stats: Stats, now_key: int) -> dict[Term, float]:
    """idf per term; a query of one term needs none (it would scale every score alike)."""
    terms = {term for form in query.forms for term in form.include}
    if len(terms) < 2:
        return {}
    backend = get_backend()
    weights = {}
    frequencies = backend.document_frequencies(terms, documents=stats.documents)
    for term in terms:
        known = frequencies[term]
        if known is not None:
            weights[term] = idf(known, stats.documents)
            continue
        keys = backend.candidates((Form((term,)),), low=_LOWEST, high=now_key, limit=DF_SAMPLE)
        df = float(len(keys))
        if len(keys) == DF_SAMPLE:
            # The sample reaches back to some publish time: scale by the share of the time span it
            # covers (as if articles were spread evenly over time; close enough for a weight).
            span = max(min(now_key, stats.last_key) - stats.first_key, 1)
            covered = max(min(now_key, stats.last_key) - keys[-1], 1)
            df = DF_SAMPLE * span / covered
        weights[term] = idf(df, stats.documents)
    return weights


def _bounds(date_from: date | None, date_to: date | None, now: datetime) -> tuple[int, int]:
    zone = timezone.get_current_timezone()
    low = key_bound(datetime.combine(date_from, time.min, tzinfo=zone), upper=False) if date_from else _LOWEST
    high = key_bound(now, upper=True)
    if date_to:
        high = min(high, key_bound(datetime.combine(date_to, time.max, tzinfo=zone), upper=True))
    # A start after now finds nothing; past the year 2242 its key would not fit a 64-bit integer.
    return min(low, high + 1), high


def _guest_keys(category_ids: list[int]) -> list[int] | None:
    """Index keys of the articles listed in these sections by 同时发布到 (not their own), when the site allows it."""
    if not SiteSettings.current().cross_listing:
        return None
    listed = Article.also_in.through.objects.filter(category_id__in=category_ids).values("article_id")
    keys = SearchDocument.objects.filter(article_id__in=listed).exclude(category_id__in=category_ids)
    return list(keys.order_by("-key").values_list("key", flat=True)[:GUESTS_SEARCHED])


def ranked_articles(
    query: Query, *, category: Category | None = None, date_from: date | None = None, date_to: date | None = None
) -> SearchResults:
    """Ids of the public articles matching `query`, best first (cached for a short while)."""
    if query.is_empty:
        return SearchResults(query, [], False)
    now = timezone.now()
    category_ids = category_descendant_ids(category) if category else None
    low, high = _bounds(date_from, date_to, now)
    guests = _guest_keys(category_ids) if category_ids else None
    # Keyed by the minute: a scheduled article shows up in search within a minute of its time.
    signature = repr((query.forms, category_ids, guests, low, date_to, now.replace(second=0, microsecond=0)))
    cache_key = f"search:results:{index_generation()}:{hashlib.sha1(signature.encode('utf-8', 'surrogatepass')).hexdigest()}"
    cached = cache.get(cache_key)
    if cached is not None:
        ids, more = cached
        return SearchResults(query, ids, more)

    backend = get_backend()

    def matching(limit: int, title_only: bool = False) -> list[int]:
        found = backend.candidates(query.forms, low=low, high=high, limit=limit, category_ids=category_ids, title_only=title_only)
        if guests:  # the section's own documents and those 同时发布到 it, newest first
            more = backend.candidates(query.forms, low=low, high=high, limit=limit, title_only=title_only, keys=guests)
            found = sorted({*found, *more}, reverse=True)[:limit]
        return found

    keys = matching(CANDIDATES + 1)
    more = len(keys) > CANDIDATES
    keys = keys[:CANDIDATES]
    if more:
        seen = set(keys)
        keys += [key for key in matching(TITLE_CANDIDATES, title_only=True) if key not in seen]
    texts = ("title", "extra", "meta", "lead")
    columns = ("article_id", "key", "title_len", "extra_len", "meta_len", "body_len", *texts)
    candidates = [
        Candidate(
            article_id=row[0],
            key=row[1],
            lengths={"title": row[2], "extra": row[3], "meta": row[4], "lead": min(row[5], LEAD_WORDS)},
            fields=dict(zip(texts, row[6:])),
        )
        for row in SearchDocument.objects.filter(key__in=keys).values_list(*columns)
    ]
    stats = _stats()
    ranking = rank(candidates, query.forms, _term_weights(query, stats, high), stats, now.timestamp())
    ids = [article_id for article_id, _score in ranking]
    cache.set(cache_key, (ids, more), RESULTS_CACHE_SECONDS)
    return SearchResults(query, ids, more)


def search_page(results: SearchResults, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of results as public Article objects (those no longer public are left out); past the end, the last."""
    page = Paginator(results.article_ids, per_page).get_page(number)
    ids = list(page.object_list)
    by_id = Article.objects.published().select_related("category").in_bulk(ids)
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


@dataclass(frozen=True)
class Hit:
    """One result as the reader sees it: the article, its title and best passage in their script, matches marked."""

    article: Article
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class SearchPage:
    """The answer to one search request: a page of hits and everything wrong with the request."""

    params: SearchParams  # the search that ran (each bad value replaced by its fallback)
    query: Query
    hits: list[Hit]
    total: int  # ranked matches (at most CANDIDATES + title matches; see `more`)
    more: bool
    page: Page  # numbers and neighbours; its object_list are the hits' articles
    problems: tuple[Problem, ...]
    searched: bool  # False for an empty query, and for a strict request with problems


def _hits(articles: list[Article], query: Query, variant: str, glossary: GlossaryState) -> list[Hit]:
    def shown(text: str, source: str | None) -> str:
        return variant_text(text, variant, source=source or None, glossary=glossary)

    to_reader = None if variant == SIMPLIFIED else (lambda text: shown(text, SIMPLIFIED))
    pattern = highlight.pattern_for(query.terms(), to_reader)
    # Titles, summaries and bodies as converted ahead when saved (hanzi.render), read at once:
    # a body's text is its converted HTML's, as the article page shows it, not converted again.
    prefetch_ahead(glossary, variant, texts=[(text, a.source_script) for a in articles for text in (a.title, a.summary)],
                   bodies=[(a.body, a.source_script) for a in articles])  # fmt: skip
    hits = []
    for article in articles:
        body = variant_html(article.body, variant, source=article.source_script or None, glossary=glossary, ahead=True)
        texts = [text for text in (shown(article.summary, article.source_script), html_text(body)) if text]
        # The body's passage unless only the summary has a match.
        best = max(reversed(texts), key=lambda text: bool(highlight.find(text, pattern))) if texts else ""
        title = highlight.highlight(shown(article.title, article.source_script), pattern)
        hits.append(Hit(article, title, highlight.snippet(best, pattern) if best else SafeString("")))
    return hits


def article_search(
    *,
    text: str | None,
    category: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    page: str | int | None = None,
    per_page: str | int | None = None,
    variant: str | None = None,
    default_per_page: int = PER_PAGE,
    glossary: GlossaryState = NO_GLOSSARY,
    strict: bool = False,
) -> SearchPage:
    """Search the public articles as a reader asked (raw values from a URL, or typed ones).

    Forgiving by default: each bad value is reported in `problems` and replaced by its
    fallback (params.search_params), a page past the end shows the last page. `strict`
    (the API, which refuses such requests) skips the search when the values have problems.
    """
    params = search_params(
        text=text, category=category, date_from=date_from, date_to=date_to, page=page,
        per_page=per_page, default_per_page=default_per_page, variant=variant,
    )  # fmt: skip
    problems = list(params.problems)
    query = parse_query(params.text, current_segmenter())
    searched = bool(params.text) and not (strict and problems)
    if searched:
        found = ranked_articles(query, category=params.category, date_from=params.date_from, date_to=params.date_to)
    else:
        found = SearchResults(query, [], False)
    current = search_page(found, params.page, params.per_page)
    if params.page > current.paginator.num_pages:
        pages = current.paginator.num_pages
        problems.append(Problem("page_out_of_range", "page", f"第 {params.page} 页不存在：共 {pages} 页。", status=404))
    hits = _hits(current.object_list, query, params.variant, glossary)
    return SearchPage(params, query, hits, current.paginator.count, found.more, current, tuple(problems), searched)
