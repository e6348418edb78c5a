"""Repair what bad converters did to Chinese text: leaked pinyin, machine conversion, lost characters.

Pure functions over plain text. Each returns the repaired text with a list of
`Finding`s saying what was found where (offsets into the text as given) and
whether it was repaired; what cannot be repaired is left as it is and reported,
so an editor can fix it. `repair()` chains them and is idempotent: running it on
its own output changes nothing. Clean Simplified text is never changed.

The damage comes from legacy CMS "繁體" plugins that converted Simplified pages
character by character and appended the pinyin of each converted character
(當(dāng)前位置), and from pages saved through the wrong code page (issue 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


from xinwen.hanzi.convert import _char_forms, opencc_converter, detect_script
from xinwen.hanzi.mojibake import fix_mojibake
from xinwen.hanzi.variants import TRADITIONAL

__all__ = [
    "Finding",
    "Repaired",
    "ConversionVerdict",
    "strip_leaked_pinyin",
    "strip_truncated_annotation",
    "repair_misaligned_annotations",
    "find_lost_chars",
    "fill_lost_chars",
    "conversion_verdict",
    "simplify",
    "strip_damage",
    "repair",
]

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN_CHAR = re.compile(HAN)
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"[a-z{TONED}ü]{{1,7}}"
_LEAK = re.compile(rf"(?P<han>{HAN})\((?P<syl>{_SYLLABLE})\)")
# A summary cut in the middle of an annotation: 國(gu at the very end (an ellipsis may follow).
_TRUNCATED = re.compile(rf"(?P<han>{HAN})\((?P<syl>[a-z{TONED}ü]{{0,6}})(?P<tail>\s*(?:…+|\.{{3,}})?\s*)$")
# "(" swallowed by a broken double-byte character: 因?yàn) — the ? stands for what was lost.
_MISALIGNED = re.compile(rf"(?P<han>{HAN})[?\ufffd](?P<syl>{_SYLLABLE})\)")
_LOST = re.compile(r"[?\ufffd？]+")
_QUESTION_WORDS = re.compile(r"[吗嗎呢吧么麼啊呀嘛谁誰哪几幾]|什么|什麼|怎|为何|為何|是否|难道|難道|多少|如何|何时|何時|可否|能否")
_CLAUSE_BREAK = re.compile(r"[。！？!；;，,：:\n]")


@dataclass(frozen=True)
class Finding:
    """One place of damage: what, where (offset in the text given), and whether it was repaired."""

    kind: str
    at: int
    snippet: str
    repaired: bool
    note: str = ""


@dataclass
class Repaired:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(f.repaired for f in self.findings)


@dataclass(frozen=True)
class ConversionVerdict:
    """Whether a Traditional text was machine-converted from Simplified, with the evidence."""

    machine_converted: bool
    script: str
    score: float
    reasons: tuple[str, ...] = ()


def _context(text: str, start: int, end: int, width: int = 8) -> str:
    return text[max(0, start - width) : end + width]


@lru_cache(maxsize=65536)
def _readings(char: str) -> frozenset[str]:
    """Every tone-marked reading pypinyin knows for a character (toneless for the neutral tone)."""
    from xinwen.hanzi.pinyin_table import pinyin  # the table: mapped when first needed

    found = pinyin(char, heteronym=True, errors="ignore")
    return frozenset(found[0]) if found else frozenset()


@lru_cache(maxsize=65536)
def _source_char(char: str) -> str:
    """The Simplified character a character-by-character converter started from ("" if none)."""
    if not _char_forms(char)[1]:
        return ""
    simplified = opencc_converter("t2s").convert(char)
    return simplified if len(simplified) == 1 else ""


# Particles read in the neutral tone: a textbook glosses 了 as liǎo or 着 as zháo, with the tone;
# a bare toneless zhe/de/le/me after the particle itself is only ever a converter's leak.
NEUTRAL_PARTICLES = {"着": "zhe", "著": "zhe", "的": "de", "了": "le", "么": "me", "麼": "me", "地": "de", "得": "de",
                     "们": "men", "們": "men", "吗": "ma", "嗎": "ma", "呢": "ne", "吧": "ba"}  # fmt: skip


def is_leak(char: str, syllable: str) -> bool:
    """`char(syllable)` is a leak: a converter produced `char` and `syllable` reads its source character,
    or `char` is a particle followed by its toneless neutral reading (着(zhe), 的(de)).

    A gloss on a character that no converter produces (罂(yīng) in a Simplified
    textbook) is never a leak, and neither is a syllable that does not read the character.
    """
    if NEUTRAL_PARTICLES.get(char) == syllable:
        return True
    source = _source_char(char)
    return bool(source) and syllable in _readings(source)


_QUOTE_OPEN = "“‘「『\"'《"


def strip_leaked_pinyin(text: str) -> Repaired:
    """Remove `(pinyin)` leaked after converted characters; keep every legitimate parenthesis."""
    findings: list[Finding] = []

    def drop(match: re.Match) -> str:
        if not is_leak(match.group("han"), match.group("syl")):
            return match.group(0)
        if match.start() and text[match.start() - 1] in _QUOTE_OPEN and NEUTRAL_PARTICLES.get(match.group("han")) == match.group("syl"):
            return match.group(0)  # “着(zhe)”: a grammar note quoting the particle with its reading
        findings.append(Finding("leaked_pinyin", match.start(), match.group(0), True))
        return match.group("han")

    return Repaired(_LEAK.sub(drop, text), findings)


def strip_truncated_annotation(text: str) -> Repaired:
    """Remove an annotation cut off at the end of a summary (國(gu…), keeping the ellipsis."""
    match = _TRUNCATED.search(text)
    if not match:
        return Repaired(text)
    source = _source_char(match.group("han"))
    partial = match.group("syl")
    if not source or not any(reading.startswith(partial) for reading in _readings(source)):
        return Repaired(text)
    finding = Finding("truncated_annotation", match.start(), match.group(0), True)
    return Repaired(text[: match.start()] + match.group("han") + match.group("tail"), [finding])


def repair_misaligned_annotations(text: str) -> Repaired:
    """Drop `?pinyin)` left where a GBK byte pair was misread and swallowed the "(" of a leak.

    When the syllable reads the character before it, only the "(" was lost and the
    text is whole again; otherwise the character that carried the annotation was lost
    with it: the garbage is removed and the place is reported with the reading it had.
    """
    findings: list[Finding] = []

    def fix(match: re.Match) -> str:
        han, syllable = match.group("han"), match.group("syl")
        if syllable not in _readings(_source_char(han) or han) | _readings(han):
            # Not the preceding character's reading: a character was lost here.
            if not re.fullmatch(rf"[a-z]*[{TONED}][a-z]*", syllable):
                return match.group(0)  # "因?abc)" without a tone mark is not a reading
            findings.append(
                Finding("misaligned", match.start() + 1, match.group(0), True, f"此处丢失一个读作 {syllable} 的字")
            )
            return han + "\ufffd"
        findings.append(Finding("misaligned", match.start() + 1, match.group(0), True))
        return han

    repaired = _MISALIGNED.sub(fix, text)
    # The lost character stays visible as "?" for the editor, never as an invisible U+FFFD.
    return Repaired(repaired.replace("\ufffd", "?") if findings else text, findings)


def _is_question(text: str, at: int) -> bool:
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(text, 0, at):
        clause_start = brk.end()
    return bool(_QUESTION_WORDS.search(text, clause_start, at))


def find_lost_chars(text: str) -> list[Finding]:
    """Places where `?` stands for characters lost by a code page that lacked them (我们?的).

    A question mark inside a run of Han text is a lost character unless its clause
    asks something (吗, 什么, 是否 …); a run of two or more always is. Nothing is changed.
    """
    findings = []
    for match in _LOST.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        between_han = bool(_HAN_CHAR.match(before)) and bool(_HAN_CHAR.match(after))
        run = end - start
        if match.group(0).strip("？") == "" and run == 1:
            continue  # a full-width ？ is punctuation someone typed
        if (
            (between_han and (run > 1 or not _is_question(text, start)))
            or (run >= 2 and (_HAN_CHAR.match(before) or _HAN_CHAR.match(after)))
            or (run >= 3 and not (before.isascii() and before.isalnum()) and not _is_question(text, start))
        ):
            findings.append(Finding("lost_chars", start, _context(text, start, end), False, f"{run} 个字丢失"))
    return findings


def fill_lost_chars(text: str, reference: str) -> Repaired:
    """Restore `?`s from another copy of the same text (the <title> for the heading, the description for the lead).

    The damaged text must match the reference exactly where it is intact, with each
    `?` standing for one character; otherwise nothing is changed.
    """
    if "?" not in text or not reference:
        return Repaired(text)
    pieces = [re.escape(piece) for piece in text.split("?")]
    pattern = re.compile("(.)".join(pieces), re.S)
    match = pattern.search(reference)
    if not match or any(group in "?？\ufffd" for group in match.groups()):
        return Repaired(text)
    findings = []
    out, pos = [], 0
    for index, piece in enumerate(text.split("?")[:-1]):
        pos += len(piece)
        out.append(piece + match.group(index + 1))
        findings.append(Finding("lost_chars", pos, _context(text, pos, pos + 1), True, "已从同一页面的另一处恢复"))
        pos += 1
    out.append(text.split("?")[-1])
    return Repaired("".join(out), findings)


# Character-by-character conversion leaves 于 where Traditional writing has 於 (關于, 基于).
_YU_FOR_YU = re.compile(r"[關関基由對对位屬属終终至用等鑒鉴急歸归善免勇限忠取易處处過过在樂乐]于")
# One-to-many characters that a converter without phrases picks wrongly: 頭發 for 頭髮, 乾部 for 幹部.
_MISPICKS = re.compile(
    r"頭發|理發|白發|毛發|乾部|乾活|乾事|能乾|樹乾|麵積|方麵|表麵|麵對|麵臨|全麵|見麵|裏麵|外麵|皇後|鍾表|時鍾|恢複|"
    r"聯係|係統|隻有|曆史|曆程|經曆|鬆樹|臺風|颱灣|山穀|製度|製定|製約|控製|抵製|管製|體製|機製|限製|強製|法製"
)
# Mainland vocabulary that neither Taiwan nor Hong Kong writes, in Traditional characters.
_MAINLAND_TERMS = re.compile(r"鼠標|服務器|默認|硬盤|內存|激光打印|互聯網\+|視頻會議|高質量發展|質量效益|數據庫|軟件開發")
# Mainland words Hong Kong also uses: weak evidence, counted once each.
_WEAK_TERMS = ("信息", "網絡", "軟件", "視頻", "質量", "項目", "打印")


def conversion_verdict(text: str, *, leaks: int = 0, script: str | None = None) -> ConversionVerdict:
    """Was this Traditional text machine-converted from Simplified? Genuine Taiwan or Hong Kong text is not.

    Evidence: leaked pinyin (`leaks`, counted before they were stripped, plus any still
    present), 于 where Traditional writes 於, wrong picks of one-to-many characters, and
    mainland-only vocabulary in Traditional characters. Words Hong Kong shares with the
    mainland (信息, 軟件) count little, so a Hong Kong article about IT stays as written.
    `script` is the text's `detect_script`, when the caller knows it already.
    """
    script = detect_script(text) if script is None else script
    if script != TRADITIONAL:
        return ConversionVerdict(False, script, 0.0)
    leaks += sum(1 for m in _LEAK.finditer(text) if is_leak(m.group("han"), m.group("syl")))
    yu = _YU_FOR_YU.findall(text)
    mispicks = _MISPICKS.findall(text)
    mainland = _MAINLAND_TERMS.findall(text)
    weak = [term for term in _WEAK_TERMS if term in text]
    score = 2.0 * leaks + 2.0 * len(yu) + 1.0 * len(mispicks) + 1.0 * len(mainland) + 0.25 * len(weak)
    reasons = []
    if leaks:
        reasons.append(f"拼音泄漏 {leaks} 处")
    if yu:
        reasons.append("繁体文字中出现“" + "、".join(sorted(set(yu))) + "”（应为“於”）")
    if mispicks:
        reasons.append("逐字转换的错字：" + "、".join(sorted(set(mispicks))))
    if mainland:
        reasons.append("繁体字写的大陆用语：" + "、".join(sorted(set(mainland))))
    if weak and score >= 2:
        reasons.append("大陆常用词：" + "、".join(weak))
    return ConversionVerdict(score >= 2, script, score, tuple(reasons))


# 著 read zhù (著名, 显著, 名著, 著作, 著有《…》) stays; every other 著 in back-converted text is the particle 着.
_ZHU = re.compile(r"(?<=[显顯卓昭名原专專编編论論巨遗遺合新译譯土撰拙大佳杰傑宏鸿鴻力])著|著(?=[名作称稱述录錄者书書]|有《)")


def particle_zhe(text: str) -> str:
    """随著 → 随着, 著名 stays: t2s keeps 著, but mainland text (which this was) writes the particle 着."""
    if "著" not in text:
        return text
    kept = {m.start() for m in _ZHU.finditer(text)}
    return "".join("着" if char == "著" and at not in kept else char for at, char in enumerate(text))


def simplify(text: str) -> str:
    """Traditional character forms to Simplified ones (OpenCC t2s, by phrase), vocabulary untouched.

    For text that was mainland Simplified to begin with: tw2sp would also rewrite
    vocabulary (資訊 → 信息) that the original author chose. The particle 著 becomes 着.
    """
    return particle_zhe(opencc_converter("t2s").convert(text)) if text else text


def strip_damage(text: str) -> Repaired:
    """One pass of the repairs that need no judgement of the whole page: code-page garbage and leaked pinyin."""
    findings: list[Finding] = []
    if text.isascii():
        return Repaired(text)
    mojibake = fix_mojibake(text)
    text = mojibake.text
    findings += [Finding(kind, at, snippet, fixed, note) for kind, at, snippet, fixed, note in mojibake.findings]
    if "(" in text or ")" in text:
        for step in (repair_misaligned_annotations, strip_leaked_pinyin, strip_truncated_annotation):
            result = step(text)
            text = result.text
            findings += result.findings
    return Repaired(text, findings)


def _one_pass(text: str, *, leaks_seen: int, convert_back: bool | None) -> tuple[Repaired, int]:
    damage = strip_damage(text)
    text, findings = damage.text, list(damage.findings)
    leaks_seen += sum(1 for f in findings if f.kind in {"leaked_pinyin", "truncated_annotation"})
    verdict = conversion_verdict(text, leaks=leaks_seen)
    if convert_back is True or (convert_back is None and verdict.machine_converted):
        simplified = simplify(text)
        if simplified != text:
            findings.append(Finding("machine_conversion", 0, "；".join(verdict.reasons), True, "已转换回简体"))
            text = simplified
    return Repaired(text, findings), leaks_seen


def repair(text: str, *, convert_back: bool | None = None) -> Repaired:
    """All text repairs, until nothing changes: code-page garbage, leaked pinyin, machine conversion.

    `convert_back`: None decides from the text itself (`conversion_verdict`); a caller
    that judged a whole page passes True or False so every field of it is treated alike.
    Lost characters (`?`) are reported, never guessed.
    """
    repaired: list[Finding] = []
    unresolved: list[Finding] = []
    leaks_seen = 0
    for _ in range(4):
        result, leaks_seen = _one_pass(text, leaks_seen=leaks_seen, convert_back=convert_back)
        repaired += [f for f in result.findings if f.repaired]
        unresolved = [f for f in result.findings if not f.repaired]  # what the final text still has
        if result.text == text:
            break
        text = result.text
    return Repaired(text, repaired + unresolved + find_lost_chars(text))
