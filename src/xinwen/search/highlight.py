"""Marking matched words in text as the reader sees it, and picking the snippet that shows most of them.

Pure functions. The text is already in the reader's script; matching happens on its
per-character fold (hanzi.segment.fold), which keeps offsets, so a match is marked
exactly where it is displayed. Each term is looked for as the index holds it (Simplified)
and as the reader's script writes it (软件 is 軟體 on zh-TW pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xinwen.hanzi.segment import fold, text_pieces
from xinwen.search.query import Term

__all__ = ["pattern_for", "find", "mark", "snippet_window", "highlight", "snippet"]

_ASCII_WORD = re.compile(r"[a-z0-9]")
# Between the pieces of a phrase: what the index ignores (punctuation, spaces), a little of it.
_GAP = r"[\W_]{0,3}?"
SNIPPET_WIDTH = 120
_SENTENCE_END = "。！？；!?;\n"


def _piece_pattern(sequence: list[str]) -> str:
    pattern = _GAP.join(re.escape(piece) for piece in sequence)
    if _ASCII_WORD.match(sequence[0]):
        pattern = r"(?<![a-z0-9])" + pattern
    if _ASCII_WORD.match(sequence[-1][-1]):
        pattern += r"(?![a-z0-9])"
    return pattern


def pattern_for(terms: Iterable[Term], to_reader: Callable[[str], str] | None = None) -> re.Pattern | None:
    """One regex for all terms over folded text; `to_reader` gives a term's form in the reader's script."""
    sequences: set[tuple[str, ...]] = set()
    for term in terms:
        sequences.add(tuple(term.pieces))
        if to_reader is not None:
            shown = text_pieces(fold(to_reader(term.text)))
            if shown:
                sequences.add(tuple(shown))
    if not sequences:
        return None
    ordered = sorted(sequences, key=lambda s: (-sum(map(len, s)), s))  # longest first
    return re.compile("|".join(_piece_pattern(list(s)) for s in ordered))


def find(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """(start, end) of every match in `text` (as displayed), found in its fold."""
    if pattern is None or not text:
        return []
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(fold(text)):
        if match.end() == match.start():
            continue
        if spans and match.start() <= spans[-1][1]:  # adjacent words read as one mark: 手指口述
            spans[-1] = (spans[-1][0], max(spans[-1][1], match.end()))
        else:
            spans.append((match.start(), match.end()))
    return spans


def mark(text: str, spans: list[tuple[int, int]], *, start: int = 0, end: int | None = None) -> SafeString:
    """text[start:end], escaped, with <mark> around the spans."""
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end or span_start < position:
            continue
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))


def snippet_window(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH) -> tuple[int, int]:
    """The window of `width` characters showing the most different matches (then the most matches)."""
    if len(text) <= width or not spans:
        return 0, min(len(text), width)
    folded = fold(text)
    best, best_score = 0, (-1, -1)
    for span_start, _ in spans:
        # Start a little before the match, at the sentence start when it is close.
        lead = max(span_start - 20, 0)
        boundary = max(folded.rfind(char, max(span_start - 40, 0), span_start) for char in _SENTENCE_END)
        begin = boundary + 1 if boundary >= 0 else lead
        begin = min(begin, max(len(text) - width, 0))
        while begin < span_start and text[begin].isspace():
            begin += 1
        inside = [folded[s:e] for s, e in spans if s >= begin and e <= begin + width]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best, best_score = begin, score
    return best, best + width


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """All of `text` with every match marked (titles)."""
    return mark(text, find(text, pattern))


def snippet(text: str, pattern: re.Pattern | None, width: int = SNIPPET_WIDTH) -> SafeString:
    """The best part of `text` with matches marked, "…" where it was cut."""
    spans = find(text, pattern)
    start, end = snippet_window(text, spans, width)
    marked = mark(text, spans, start=start, end=end)
    return mark_safe(("…" if start > 0 else "") + marked + ("…" if end < len(text) else ""))
