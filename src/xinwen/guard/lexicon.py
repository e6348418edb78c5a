"""Lexicons as plain text, and the built-in starter lexicon: pure functions, no database.

The text format is what an editor can write in Notepad and what other systems export:
one word per line, `#` starts a comment, and a line `[分类 处理]` (for example
`[色情 禁止发布]`) says what the words below it are until the next such line. A file
without section lines is a plain word list; its category and action come from the
lexicon it is imported into.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from xinwen.guard.matcher import ALLOW, BLOCK, CONFIRM, NOTE, Entry

__all__ = [
    "CATEGORIES",
    "ACTIONS",
    "ACTION_LABELS",
    "Section",
    "LexiconFormatError",
    "parse_text",
    "format_text",
    "builtin_sections",
    "builtin_entries",
]

CATEGORIES = ("政治敏感", "色情", "赌博", "广告/黑帽SEO", "违禁品", "自定义")
# action code → the label editors see (and write in section lines)
ACTION_LABELS = {BLOCK: "禁止发布", CONFIRM: "需要确认", NOTE: "仅提示", ALLOW: "例外"}
ACTIONS = {label: code for code, label in ACTION_LABELS.items()}
_SECTION = re.compile(r"^\[\s*(?P<category>[^\]\s]+)\s+(?P<action>[^\]\s]+)\s*\]$")
# A word is one line of text; anything longer is not a word someone meant to list.
MAX_WORD = 60


class LexiconFormatError(ValueError):
    """A lexicon text has a line that is neither a word, a comment nor a valid section line."""


@dataclass
class Section:
    category: str
    action: str  # one of ACTION_LABELS' keys
    words: list[str] = field(default_factory=list)


def parse_text(text: str, *, category: str = "自定义", action: str = CONFIRM) -> list[Section]:
    """Sections of a lexicon text; words before any section line get `category` and `action`.

    Raises LexiconFormatError (message in Chinese, with the line number) on a bad section
    line or an over-long word, so an import never half-succeeds.
    """
    sections = [Section(category, action)]
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate((text or "").lstrip("\ufeff").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            match = _SECTION.match(line)
            if not match:
                raise LexiconFormatError(f"第 {number} 行「{line[:30]}」不是有效的分节行，应写成 [分类 处理]，例如 [色情 禁止发布]。")
            if match["category"] not in CATEGORIES:
                raise LexiconFormatError(f"第 {number} 行的分类「{match['category']}」不存在，可用：{'、'.join(CATEGORIES)}。")
            if match["action"] not in ACTIONS:
                raise LexiconFormatError(f"第 {number} 行的处理方式「{match['action']}」不存在，可用：{'、'.join(ACTIONS)}。")
            sections.append(Section(match["category"], ACTIONS[match["action"]]))
            continue
        if len(line) > MAX_WORD:
            raise LexiconFormatError(f"第 {number} 行超过 {MAX_WORD} 个字，词库每行只写一个词。")
        key = (sections[-1].action, line)
        if key not in seen:
            seen.add(key)
            sections[-1].words.append(line)
    return [section for section in sections if section.words]


def format_text(sections: Iterable[Section], *, title: str = "") -> str:
    """The text `parse_text` reads back to the same sections."""
    lines = [f"# {title}"] if title else []
    for number, section in enumerate(sections):
        if number:
            lines.append("")
        lines.append(f"[{section.category} {ACTION_LABELS[section.action]}]")
        lines.extend(section.words)
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def builtin_sections() -> tuple[Section, ...]:
    """The starter lexicon shipped with xinwen (lexicons/builtin.txt), always in use."""
    text = resources.files("xinwen.guard").joinpath("lexicons/builtin.txt").read_text(encoding="utf-8")
    return tuple(parse_text(text))


def builtin_entries() -> list[Entry]:
    return [Entry(word, s.category, s.action, "内置词库") for s in builtin_sections() for word in s.words]
