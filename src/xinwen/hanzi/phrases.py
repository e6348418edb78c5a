"""Phrase-level changes a script variant makes beyond character conversion (zh-TW vocabulary).

OpenCC's s2twp converts characters *and* swaps mainland vocabulary for Taiwan's (试运行 →
試執行, 设备 → 裝置, 智能 → 智慧). In a technical news text some swaps are wrong, so an editor
should see them before publishing. For each variant whose OpenCC config is a phrase config
(name ending in "p"), every word of the text is converted with it and with the same config
without phrases; where the two differ, the variant changes the word itself, not just its
characters. Variants without a phrase config (zh-Hant, zh-HK in OpenCC) never appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xinwen.hanzi.convert import EMPTY_GLOSSARY, Glossary, opencc_converter, convert, detect_script
from xinwen.hanzi.segment import is_cjk
from xinwen.hanzi.variants import SIMPLIFIED, TRADITIONAL, VARIANTS
from xinwen.hanzi.worddiff import words

__all__ = ["PhraseChange", "phrase_changes"]


@dataclass
class PhraseChange:
    word: str  # as written in the source text
    plain: str  # character conversion only (what keeping the word gives)
    forms: dict[str, str] = field(default_factory=dict)  # variant → what the variant prints
    count: int = 0


def phrase_changes(text: str, *, glossary: Glossary = EMPTY_GLOSSARY, source: str | None = None, limit: int = 50) -> list[PhraseChange]:
    """The words of `text` that a variant replaces by another word, in order of first appearance."""
    source = source or detect_script(text) or SIMPLIFIED
    seen: dict[str, int] = {}
    for word in words(text):
        # A word the glossary already decides (a site term, a built-in correction) is settled.
        if any(is_cjk(char) for char in word) and not any(is_term for _, is_term in glossary.split(word)):
            seen[word] = seen.get(word, 0) + 1
    found: dict[str, PhraseChange] = {}
    for target, variant in VARIANTS.items():
        config = variant.from_traditional if source == TRADITIONAL else variant.from_simplified
        if not config or not config.endswith("p"):
            continue
        plain_converter = opencc_converter(config[:-1])
        for word, count in seen.items():
            shown = convert(word, target, source=source, glossary=glossary)
            plain = plain_converter.convert(word)
            if shown != plain:
                change = found.setdefault(word, PhraseChange(word, plain, count=count))
                change.forms[target] = shown
                if len(found) >= limit:
                    return list(found.values())
    return list(found.values())
