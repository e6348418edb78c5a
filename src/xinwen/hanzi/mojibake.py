"""Text decoded with the wrong code page (鍥犱负 for 因为, ÖÐÎÄ for 中文) and how plausible Chinese text is.

Pure functions. A run of text is re-read through the code-page pairs that legacy
Chinese sites mix up (UTF-8 / GBK / Big5 / Latin-1) and replaced only when the
result is plainly better Chinese: every character common, where the run was mostly
rare characters. Correct text, in either script, is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["is_common", "plausibility", "fix_mojibake", "MojibakeResult"]

# Pairs (how the text was wrongly decoded, what its bytes really were).
_REREADS = (
    ("gb18030", "utf-8"),
    ("big5", "utf-8"),
    ("cp1252", "utf-8"),
    ("latin-1", "utf-8"),
    ("latin-1", "gb18030"),
    ("cp1252", "gb18030"),
    ("latin-1", "big5"),
    ("gb18030", "big5"),
    ("big5", "gb18030"),
)
_SUSPECT_RUN = re.compile(r"[^\x00-\x7f]+(?:[\x40-\x7e][^\x00-\x7f]+)*[\x40-\x7e]?")
# U+FFFD written to disk as UTF-8 and read back as GBK, the mark of characters lost for good.
_LOST_FOREVER = re.compile(r"(?:锟斤拷)+(?:锟?)?|(?:烫){4,}|(?:屯){4,}")
_PUNCT_SPLIT = re.compile(r"([，。、；：？！“”‘’（）《》【】　]+)")
_CJK_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～　％＋－／＝＜＞０１２３４５６７８９")


@lru_cache(maxsize=100_000)
def is_common(char: str) -> bool:
    """A character of everyday Chinese: GB2312 level 1, Big5 frequent characters, or CJK punctuation."""
    if char in _CJK_PUNCT or char < "\x80":
        return True
    try:
        gb = char.encode("gb2312")
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b5 = char.encode("big5")
        return len(b5) == 2 and 0xA440 <= (b5[0] << 8 | b5[1]) <= 0xC67E
    except UnicodeEncodeError:
        return False


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters that are common (1.0 for text without any)."""
    chars = [c for c in text if c >= "\x80" and not c.isspace()]
    if not chars:
        return 1.0
    return sum(map(is_common, chars)) / len(chars)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


@dataclass
class MojibakeResult:
    text: str
    # (kind, offset, snippet, repaired, note), the shape of repair.Finding without importing it
    findings: list[tuple[str, int, str, bool, str]] = field(default_factory=list)


def _reread(run: str) -> str | None:
    """The run read through the code page it really was in, when that is clearly better."""
    if sum(1 for c in run if c >= "\x80") < 2:
        return None
    before = plausibility(run)
    if before > 0.6:
        return None
    if all(_in_gb2312(c) for c in run if c >= "\x80") and not all("\x80" <= c <= "\xff" for c in run if c >= "\x80"):
        return None  # GB2312 characters only: ordinary Simplified text, however rare its words
    best, best_score = None, before + 0.3
    for wrong, right in _REREADS:
        try:
            candidate = run.encode(wrong).decode(right)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if candidate == run or any(c < " " and c not in "\t\n\r" for c in candidate):
            continue
        cjk = sum(1 for c in candidate if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
        if cjk == 0:
            continue
        score = plausibility(candidate)
        if score >= 0.9 and score > best_score:
            best, best_score = candidate, score
    return best


def _reread_trimmed(piece: str) -> str | None:
    for left in range(4):
        for right in range(4):
            core = piece[left : len(piece) - right]
            if len(core) < 2:
                break
            fixed = _reread(core)
            if fixed is not None:
                return piece[:left] + fixed + piece[len(piece) - right :]
    return None


def fix_mojibake(text: str) -> MojibakeResult:
    """Re-read runs decoded with the wrong code page; drop 锟斤拷 (characters lost for good) and report it.

    Repeated until nothing changes (a page garbled twice needs two readings), so the
    result of a fix is never fixed again.
    """
    findings: list[tuple[str, int, str, bool, str]] = []
    for _ in range(4):
        result = _fix_once(text)
        findings += [f for f in result.findings if f[3]]
        if result.text == text:
            findings += [f for f in result.findings if not f[3]]
            break
        text = result.text
    return MojibakeResult(text, findings)


def _fix_once(text: str) -> MojibakeResult:
    if "锟" not in text and "烫" not in text and "屯" not in text and all(map(is_common, text)):
        return MojibakeResult(text)  # the common case: nothing to re-read
    findings: list[tuple[str, int, str, bool, str]] = []
    out, pos = [], 0
    for match in _SUSPECT_RUN.finditer(text):
        run = match.group(0)
        fixed = _reread(run)
        if fixed is None and len(run) >= 4 and plausibility(run) <= 0.75:
            # Garbage within good text (前文鍥犱负。后文): re-read the pieces between punctuation,
            # each with a few good characters at its edges left out.
            pieces = _PUNCT_SPLIT.split(run)
            fixed = "".join(_reread_trimmed(piece) or piece for piece in pieces)
            fixed = None if fixed == run else fixed
        if fixed is None:
            continue
        out.append(text[pos : match.start()])
        out.append(fixed)
        findings.append(("mojibake", match.start(), run[:40], True, f"按正确编码重读为“{fixed[:20]}”"))
        pos = match.end()
    if findings:
        out.append(text[pos:])
        text = "".join(out)

    def lost(match: re.Match) -> str:
        garbage = match.group(0)
        if garbage.startswith("锟"):
            findings.append(("mojibake", match.start(), garbage[:12], True, "“锟斤拷”是已丢失的字符，已删除并以 ? 标出"))
            return "?"
        findings.append(("mojibake", match.start(), garbage[:12], False, "未初始化内存的乱码（烫烫烫/屯屯屯）"))
        return garbage

    text = _LOST_FOREVER.sub(lost, text)
    return MojibakeResult(text, findings)
