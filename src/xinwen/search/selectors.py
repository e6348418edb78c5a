"""The search read path: candidates from the backend, BM25F ranking, a page of public articles.

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

from xinwen.news.models import Article, Category
from xinwen.news.selectors import category_descendant_ids
from xinwen.search.backends import get_backend
from xinwen.search.documents import LEAD_WORDS, key_bound
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Query, Term
from xinwen.search.ranking import Candidate, Stats, idf, rank
from xinwen.search.services import index_generation

__all__ = ["PER_PAGE", "CANDIDATES", "SearchResults", "ranked_articles", "search_page"]

PER_PAGE = 10
CANDIDATES = 200
TITLE_CANDIDATES = 100
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
    for term in terms:
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


def ranked_articles(
    query: Query, *, category: Category | None = None, date_from: date | None = None, date_to: date | None = None
) -> SearchResults:
    """Ids of the public articles matching `query`, best first (cached for a short while)."""
    if query.is_empty:
        return SearchResults(query, [], False)
    now = timezone.now()
    category_ids = category_descendant_ids(category) if category else None
    low, high = _bounds(date_from, date_to, now)
    # Keyed by the minute: a scheduled article shows up in search within a minute of its time.
    signature = repr((query.forms, category_ids, low, date_to, now.replace(second=0, microsecond=0)))
    cache_key = f"search:results:{index_generation()}:{hashlib.sha1(signature.encode('utf-8', 'surrogatepass')).hexdigest()}"
    cached = cache.get(cache_key)
    if cached is not None:
        ids, more = cached
        return SearchResults(query, ids, more)

    backend = get_backend()
    keys = backend.candidates(query.forms, low=low, high=high, limit=CANDIDATES + 1, category_ids=category_ids)
    more = len(keys) > CANDIDATES
    keys = keys[:CANDIDATES]
    if more:
        seen = set(keys)
        titles = backend.candidates(
            query.forms, low=low, high=high, limit=TITLE_CANDIDATES, category_ids=category_ids, title_only=True
        )
        keys += [key for key in titles if key not in seen]
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


def search_page(results: SearchResults, number: int) -> Page:
    """One page of results as public Article objects (those no longer public are left out)."""
    paginator = Paginator(results.article_ids, PER_PAGE)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    articles = Article.objects.published().filter(pk__in=ids).select_related("category")
    by_id = {article.pk: article for article in articles}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page
