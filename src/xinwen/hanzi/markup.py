"""Walk HTML as a token stream and rewrite only the text readers see.

Tags, attributes, comments and the contents of code-like or no-convert elements
are passed through byte for byte; a callback rewrites the remaining text nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["map_text_nodes", "SKIP_TAGS", "is_no_convert"]

_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^>]*>", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9:-]*)")
_NO_CONVERT_ATTR = re.compile(
    r"""\btranslate\s*=\s*["']?no\b|\bdata-no-convert\b|\bclass\s*=\s*["'][^"']*\bno-convert\b""", re.IGNORECASE
)

# Their text is code, an annotation or not meant for readers: never rewritten.
SKIP_TAGS = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "rt", "rp", "svg", "math"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def is_no_convert(tag: str) -> bool:
    """Whether an opening tag marks its content as not to be converted."""
    return bool(_NO_CONVERT_ATTR.search(tag))


def map_text_nodes(html: str, rewrite: Callable[[str], str]) -> str:
    """Return `html` with `rewrite` applied to every text node outside skipped elements."""
    out: list[str] = []
    skip_name: str | None = None  # the element whose content is being skipped
    skip_depth = 0
    pos = 0
    for match in _TOKEN.finditer(html):
        text = html[pos : match.start()]
        if text:
            out.append(text if skip_name else rewrite(text))
        tag = match.group(0)
        out.append(tag)
        pos = match.end()
        name_match = _TAG_NAME.match(tag)
        if not name_match:
            continue  # comment, doctype, processing instruction
        name = name_match.group(1).lower()
        closing = tag.startswith("</")
        self_closing = tag.endswith("/>") or name in VOID_TAGS
        if skip_name:
            if name == skip_name and not self_closing:
                skip_depth += -1 if closing else 1
                if skip_depth == 0:
                    skip_name = None
            continue
        if not closing and not self_closing and (name in SKIP_TAGS or is_no_convert(tag)):
            skip_name, skip_depth = name, 1
    tail = html[pos:]
    if tail:
        out.append(tail if skip_name else rewrite(tail))
    return "".join(out)
