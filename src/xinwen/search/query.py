"""What a reader typed, as terms both backends can match: words, phrases, exclusions.

Pure functions over the query string and a `Segmenter`. Nothing the reader types is
ever passed to a database's query syntax: the backends quote the terms built here,
which contain only letters and digits, so " * ( ) NEAR AND OR - are just text.

- Words separated by spaces must all match, anywhere (AND).
- Without spaces, jieba splits the text into words ("集团安全生产" → 集团, 安全生产), each
  of which must match as a word. Characters jieba leaves on their own are usually
  part of a name or a word it does not know (周|建国, 郑|亚|楠): they are kept together
  with their neighbours and matched as a phrase, character by character.
- "Quoted text" (also “…” and 「…」) matches exactly those characters in that order.
- -word or -"phrase" excludes articles that contain it.
- A single character finds every article that contains it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from xinwen.hanzi.segment import Segmenter, Token, pieces, query_forms

__all__ = ["Term", "Form", "Query", "parse_query", "MAX_QUERY_LENGTH", "MAX_TERMS"]

MAX_QUERY_LENGTH = 100  # characters; longer queries are cut (and the page says so)
MAX_TERMS = 8  # per reading of the query; more only make it slower, not better

# Function words dropped from a query that has other terms (never when they are all it has).
STOPWORDS = frozenset("的 了 和 与 及 或 在 是 之 于 对 把 被 等 也 都 而 并 就 其 将 从 向 以 为".split()) | {
    "and", "or", "not", "near", "the", "of", "a", "an",
}  # fmt: skip

_CHUNK = re.compile(
    r"""(?P<neg>-?)(?:"(?P<q1>[^"]*)"?|“(?P<q2>[^”]*)”?|「(?P<q3>[^」]*)」?|『(?P<q4>[^』]*)』?|(?P<plain>[^\s"“「『]+))"""
)


@dataclass(frozen=True)
class Term:
    """A word matched whole (in the word index) or a phrase matched piece by piece (in the character index)."""

    pieces: tuple[str, ...]
    is_word: bool = False
    # A word from the site's dictionary also matches as a phrase: articles indexed before
    # the term was added hold it as smaller words, and must be found all the same.
    site_term: bool = False

    @property
    def text(self) -> str:
        """The term as a substring of folded text without separators ("周建国", "zlrv")."""
        return "".join(self.pieces)

    @property
    def stored(self) -> str:
        """The term as a whole word in the stored form ("集 团")."""
        return " ".join(self.pieces)


@dataclass(frozen=True)
class Form:
    """One reading of the query: every `include` term must match, no `exclude` term may."""

    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Query:
    text: str  # what the reader typed, cleaned and cut to MAX_QUERY_LENGTH
    forms: tuple[Form, ...]
    shortened: bool = False  # the query was cut (too long or too many terms)

    @property
    def is_empty(self) -> bool:
        return not self.forms

    def terms(self) -> list[Term]:
        """Every term to look for, of every reading (for highlighting)."""
        seen: dict[Term, None] = {}
        for form in self.forms:
            seen.update(dict.fromkeys(form.include))
        return list(seen)


def _clean(raw: str) -> str:
    # Control, format and surrogate characters (and U+FFFD from undecodable bytes) are never text.
    return "".join(" " if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} or c == "\ufffd" else c for c in raw)


def _chunks(text: str) -> list[tuple[str, bool, bool]]:
    """(text, quoted, negated) for each space-separated or quoted part."""
    out = []
    for match in _CHUNK.finditer(text):
        quoted = next((match.group(g) for g in ("q1", "q2", "q3", "q4") if match.group(g) is not None), None)
        body = quoted if quoted is not None else match.group("plain")
        if body and body.strip():
            out.append((body, quoted is not None, bool(match.group("neg"))))
    return out


def _phrase(tokens: list[Token]) -> Term:
    return Term(tuple(piece for token in tokens for piece in pieces(token.text)))


def _terms(text: str, tokens: list[Token], segmenter: Segmenter) -> list[Term]:
    """Group the words of one unquoted part into terms (see the module docstring)."""
    # Letters and digits joined by punctuation are one thing: 5.1, ZL-RV, 128.6.
    groups: list[list[Token]] = []
    for token in tokens:
        previous = groups[-1][-1] if groups else None
        gap = text[previous.end : token.start] if previous else ""
        if previous and gap and not any(c.isspace() for c in gap) and not previous.is_cjk and not token.is_cjk:
            groups[-1].append(token)
        else:
            groups.append([token])

    def single(group: list[Token]) -> bool:
        return len(group) == 1 and len(group[0].text) == 1 and group[0].is_cjk

    # Characters jieba leaves alone join their neighbours: a run of them is one unknown word
    # (郑亚楠); a lone one joins a number before it (2025年), else the word after it (周建国),
    # else the word before it (滨江市). A lone function word (的) stays alone, to be dropped.
    units: list[list[Token]] = []
    pending: list[Token] = []
    i = 0
    while i < len(groups):
        if not single(groups[i]):
            units.append(pending + groups[i])
            pending = []
            i += 1
            continue
        run = groups[i]
        while i + 1 < len(groups) and single(groups[i + 1]) and groups[i + 1][0].start == run[-1].end:
            i += 1
            run = run + groups[i]
        before = units[-1] if units and units[-1][-1].end == run[0].start else None
        if before and len(before) == 1 and before[0].text in STOPWORDS:
            before = None
        after = i + 1 < len(groups) and groups[i + 1][0].start == run[-1].end
        if len(run) > 1 or run[0].text in STOPWORDS:
            units.append(run)
        elif before and before[-1].text.isdigit():
            before.extend(run)
        elif after:
            pending = run
        elif before:
            before.extend(run)
        else:
            units.append(run)
        i += 1
    return [
        Term(tuple(pieces(unit[0].text)), is_word=True, site_term=segmenter.is_site_term(unit[0].text))
        if len(unit) == 1 and not single(unit)
        else _phrase(unit)
        for unit in units
    ]


def _is_stop(term: Term) -> bool:
    return term.text in STOPWORDS


def _form(parts: list[tuple[str, bool, bool]], segmenter: Segmenter) -> tuple[Form | None, bool]:
    include: list[Term] = []
    exclude: list[Term] = []
    for text, quoted, negated in parts:
        tokens = segmenter.tokens(text)
        if not tokens:
            continue
        if quoted or negated:
            (exclude if negated else include).append(_phrase(tokens))
        else:
            include.extend(_terms(text, tokens, segmenter))
    if any(not _is_stop(term) for term in include):
        include = [term for term in include if not _is_stop(term)]
    include = list(dict.fromkeys(include))
    exclude = [term for term in dict.fromkeys(exclude) if term not in include]
    shortened = len(include) > MAX_TERMS or len(exclude) > MAX_TERMS
    if not include:
        return None, shortened
    return Form(tuple(include[:MAX_TERMS]), tuple(exclude[:MAX_TERMS])), shortened


def parse_query(raw: str, segmenter: Segmenter) -> Query:
    """The terms of a query string; an empty Query when nothing searchable is left."""
    cleaned = " ".join(_clean(raw or "").split())
    shortened = len(cleaned) > MAX_QUERY_LENGTH
    text = cleaned[:MAX_QUERY_LENGTH]
    parts = _chunks(text)
    # Each part has one or two Simplified readings; reading i of the query takes each
    # part's reading i where it has one, and its first reading otherwise.
    readings = [[(form, quoted, negated) for form in query_forms(body)] for body, quoted, negated in parts]
    count = max((len(r) for r in readings), default=0)
    forms: list[Form] = []
    for i in range(count):
        form, cut = _form([r[i] if i < len(r) else r[0] for r in readings], segmenter)
        shortened = shortened or cut
        if form is not None and form not in forms:
            forms.append(form)
    return Query(text=text, forms=tuple(forms), shortened=shortened)
