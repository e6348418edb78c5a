"""The word-level diff: whole words change, texts come back whole."""

import pytest

from xinwen.hanzi.worddiff import word_diff, words


@pytest.mark.parametrize(
    "text",
    ["集团召开2025年工作会议，部署试运行。", "Hello world  两个空格", "", "设备综合效率（OEE）提升 3.5%"],
)
def test_words_cover_the_text(text):
    assert "".join(words(text)) == text


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("True", "False", [("delete", "True"), ("insert", "False")]),
        (
            "集团召开工作会议",
            "集团召开专题会议",
            [("equal", "集团召开"), ("delete", "工作会议"), ("insert", "专题会议")],
        ),
        ("产线年产能提升三成。", "产线年产能提升三成。", [("equal", "产线年产能提升三成。")]),
        ("", "新增正文", [("insert", "新增正文")]),
        ("删除的句子", "", [("delete", "删除的句子")]),
    ],
)
def test_word_diff(before, after, expected):
    assert word_diff(before, after) == expected


def test_the_runs_rebuild_both_texts():
    before, after = "滨江生产基地智能产线改造项目招标公告", "滨江生产基地智能产线改造项目中标公示"
    runs = word_diff(before, after)
    assert "".join(t for op, t in runs if op != "insert") == before
    assert "".join(t for op, t in runs if op != "delete") == after
