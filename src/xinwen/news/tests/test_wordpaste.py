"""Word and WPS clipboard HTML through the sanitiser: real lists, kept alignment, header rows, no stray bullets.

The samples in fixtures/paste/ are written for this project in the shape Word and WPS put on
the clipboard (mso-list paragraphs, <![if !supportLists]>, mso-list:Ignore markers).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from xinwen.news.sanitize import sanitize_html
from xinwen.news.wordpaste import clean_office_html

FIXTURES = Path(__file__).parent / "fixtures" / "paste"


def pasted(name: str) -> str:
    return sanitize_html((FIXTURES / name).read_text(encoding="utf-8"))


def test_word_bullets_and_numbers_become_nested_lists_without_stray_markers():
    body = pasted("word-notice.html")
    assert re.search(
        r"<ul><li><span>检查范围：所有示例车间</span></li><li><span>检查时间：示例月份</span>"
        r"<ul><li><span>上旬：自查</span></li><li><span>下旬：抽查</span></li></ul></li></ul>",
        body,
    )
    assert re.search(r"<ol><li><span>各部门于示例日期前提交自查表；</span></li><li><span>检查组汇总后通报结果。</span></li></ol>", body)
    text = strip_tags(body)
    for stray in ("l\xa0", "n\xa0", "1.", "2.", "supportLists", "endif"):
        assert stray not in text
    assert not re.search(r">\s*[ln]\s", body), "Wingdings' bullet letter must not reach readers"


def test_word_keeps_the_centred_title_the_right_aligned_signature_and_the_header_row():
    body = pasted("word-notice.html")
    assert '<p class="align-center"><b><span>关于开展示例安全检查的通知</span></b></p>' in body
    assert '<p class="align-right"><span>示例集团办公室</span></p>' in body
    assert re.search(r"<table>\s*<thead><tr><th scope=\"col\"><p><b>部门</b></p></th>", body)
    assert "<tbody><tr><td><p>示例车间</p></td>" in body
    assert "class=\"\"" not in body and "Mso" not in body


def test_wps_chinese_numbering_becomes_an_ordered_list():
    body = pasted("wps-list.html")
    assert body.startswith("<ol><li><span>示例工作目标</span></li><li><span>示例工作安排</span></li></ol>")
    assert "一、" not in body and "二、" not in body
    assert '<p class="align-right"><span>示例单位（盖章）</span></p>' in body


@pytest.mark.parametrize(
    "markup",
    ["<p>普通段落，没有 Word 的痕迹。</p>", "<ul><li>已经是列表</li></ul>", ""],
)
def test_html_that_did_not_come_from_office_passes_untouched(markup):
    assert clean_office_html(markup) == markup


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p class="align-right evil">落款</p>', '<p class="align-right">落款</p>'),
        ('<p class="evil">正文</p>', "<p>正文</p>"),
        ('<span class="align-right">行内</span>', "<span>行内</span>"),
    ],
)
def test_only_the_alignment_classes_survive_and_only_on_blocks(dirty, clean):
    assert sanitize_html(dirty) == clean
