"""Script conversion and detection with OpenCC: phrase-level, glossary-aware, HTML-safe.

`convert(text, "zh-tw")` derives one variant from a source text in either script.
OpenCC converts by phrases (头发 → 頭髮, 发展 → 發展), never character by character,
and nothing here ever adds pinyin to text.

`opencc_converter(config)` is where every part of xinwen gets OpenCC: by default
(`XINWEN_OPENCC=table`) OpenCC's dictionaries read from a mapped table file
(`hanzi/opencc_table.py`, the same results, a few MB shared by every process), or with
`XINWEN_OPENCC=library` the opencc library itself (about 47 MB in every process).
"""

from __future__ import annotations

import html as htmllib
import logging
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from xinwen.hanzi import opencc_table
from xinwen.hanzi.markup import map_text_nodes
from xinwen.hanzi.variants import SIMPLIFIED, TRADITIONAL, VARIANTS

__all__ = ["Glossary", "EMPTY_GLOSSARY", "convert", "convert_html", "detect_script", "UnknownVariant",
           "opencc_converter", "opencc_backend", "bulk_conversion", "BULK_ITEMS"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


class UnknownVariant(ValueError):
    """The target is not one of zh-hans, zh-hant, zh-tw or zh-hk."""


log = logging.getLogger("xinwen.hanzi")


def opencc_backend() -> str:
    """"table" or "library": the site's XINWEN_OPENCC, or the environment's outside a site."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return settings.XINWEN_OPENCC
    except (ImproperlyConfigured, AttributeError):  # the library used outside a site
        return os.environ.get("XINWEN_OPENCC", "table")


_bulk = threading.local()
BULK_ITEMS = 20  # an import's batch, a glossary change's articles: more than this many bodies at once is bulk


@contextmanager
def bulk_conversion():
    """Within it, this thread converts with the opencc library whatever the backend.

    For many long texts at once (an import's batch, `xinwen convert_ahead`): the library
    converts about four times faster than the table, and loads its dictionaries (about
    47 MB) into this process once, as rjieba is loaded only to index many articles.
    """
    before = getattr(_bulk, "on", False)
    _bulk.on = True
    try:
        yield
    finally:
        _bulk.on = before


@lru_cache(maxsize=None)
def _library(config: str):
    import opencc

    return opencc.OpenCC(config)


def opencc_converter(config: str):
    """OpenCC's `config` (s2twp, t2s, …): an object whose `convert(text)` is opencc's, from the chosen backend."""
    if getattr(_bulk, "on", False) or opencc_backend() == "library":
        return _library(config)
    try:
        return opencc_table.converter(config)
    except opencc_table.TableUnavailable as exc:  # said once; pages keep converting, with the library's memory
        if not _said_unavailable:
            _said_unavailable.append(exc)
            log.warning("%s: converting with the opencc library instead (about 47 MB in every process)", exc)
        return _library(config)


_said_unavailable: list = []


@dataclass(frozen=True)
class Glossary:
    """Site terms: kept exactly as written everywhere (names, brands), or forced to a form per target.

    `build({"东方智联": None, "鼠标": {"zh-tw": "滑鼠"}})`: None keeps the term in every
    variant; a mapping forces the listed targets and converts the term normally elsewhere.
    """

    rules: tuple[tuple[str, tuple[tuple[str, str], ...] | None], ...] = ()
    _pattern: re.Pattern | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(cls, rules: dict[str, dict[str, str] | None]) -> Glossary:
        items = tuple(
            sorted(
                (term, None if targets is None else tuple(sorted(targets.items())))
                for term, targets in rules.items()
                if term
            )
        )
        # Longest first, so 东方智联装备集团 wins over 东方.
        terms = sorted((term for term, _ in items), key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        return cls(rules=items, _pattern=pattern)

    def replacement(self, term: str, target: str) -> str | None:
        """The fixed form of `term` in `target`, or None to convert it normally."""
        for candidate, targets in self.rules:
            if candidate == term:
                return term if targets is None else dict(targets).get(target)
        return None

    def without(self, term: str) -> Glossary:
        """The same glossary minus one term (for converting that term's own text)."""
        return _without(self, term)

    def split(self, text: str) -> list[tuple[str, bool]]:
        """Split into (segment, is_term) pieces."""
        if self._pattern is None:
            return [(text, False)]
        pieces, pos = [], 0
        for match in self._pattern.finditer(text):
            if match.start() > pos:
                pieces.append((text[pos : match.start()], False))
            pieces.append((match.group(0), True))
            pos = match.end()
        if pos < len(text):
            pieces.append((text[pos:], False))
        return pieces


@lru_cache(maxsize=1024)
def _without(glossary: Glossary, term: str) -> Glossary:
    return Glossary.build({t: (None if targets is None else dict(targets)) for t, targets in glossary.rules if t != term})


# Corrections to OpenCC for news prose, under every site glossary (site terms win).
# Each entry is a phrase OpenCC gets wrong in news text, with the form readers expect.
BUILTIN_TERMS: dict[str, dict[str, str] | None] = {
    "新征程": None,  # OpenCC: 新徵程; 征程 is a journey, not a levy (徵)
    "发布": {"zh-hant": "發布", "zh-tw": "發布"},  # s2twp: 釋出 (a software release); 發布 is the Taiwan standard
    "文件": {"zh-tw": "文件"},  # s2twp: 檔案 (a computer file); in news, documents
    "支持": {"zh-tw": "支持"},  # s2twp: 支援 (assistance), wrong for "support" as backing
    "优化": {"zh-tw": "優化"},  # s2twp: 最佳化 (mathematical optimisation)
    "集群": {"zh-tw": "集群"},  # s2twp: 叢集 (a computer cluster)
}

# The glossary when a site has no terms of its own: xinwen's corrections only.
EMPTY_GLOSSARY = Glossary.build(BUILTIN_TERMS)


@lru_cache(maxsize=65536)
def _char_forms(char: str) -> tuple[bool, bool]:
    """(is a Simplified-only form, is a Traditional-only form) for one character."""
    return opencc_converter("s2t").convert(char) != char, opencc_converter("t2s").convert(char) != char


def detect_script(text: str) -> str:
    """"zh-hans" or "zh-hant" by which script's distinctive characters dominate; "" without any."""
    simplified = traditional = 0
    for char in _HAN.findall(text):
        is_simp, is_trad = _char_forms(char)
        simplified += is_simp
        traditional += is_trad
    if simplified == traditional == 0:
        return ""
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


def _config(target: str, source: str) -> str | None:
    try:
        variant = VARIANTS[target]
    except KeyError:
        raise UnknownVariant(f"unknown script variant {target!r}; use one of {', '.join(VARIANTS)}") from None
    return variant.from_traditional if source == TRADITIONAL else variant.from_simplified


def convert(text: str, target: str, *, source: str | None = None, glossary: Glossary = EMPTY_GLOSSARY) -> str:
    """Derive the `target` variant of `text` (written in `source`, detected when not given)."""
    if not text:
        return text
    source = source or detect_script(text) or SIMPLIFIED
    config = _config(target, source)
    if config is None and glossary is EMPTY_GLOSSARY:
        return text
    converter = opencc_converter(config) if config else None
    out = []
    for segment, is_term in glossary.split(text):
        fixed = glossary.replacement(segment, target) if is_term else None
        if fixed is not None:
            out.append(fixed)
        elif is_term:
            # A term forced for other scripts only: the rest of the glossary still applies to it
            # (a site's 发布会 for zh-tw keeps the built-in 发布 correction for zh-hant).
            out.append(convert(segment, target, source=source, glossary=glossary.without(segment)))
        else:
            out.append(converter.convert(segment) if converter else segment)
    return "".join(out)


def convert_html(html: str, target: str, *, source: str | None = None, glossary: Glossary = EMPTY_GLOSSARY) -> str:
    """Like `convert`, for HTML: text nodes only; tags, attributes, code and no-convert spans stay byte-identical.

    Each text node is converted as the text a reader sees (entities decoded) and escaped
    again afterwards, so whatever a glossary form or OpenCC yields stays text: a form
    `<img onerror=…>` prints as those characters, and `&lt;` never turns into a tag.
    """
    if not html:
        return html
    source = source or detect_script(re.sub(r"<[^>]*>", "", html)) or SIMPLIFIED
    _config(target, source)  # reject an unknown target even for markup without text

    def rewrite(text: str) -> str:
        plain = htmllib.unescape(text)
        converted = convert(plain, target, source=source, glossary=glossary)
        # Unchanged text keeps its own bytes (&nbsp; stays &nbsp;).
        return text if converted == plain else htmllib.escape(converted, quote=False)

    return map_text_nodes(html, rewrite)
