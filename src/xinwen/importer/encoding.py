"""Decode legacy pages: UTF-8, GBK/GB18030 and Big5, by BOM, declared charset and statistics.

Declarations lie (a GBK page that says utf-8, a Big5 page that says gb2312), so a
declared charset is only trusted when the text it gives reads as Chinese; otherwise
the candidates are tried and charset-normalizer decides. Text that does not read as
any of them is refused (UnknownEncoding): mojibake is never written.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from xinwen.hanzi.mojibake import plausibility
from xinwen.importer.errors import BinaryContent, UnknownEncoding

__all__ = ["decode_page", "sniff_binary", "normalise_charset"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Supersets: a page labelled gb2312 routinely holds GBK characters (镕, 堃), big5 holds HKSCS ones.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
              "hz-gb-2312": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-big5": "big5hkscs",
              "cp950": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8", "iso-8859-1": "cp1252",
              "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}  # fmt: skip
_CANDIDATES = ("utf-8", "gb18030", "big5hkscs")
_CONTROLS = re.compile(rb"[\x01-\x08\x0e-\x1f]")
_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b", b"BZh",
          b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00")  # fmt: skip


def normalise_charset(name: str | None) -> str:
    """A Python codec name for a declared charset, widened to its superset; "" when unknown."""
    if not name:
        return ""
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    return _SUPERSETS.get(codec, codec)


def sniff_binary(data: bytes) -> bool:
    """Images, archives, executables and other bytes that are not a text page."""
    head = data[:4096]
    if head.startswith(_MAGIC):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16 text has NULs by nature
    if b"\x00" in head:
        return True
    return bool(head) and len(_CONTROLS.findall(head)) / len(head) > 0.02


def _declared(data: bytes) -> str:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalise_charset(match.group(1).decode("ascii", "ignore")) if match else ""


_TONE_LETTERS = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")


def _reads_well(text: str) -> bool:
    # Leaked pinyin (dāng) is damage repaired later, not a sign of the wrong code page.
    sample = _TONE_LETTERS.sub("", text[:8000])
    return "\ufffd" not in sample and plausibility(sample) >= 0.85


def decode_page(data: bytes, *, http_charset: str = "") -> tuple[str, str]:
    """(text, codec name) of a page's bytes; raise BinaryContent or UnknownEncoding."""
    if sniff_binary(data):
        raise BinaryContent("这不是网页文本（图片、压缩包或其他二进制文件）。")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec
            except UnicodeDecodeError as exc:
                raise UnknownEncoding(f"文件以 {codec} 标记开头，但内容不是 {codec}。") from exc
    tried: list[str] = []
    for codec in (normalise_charset(http_charset), _declared(data), *_CANDIDATES):
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _reads_well(text):
            return text, codec
    # Nothing declared or tried reads well: ask the statistics, restricted to what Chinese sites use.
    best = from_bytes(data[:200_000], cp_isolation=["utf_8", "gb18030", "big5", "big5hkscs"]).best()
    if best is not None:
        codec = normalise_charset(best.encoding)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and _reads_well(text):
            return text, codec
    raise UnknownEncoding("无法确定网页的编码：按 UTF-8、GBK/GB18030 和 Big5 解码都不是可读的中文。")
