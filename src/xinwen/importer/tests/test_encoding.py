"""Decoding legacy pages: BOM, declared charsets that lie, statistics, and refusing what is not text."""

import codecs

import pytest

from xinwen.importer.encoding import decode_page, normalise_charset, sniff_binary
from xinwen.importer.errors import BinaryContent, UnknownEncoding

SIMPLIFIED = "集团召开2024年安全生产工作会议，总结去年安全生产工作，部署今年重点任务。朱镕基、王喆出席。"
TRADITIONAL = "本公司今日發表新一代雲端軟體平臺，透過網路提供即時的資訊服務，協助中小企業加速數位轉型。"


def html(text: str, charset: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>news</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "text, encoding, declared, expected_codec",
    [
        (SIMPLIFIED, "utf-8", "utf-8", "utf-8"),
        (SIMPLIFIED, "gbk", "gbk", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb2312", "gb18030"),  # gb2312 label, GBK characters (镕, 喆)
        (SIMPLIFIED, "gbk", "utf-8", "gb18030"),  # a lie
        (SIMPLIFIED, "gbk", "", "gb18030"),  # nothing declared
        (TRADITIONAL, "big5", "big5", "big5hkscs"),
        (TRADITIONAL, "big5", "gb2312", "big5hkscs"),  # a lie that still decodes, into garbage
        (TRADITIONAL, "big5", "", "big5hkscs"),
        (TRADITIONAL, "utf-8", "", "utf-8"),
    ],
)
def test_pages_are_decoded_to_the_text_they_hold(text, encoding, declared, expected_codec):
    data = html(text, declared).encode(encoding)

    decoded, codec = decode_page(data)

    assert text in decoded
    assert codec == expected_codec


def test_a_byte_order_mark_wins():
    data = codecs.BOM_UTF8 + html(SIMPLIFIED, "gbk").encode("utf-8")
    assert decode_page(data) == (html(SIMPLIFIED, "gbk"), "utf-8")


def test_the_http_header_charset_is_tried_first():
    data = html(TRADITIONAL).encode("big5")
    assert decode_page(data, http_charset="big5")[1] == "big5hkscs"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"%PDF-1.4\n", b"PK\x03\x04zip", b"\x7fELF\x02", b"abc\x00\x00def" * 10],
)
def test_binary_files_are_refused(data):
    assert sniff_binary(data)
    with pytest.raises(BinaryContent):
        decode_page(data)


def test_bytes_that_read_as_no_chinese_are_refused_rather_than_written_as_mojibake():
    data = bytes((i * 37 + 11) % 128 + 128 for i in range(3000))
    with pytest.raises(UnknownEncoding):
        decode_page(data)


@pytest.mark.parametrize("name, codec", [("GB2312", "gb18030"), ("gbk", "gb18030"), ("Big5", "big5hkscs"), ("UTF8", "utf-8"), ("nonsense", "")])
def test_declared_names_are_widened_to_their_supersets(name, codec):
    assert normalise_charset(name) == codec
