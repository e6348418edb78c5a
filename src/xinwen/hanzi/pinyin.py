"""Pinyin as a reading aid: <ruby> markup only, never characters in the text.

Readings come from pypinyin's phrase dictionary, so 银行 reads yín háng and 行走
xíng zǒu, 重庆 chóng qìng, read from a table file built from it (`hanzi/pinyin_table.py`):
a process that shows readings never loads pypinyin itself. Annotations are added to
text nodes of the already sanitised body at render time; the stored text never contains
pinyin.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.text import slugify

from xinwen.hanzi.convert import opencc_converter
from xinwen.hanzi.markup import map_text_nodes
from xinwen.hanzi.pinyin_table import NORMAL, lazy_pinyin, pinyin

__all__ = ["readings", "ruby_text", "ruby_html", "pinyin_slug"]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _for_lookup(run: str) -> str:
    """The run in Simplified character forms, aligned character by character with `run`.

    pypinyin's phrase dictionary is Simplified: read as written, 銀行 gets yín xíng and
    重慶 zhòng qìng. t2s only changes character forms (never vocabulary, unlike tw2sp's
    滑鼠 → 鼠标), so the readings still belong to the characters shown.
    """
    simplified = opencc_converter("t2s").convert(run)
    return simplified if len(simplified) == len(run) else run


def readings(text: str) -> list[tuple[str, str]]:
    """(character, tone-marked reading) for each Han character of a run of Han text, in either script."""
    result = []
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        lookup = _for_lookup(run)
        syllables = pinyin(lookup)
        # One reading per character: pypinyin keeps runs of pure Han aligned.
        if len(syllables) != len(run):
            syllables = [pinyin(char)[0] for char in lookup]
        result.extend((char, item[0]) for char, item in zip(run, syllables))
    return result


def ruby_text(text: str) -> str:
    """Annotate one plain-text node (already HTML-escaped as it appears in markup)."""
    out, pos = [], 0
    for match in _HAN_RUN.finditer(text):
        out.append(text[pos : match.start()])
        for char, reading in readings(match.group(0)):
            out.append(f"<ruby>{char}<rt>{escape(reading)}</rt></ruby>")
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def ruby_html(html: str) -> str:
    """Return sanitised body HTML with every Han character of its text nodes in <ruby>."""
    return map_text_nodes(html, ruby_text)


def pinyin_slug(text: str, *, max_length: int = 50) -> str:
    """An ASCII URL slug from a name's toneless pinyin: 数字化转型 -> shu-zi-hua-zhuan-xing, in either script.

    Traditional names read as their Simplified forms (重慶 as chóng qìng, not zhòng);
    other letters and digits go through Django's slugify (Café -> cafe, 5G -> 5g).
    Returns "" when nothing usable is left (the caller picks a fallback). One function for
    sections and tags.
    """
    words = lazy_pinyin(_for_lookup(text or ""), style=NORMAL, errors=lambda chars: [chars])
    slug = slugify("-".join(word for word in words if word.strip()))
    return slug[:max_length].strip("-")
