"""A word-level diff for Chinese (and mixed) text: what an editor changed, in words, not characters.

Chinese has no spaces, so the text is cut into words with jieba (rjieba, HMM off: the same
text always cuts the same way); each run of letters or digits, space and punctuation mark is
a word of its own. Comparing word lists keeps a changed word whole (工作会议 → 专题会议 reads
as one replaced word, not as scattered characters matched by chance), and "True" → "False"
is one replacement, never "TruFalse".
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Literal

__all__ = ["words", "word_diff"]

Op = Literal["equal", "delete", "insert"]


@lru_cache(maxsize=1)
def _jieba():
    import rjieba  # a large dictionary: loaded the first time a diff is asked for

    return rjieba.Jieba()


def words(text: str) -> list[str]:
    """`text` cut into words whose concatenation is `text` again."""
    if not text:
        return []
    return list(_jieba().cut(text, False))


def word_diff(before: str, after: str) -> list[tuple[Op, str]]:
    """(op, text) runs that turn `before` into `after`; a replacement is a delete followed by an insert."""
    a, b = words(before), words(after)
    out: list[tuple[Op, str]] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[a0:a1]))
            continue
        if tag in ("delete", "replace"):
            add("delete", "".join(a[a0:a1]))
        if tag in ("insert", "replace"):
            add("insert", "".join(b[b0:b1]))
    return out
