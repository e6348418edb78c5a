"""Text folded for search: one Simplified form of every script, cut into words by jieba.

Search compares text in one form, whatever the script it was written or typed in:
`normalise` folds full-width letters and digits (NFKC) and converts to Simplified with
the same OpenCC conversion the Simplified pages use, so 網站 and 网站 meet. A query can
mean more than one Simplified text (資訊 is 信息 in mainland vocabulary but 资讯 letter
for letter), so `query_forms` gives every reading. `fold` is the per-character version
for marking matches in displayed text: it keeps offsets, so a match found in the folded
text is marked at the same place in what the reader sees.

`Segmenter` cuts normalised text into words with jieba's dictionary (HMM off, so the same
text always cuts the same way at index and query time) plus a site's own terms.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple


from xinwen.hanzi.convert import convert, opencc_converter
from xinwen.hanzi.variants import SIMPLIFIED

__all__ = [
    "normalise", "query_forms", "fold", "fold_chars", "bmp_fold_table", "is_cjk", "pieces", "text_pieces", "Token", "Segmenter"
]

# Characters that are words of their own in CJK text: Han (BMP and supplementary planes),
# kana, Hangul and Bopomofo. Everything else that is a letter or digit runs together.
_CJK = re.compile(
    r"[\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
# Letters and digits (Unicode L* and N*, not "_"): exactly what SQLite's unicode61
# tokenizer keeps, so Python and both databases agree on what a token is.
_WORD = re.compile(r"[^\W_]+")
_CJK_WORD = re.compile(f"(?:{_CJK.pattern})+")
_PIECE = re.compile(_CJK.pattern + r"|[^\W_]+?(?=" + _CJK.pattern + r"|$)")


# Full-width ASCII (ＧＤＰ，５％) is most of what NFKC changes in Chinese text; translating it
# first lets the fast is_normalized check skip NFKC for almost every article.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _nfkc(text: str) -> str:
    text = text.translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise(text: str, *, source: str | None = None) -> str:
    """`text` as search compares it: NFKC-folded and in Simplified script (source detected when not given)."""
    if not text:
        return ""
    return convert(_nfkc(text), SIMPLIFIED, source=source)


def query_forms(text: str) -> list[str]:
    """Every Simplified reading of what a reader typed, the page conversion's first.

    A Traditional query is converted by phrase (軟體 → 软件, as Simplified pages show it)
    and letter for letter (資訊 → 资讯, as a Simplified author may have written it).
    """
    first = normalise(text)
    letters = opencc_converter("t2s").convert(_nfkc(text)) if text else ""
    return [first] if letters in ("", first) else [first, letters]


def _fold_width_case(char: str) -> str:
    # Each step only when it maps one character to one (NFKC "㈱" and casefold "ß" do not).
    folded = unicodedata.normalize("NFKC", char)
    folded = folded if len(folded) == 1 else char
    lower = folded.casefold()
    return lower if len(lower) == 1 else folded


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    folded = _fold_width_case(char)
    simple = opencc_converter("t2s").convert(folded)
    return simple if len(simple) == 1 else folded


def fold(text: str) -> str:
    """Per-character folding (width, case, Traditional → Simplified forms) that keeps every offset."""
    return "".join(map(_fold_char, text))


def fold_chars(chars: Iterable[str]) -> list[str]:
    """`fold` of each character (none a lone surrogate), with one OpenCC call for them all.

    For tables of many characters (the guard's matcher folds the whole BMP once per
    process): a call per character was three quarters of that table's cost.
    """
    chars = list(chars)
    folded = [_fold_width_case(char) for char in chars]
    # No dictionary phrase holds a line break, so each character between them converts as it would alone.
    batch = [i for i, char in enumerate(folded) if char != "\n"]
    simple = opencc_converter("t2s").convert("\n".join(folded[i] for i in batch)).split("\n")
    if len(simple) != len(batch):  # a conversion that added or removed a line: one character at a time
        return [_fold_char(char) for char in chars]
    for i, char in zip(batch, simple):
        if len(char) == 1:
            folded[i] = char
    return folded


@lru_cache(maxsize=1)
def bmp_fold_table() -> tuple[str, ...]:
    """`fold` of every character of the Basic Multilingual Plane by code point; lone surrogates stay as they are.

    For str.translate tables (the guard's matcher and typo list), built once per process.
    """
    codes = [code for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    folded = dict(zip(codes, fold_chars(map(chr, codes))))
    return tuple(folded.get(code, chr(code)) for code in range(0x10000))


def is_cjk(char: str) -> bool:
    return bool(_CJK.fullmatch(char))


@lru_cache(maxsize=200_000)
def pieces(token: str) -> tuple[str, ...]:
    """A token as the character index sees it: each CJK character alone, other letters and digits in runs.

    "集团" → ("集", "团"), "a股" → ("a", "股"), "5g" → ("5g",).
    """
    if _CJK_WORD.fullmatch(token):
        return tuple(token)
    return tuple(_PIECE.findall(token))


def text_pieces(text: str) -> list[str]:
    """The pieces of every letter-and-digit run of normalised text, case-folded, without a dictionary."""
    return [piece for run in _WORD.findall(text) for piece in pieces(run.casefold())]


class Token(NamedTuple):
    """A word of normalised text: case-folded letters and digits, with its offsets in that text."""

    text: str
    start: int
    end: int

    @property
    def is_cjk(self) -> bool:
        return bool(_CJK.search(self.text))


class Segmenter:
    """jieba's dictionary plus a site's own terms; cuts normalised text into `Token`s.

    Two engines cut exactly alike (`hanzi/tests/test_jieba_table.py`): the mapped table of
    `hanzi/jieba_table.py`, shared by every process, for queries and the articles of one
    save; and rjieba (jieba-rs: about 50 MB of dictionary in each process that builds it,
    and ten times faster), built by `load_rjieba()` for long runs of indexing (a rebuild, an
    import). A process that has built rjieba cuts everything with it; a worker that answers
    searches and saves articles never builds it.

    Build one per version of the site's terms and share it: cutting is thread-safe and does
    not change the segmenter.
    """

    def __init__(self, terms: Iterable[str] = ()):
        from xinwen.hanzi.jieba_table import Dictionary, table

        self.terms: tuple[str, ...] = tuple(sorted({normalise(t).strip() for t in terms if t and t.strip()}))
        self._site_words = frozenset(term.casefold() for term in self.terms)
        self._subwords: dict[str, tuple[str, ...]] = {}
        self._table = Dictionary(table())
        for term in self.terms:
            # freq None: jieba picks a frequency just high enough to keep the term whole.
            self._table.add_word(term, None, None)
        self._jieba = None  # rjieba, once this process indexes
        self._lock = threading.Lock()

    def _rjieba(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import rjieba  # 50 MB of dictionary: processes that never index never load it

                    engine = rjieba.Jieba()
                    for term in self.terms:  # the same terms in the same order: the same frequencies
                        engine.add_word(term, None, None)
                    self._jieba = engine
        return self._jieba

    def load_rjieba(self) -> Segmenter:
        """Cut with rjieba from now on in this process: for indexing many articles (the same words, ten times faster)."""
        self._rjieba()
        return self

    def _engine(self):
        return self._jieba or self._table

    def tokens(self, text: str) -> list[Token]:
        """Words of `text` (already normalised) in order; punctuation and spaces dropped.

        A jieba word with punctuation inside ("c++", "zl-rv") becomes its letter-and-digit runs.
        """
        out: list[Token] = []
        start = 0
        for word in self._engine().cut(text, False):  # the words cover the text, in order
            end = start + len(word)
            if word.isalnum():  # the common case: one clean word
                out.append(Token(word.casefold(), start, end))
            elif not word.isspace():
                for match in _WORD.finditer(word):
                    out.append(Token(match.group(0).casefold(), start + match.start(), start + match.end()))
            start = end
        return out

    def words(self, text: str) -> list[str]:
        """The words of `text` (already normalised) without offsets: `tokens` for whole articles, faster."""
        # One regex pass over the words joined by a space: it drops punctuation and splits
        # "c++" or "zl-rv" exactly as `tokens` does.
        return _WORD.findall(" ".join(self._engine().cut(text, False)).casefold())

    def is_site_term(self, word: str) -> bool:
        """Whether a token is one of the site's own terms (not from jieba's dictionary)."""
        return word in self._site_words

    def subwords(self, word: str) -> tuple[str, ...]:
        """Dictionary words inside a longer CJK word, so 减速 finds 减速器 and 理工 finds 理工大学."""
        if len(word) < 3:
            return ()
        found = self._subwords.get(word)
        if found is None:
            parts: list[str] = []
            if _CJK_WORD.fullmatch(word):
                engine = self._engine()
                for size in range(2, min(len(word) - 1, 4) + 1):
                    for start in range(len(word) - size + 1):
                        part = word[start : start + size]
                        if part not in parts and engine.has_word(part):
                            parts.append(part)
            if len(self._subwords) > 200_000:  # names and figures rarely repeat: keep the memo bounded
                self._subwords.clear()
            found = self._subwords[word] = tuple(parts)
        return found
