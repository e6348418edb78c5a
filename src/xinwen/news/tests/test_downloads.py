"""Download names and the Content-Disposition header, as browsers read them."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from xinwen.news.downloads import byte_range, content_disposition, download_filename


@pytest.mark.parametrize(
    "title, stored, name",
    [
        ("关于2025年春节放假安排的通知", "attachments/2025/01/3f2a.pdf", "关于2025年春节放假安排的通知.pdf"),
        ("报名表.DOCX", "attachments/2025/01/3f2a.docx", "报名表.docx"),  # never 报名表.DOCX.docx
        ("通知（附件）.pdf", "attachments/2025/01/3f2a.pdf", "通知（附件）.pdf"),
        ("年报.pdf", "attachments/2025/01/3f2a.xlsx", "年报.pdf.xlsx"),  # the real type wins
        ("../../etc/passwd", "attachments/a.pdf", "etc passwd.pdf"),
        ('a<b>:"c"|d?*', "attachments/a.pdf", "a b c d.pdf"),
        ("第一行\r\n第二行", "attachments/a.pdf", "第一行 第二行.pdf"),
        ("...", "attachments/2025/01/3f2a.pdf", "3f2a.pdf"),
        ("", "attachments/2025/01/3f2a.pdf", "3f2a.pdf"),
        ("长" * 300, "attachments/a.pdf", "长" * 150 + ".pdf"),
    ],
)
def test_download_filename(title, stored, name):
    assert download_filename(title, stored) == name


def _filename_star(header: str) -> str:
    match = re.search(r"filename\*=UTF-8''(\S+)$", header)
    assert match, header
    return unquote(match.group(1))


def test_a_chinese_name_is_sent_as_rfc_5987_with_an_ascii_fallback():
    header = content_disposition("关于2025年春节放假安排的通知.pdf", inline=True)
    assert header.startswith('inline; filename="2025.pdf"; filename*=UTF-8\'\'')
    assert _filename_star(header) == "关于2025年春节放假安排的通知.pdf"
    assert header.isascii()


def test_a_name_without_ascii_letters_falls_back_to_attachment():
    header = content_disposition("报名表.docx", inline=False)
    assert header.startswith('attachment; filename="attachment.docx"; ')
    assert _filename_star(header) == "报名表.docx"


def test_an_ascii_name_is_sent_plainly():
    assert content_disposition("report-2024.pdf", inline=False) == 'attachment; filename="report-2024.pdf"'


@pytest.mark.parametrize("name", ['a"b.pdf', "a\\b.pdf", "名 字;x=1.pdf"])
def test_quotes_and_separators_cannot_break_out_of_the_header(name):
    header = content_disposition(name, inline=False)
    assert header.count('"') == 2 and "\\" not in header
    assert header.isascii()


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-99", 1000, (0, 99)),
        ("bytes=500-", 1000, (500, 999)),
        ("bytes=900-5000", 1000, (900, 999)),
        ("bytes=-100", 1000, (900, 999)),
        ("bytes=-5000", 1000, (0, 999)),
        ("", 1000, None),
        ("bytes=0-1,5-9", 1000, None),  # several ranges: the whole file
        ("items=0-9", 1000, None),
        ("bytes=-", 1000, None),
    ],
)
def test_byte_ranges_a_video_player_asks_for(header, size, expected):
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=1000-", 1000), ("bytes=5-2", 1000), ("bytes=-0", 1000), ("bytes=0-", 0)])
def test_ranges_outside_the_file_are_refused(header, size):
    with pytest.raises(ValueError):
        byte_range(header, size)
