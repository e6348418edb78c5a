"""Marks and snippets over text as readers see it (pure)."""

from __future__ import annotations

import pytest

from xinwen.hanzi.convert import convert
from xinwen.search.highlight import find, highlight, mark, pattern_for, snippet, snippet_window
from xinwen.search.query import Term


def word(text: str) -> Term:
    return Term(tuple(text), is_word=True)


def latin(*pieces: str) -> Term:
    return Term(pieces)


@pytest.mark.parametrize(
    "text, terms, expected",
    [
        ("集团召开大会", [word("集团")], "<mark>集团</mark>召开大会"),
        ("集團召開大會", [word("集团")], "<mark>集團</mark>召開大會"),  # Traditional text, Simplified term
        ("手指口述作业法", [word("手指"), word("口述")], "<mark>手指口述</mark>作业法"),  # adjacent: one mark
        ("ZL-RV系列", [latin("zl", "rv")], "<mark>ZL-RV</mark>系列"),
        ("GDP与gdp", [latin("gdp")], "<mark>GDP</mark>与<mark>gdp</mark>"),
        ("CADENCE与CAD", [latin("cad")], "CADENCE与<mark>CAD</mark>"),  # whole Latin words only
        ("5.1%的增长", [latin("5", "1")], "<mark>5.1</mark>%的增长"),
        ("<b>集团</b>", [word("集团")], "&lt;b&gt;<mark>集团</mark>&lt;/b&gt;"),  # escaped
        ("没有匹配", [word("集团")], "没有匹配"),
        ("", [word("集团")], ""),
    ],
)
def test_highlight(text, terms, expected):
    assert highlight(text, pattern_for(terms)) == expected


def test_reader_vocabulary_is_marked():
    """On a zh-TW page 软件 reads 軟體: the term is looked for in that form too."""
    pattern = pattern_for([word("软件")], lambda text: convert(text, "zh-tw", source="zh-hans"))

    assert highlight("工業軟體國產化", pattern) == "工業<mark>軟體</mark>國產化"


def test_no_terms_no_pattern():
    assert pattern_for([]) is None
    assert find("集团", None) == []


def test_mark_part_of_the_text():
    assert mark("甲乙集团丙丁", [(2, 4)], start=1, end=5) == "乙<mark>集团</mark>丙"


def test_snippet_picks_the_window_with_most_different_matches():
    text = "储能" + "。" + "无关内容" * 40 + "。储能与液冷都在这一句里。" + "其他" * 40
    pattern = pattern_for([word("储能"), word("液冷")])

    start, end = snippet_window(text, find(text, pattern), width=30)
    shown = snippet(text, pattern, width=30)

    assert text[start:end].startswith("储能与液冷")  # from the sentence start
    assert shown.startswith("…<mark>储能</mark>与<mark>液冷</mark>")
    assert shown.endswith("…")


def test_short_text_is_shown_whole():
    assert snippet("储能电站", pattern_for([word("储能")])) == "<mark>储能</mark>电站"


def test_text_without_a_match_starts_at_the_beginning():
    text = "开头" + "内容" * 100
    assert snippet(text, pattern_for([word("储能")]), width=10) == "开头内容内容内容内容…"
