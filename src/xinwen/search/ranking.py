"""Relevance: BM25 per field, the title weighted highest, with a mild preference for recent news.

The same Python code ranks for both database backends, so SQLite and PostgreSQL order
results identically; the databases only find the candidates. Pure functions.

Occurrences are counted in the stored form of each field ("集 团|召 开"; of the body, its
opening words): a CJK word wherever its characters stand together inside a word (减速 in
减速器, not 集|团 across two words), a Latin word or a phrase where it stands whole. BM25
saturates each field's count and normalises it by the field's length; the fields' scores
add up with their weights, so a title match outweighs any number of mentions in the body.
`idf` weighs rare terms above common ones; the recency factor only reorders results of
similar relevance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from xinwen.hanzi.segment import is_cjk
from xinwen.search.documents import KEY_SHIFT
from xinwen.search.query import Form, Term

__all__ = ["FIELDS", "Stats", "Candidate", "idf", "recency", "occurrences", "score", "rank"]

# (stored field, weight, length normalisation b)
FIELDS = (("title", 3.0, 0.5), ("extra", 1.5, 0.6), ("meta", 1.2, 0.3), ("lead", 1.0, 0.75))
K1 = 1.2
# A new article scores up to 25% more than an old one; a year halves the advantage.
RECENCY_BOOST = 0.25
RECENCY_HALF_LIFE_DAYS = 365.0


@dataclass(frozen=True)
class Stats:
    documents: int  # searchable documents
    average_lengths: dict[str, float]  # per field, in words
    first_key: int = 0  # the oldest and newest document keys
    last_key: int = 0


@dataclass
class Candidate:
    article_id: int
    key: int
    fields: dict[str, str]  # stored text per field name (title, extra, meta, lead)
    lengths: dict[str, int]


def idf(document_frequency: float, documents: int) -> float:
    """BM25's inverse document frequency (the +1 form, never negative)."""
    df = min(max(document_frequency, 0.0), float(documents))
    return math.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def recency(key: int, now_epoch: float) -> float:
    age_days = max(now_epoch - (key >> KEY_SHIFT), 0) / 86400.0
    return 1.0 + RECENCY_BOOST * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)


@lru_cache(maxsize=1024)
def _pattern(term: Term) -> tuple[re.Pattern, str] | None:
    """(pattern, separators that may precede a match), or None when str.count is exact.

    Patterns start with the term itself, so the regex engine scans for it quickly; what
    precedes a match is checked afterwards (see _count). Pieces are separated by " "
    inside a word and "|" between words.
    """
    cjk = all(is_cjk(piece) for piece in term.pieces)
    if cjk and (term.is_word and not term.site_term or len(term.pieces) == 1):
        return None  # characters of one word, or one character: every occurrence counts
    if term.is_word and not term.site_term:
        return re.compile(re.escape(term.stored) + r"(?![^|])"), "|"  # a whole Latin word: "rv" is not "rv80e"
    # A phrase (also a site term, which older entries hold as smaller words).
    pattern = "[ |]".join(re.escape(piece) for piece in term.pieces)
    if not is_cjk(term.pieces[-1][-1]):
        pattern += r"(?![^ |])"
    return re.compile(pattern), "" if is_cjk(term.pieces[0][0]) else " |"


def occurrences(term: Term, stored: str) -> int:
    """How often `term` occurs in one stored field; each occurrence once."""
    if not stored:
        return 0
    rule = _pattern(term)
    if rule is None:
        return stored.count(term.stored)
    pattern, before = rule
    if not before:
        return len(pattern.findall(stored))
    return sum(1 for m in pattern.finditer(stored) if m.start() == 0 or stored[m.start() - 1] in before)


def score(candidate: Candidate, form: Form, weights: dict, stats: Stats, now_epoch: float) -> float:
    """BM25 of one reading of the query for one candidate, fields weighted, times the recency factor."""
    total = 0.0
    fields, lengths = candidate.fields, candidate.lengths
    for term in form.include:
        term_score = 0.0
        for name, weight, b in FIELDS:
            hits = occurrences(term, fields.get(name) or "")
            if not hits:
                continue
            average = stats.average_lengths.get(name) or 1.0
            tf = hits / (1.0 - b + b * lengths.get(name, 0) / average)
            term_score += weight * tf * (K1 + 1.0) / (tf + K1)
        total += weights.get(term, 1.0) * term_score
    return total * recency(candidate.key, now_epoch)


def rank(candidates: list[Candidate], forms: tuple[Form, ...], weights: dict, stats: Stats, now_epoch: float) -> list[tuple[int, float]]:
    """(article id, score), best first; ties go to the newer article. The best reading counts."""
    scored = [
        (candidate.article_id, max(score(candidate, form, weights, stats, now_epoch) for form in forms), candidate.key)
        for candidate in candidates
    ]
    scored.sort(key=lambda item: (-item[1], -item[2]))
    return [(article_id, value) for article_id, value, _key in scored]
