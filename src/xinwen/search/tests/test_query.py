"""Query parsing: what a reader types, as terms (pure; no database)."""

from __future__ import annotations

import pytest

from xinwen.hanzi.segment import Segmenter
from xinwen.search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse_query

SEGMENTER = Segmenter(["东方智联"])


def terms(text: str, reading: int = 0) -> list[str]:
    """Terms as "word:集团" / "phrase:周建国"; excluded ones prefixed with "-"."""
    query = parse_query(text, SEGMENTER)
    if not query.forms:
        return []
    form = query.forms[reading]
    show = lambda t: ("word:" if t.is_word else "phrase:") + "".join(t.pieces)  # noqa: E731
    return [show(t) for t in form.include] + ["-" + show(t) for t in form.exclude]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("网站", ["word:网站"]),
        ("網站", ["word:网站"]),
        ("集团安全生产", ["word:集团", "word:安全", "word:生产"]),
        ("周建国讲话", ["phrase:周建国", "word:讲话"]),  # a lone character joins the word after it
        ("郑亚楠", ["phrase:郑亚楠"]),  # characters jieba leaves alone are one unknown word
        ("滨江市", ["phrase:滨江市"]),  # at the end, the word before
        ("2025年工作会议", ["phrase:2025年", "word:工作", "word:会议"]),  # after a number, the number
        ("钢", ["phrase:钢"]),
        ("的", ["phrase:的"]),  # a function word alone is still searched
        ("集团的发展", ["word:集团", "word:发展"]),  # ... but dropped beside other words
        ("5.1%", ["phrase:51"]),
        ("ZL-RV减速器", ["phrase:zlrv", "word:减速器"]),
        ("GDP 5G", ["word:gdp", "word:5g"]),
        ('"安全生产月"', ["phrase:安全生产月"]),
        ("“安全 生产”", ["phrase:安全生产"]),
        ("「安全生產月」", ["phrase:安全生产月"]),
        ('"安全生产月', ["phrase:安全生产月"]),  # an unclosed quote runs to the end
        ("储能 -液冷", ["word:储能", "-phrase:液冷"]),
        ('储能 -"液冷系统"', ["word:储能", "-phrase:液冷系统"]),
        ("东方智联", ["word:东方智联"]),  # a site term
        ("x* OR b", ["word:x", "word:b"]),  # operators are text; OR is a function word here
        ("(安全)", ["word:安全"]),
        ("NEAR(a b)", ["phrase:neara", "word:b"]),
        ("   ", []),
        ("", []),
        ("！？。", []),
        ("-", []),
        ("-集团", []),  # only an exclusion: nothing to search for
    ],
)
def test_terms(text, expected):
    assert terms(text) == expected


def test_a_traditional_query_has_both_readings():
    query = parse_query("資訊 軟體", SEGMENTER)

    assert terms("資訊 軟體", 0) == ["word:信息", "word:软件"]
    assert terms("資訊 軟體", 1) == ["word:资讯", "word:软体"]
    assert len(query.forms) == 2


def test_site_terms_are_marked():
    [term] = parse_query("东方智联", SEGMENTER).forms[0].include
    assert term.site_term and term.is_word


def test_long_queries_are_cut():
    query = parse_query("集团" * 5000, SEGMENTER)

    assert query.shortened
    assert len(query.text) == MAX_QUERY_LENGTH
    assert terms("集团" * 5000) == ["word:集团"]


def test_many_words_are_cut():
    query = parse_query(" ".join(f"词{n}" for n in range(30)), SEGMENTER)

    assert query.shortened
    assert len(query.forms[0].include) == MAX_TERMS


@pytest.mark.parametrize("raw", ["\x00集团", "集\ufffd团", "集\u200b团", "\ue000", "\ud800"])
def test_control_and_undecodable_characters_are_not_text(raw):
    query = parse_query(raw, SEGMENTER)
    assert all("\ue000" not in "".join(t.pieces) for f in query.forms for t in f.include)
    assert all(c.isprintable() or c == " " for c in query.text)
