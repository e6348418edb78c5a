"""Search folding and word segmentation: tables of real examples."""

from __future__ import annotations

import pytest

from xinwen.hanzi.segment import Segmenter, bmp_fold_table, fold, fold_chars, normalise, pieces, query_forms, text_pieces


@pytest.mark.parametrize(
    "text, expected",
    [
        ("网站建设", "网站建设"),
        ("網站建設", "网站建设"),
        ("軟體與滑鼠", "软件与鼠标"),  # Taiwan vocabulary, as Simplified pages show it
        ("ＧＤＰ增长５％", "GDP增长5%"),  # full-width letters and digits
        ("①号线", "1号线"),
        ("", ""),
        ("著名的乾隆年间", "著名的乾隆年间"),  # Simplified text is left alone
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("网站", ["网站"]),
        ("網站", ["网站"]),
        ("資訊", ["信息", "资讯"]),  # mainland word, and the same letters
        ("軟體", ["软件", "软体"]),
        ("数位孪生", ["数位孪生"]),
        ("", [""]),
    ],
)
def test_query_forms(text, expected):
    assert query_forms(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("軟體網站", "软体网站"),
        ("ＡＢＣ", "abc"),
        ("GDP", "gdp"),
        ("Straße", "straße"),  # ß would become two letters: kept
        ("㈱", "㈱"),  # NFKC would give three characters: kept
        ("𠀾先生", "𠀾先生"),
    ],
)
def test_fold_keeps_every_offset(text, expected):
    assert fold(text) == expected
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "token, expected",
    [("集团", ["集", "团"]), ("a股", ["a", "股"]), ("5g", ["5g"]), ("iphone15", ["iphone15"]), ("𠀾先", ["𠀾", "先"])],
)
def test_pieces(token, expected):
    assert pieces(token) == tuple(expected)


def test_text_pieces():
    assert text_pieces("ZL-RV减速器，5.1%") == ["zl", "rv", "减", "速", "器", "5", "1"]


SEGMENTER = Segmenter()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("东方智联装备集团召开2025年工作会议", ["东方", "智联", "装备", "集团", "召开", "2025", "年", "工作", "会议"]),
        ("GDP增长5%，5G全连接", ["gdp", "增长", "5", "5g", "全", "连接"]),
        ("ZL-RV系列", ["zl", "rv", "系列"]),
        ("c++ 与 A股", ["c", "与", "a股"]),
        ("  ，。！", []),
        ("𠀾先生", ["𠀾", "先生"]),
    ],
)
def test_tokens(text, expected):
    assert [token.text for token in SEGMENTER.tokens(text)] == expected


def test_tokens_carry_offsets():
    text = "周建国讲话"
    assert [(t.text, text[t.start : t.end]) for t in SEGMENTER.tokens(text)] == [("周", "周"), ("建国", "建国"), ("讲话", "讲话")]


@pytest.mark.parametrize(
    "word, expected",
    [("减速器", ["减速"]), ("理工大学", ["理工", "工大", "大学", "理工大"]), ("集团", []), ("gdp", [])],
)
def test_subwords(word, expected):
    assert SEGMENTER.subwords(word) == tuple(expected)


def test_site_terms_are_kept_whole_in_any_script():
    segmenter = Segmenter(["東方智聯", " 智联云 ", ""])

    assert segmenter.terms == ("东方智联", "智联云")
    assert [t.text for t in segmenter.tokens("东方智联发布智联云平台")] == ["东方智联", "发布", "智联云", "平台"]
    assert segmenter.is_site_term("东方智联") and not segmenter.is_site_term("东方")
    assert [t.text for t in SEGMENTER.tokens("东方智联")] == ["东方", "智联"]  # others unaffected


def test_folding_many_characters_at_once_folds_each_as_alone():
    # The whole BMP (line breaks among it); the lone surrogates, which OpenCC cannot read, stay as they are.
    def alone(code: int) -> str:
        return chr(code) if 0xD800 <= code <= 0xDFFF else fold(chr(code))

    table = bmp_fold_table()
    assert [code for code in range(0x10000) if table[code] != alone(code)] == []
    # Neighbours never make a phrase: 乾隆 as a phrase keeps 乾, the character alone is 干.
    assert fold_chars(list("網站\n乾隆")) == list("网站\n干隆")
