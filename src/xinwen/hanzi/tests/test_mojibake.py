"""Text read through the wrong code page is re-read; correct text in either script is left alone."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinwen.hanzi.mojibake import fix_mojibake, is_common, plausibility

ORIGINALS = ["因为我们", "中文新闻中心", "双方还将互派人员挂职锻炼", "發展與合作", "新闻中心，欢迎访问"]


def _garble(text: str, wrong: str, right: str) -> str:
    return text.encode(right).decode("gb18030" if wrong == "gbk" else wrong)


CASES = [
    (_garble("因为我们", "gbk", "utf-8"), "因为我们"),
    (_garble("中文新闻中心", "gbk", "utf-8"), "中文新闻中心"),
    (_garble("中文新闻", "latin-1", "gbk"), "中文新闻"),
    (_garble("中文新闻", "cp1252", "utf-8"), "中文新闻"),
    (_garble("歡迎光臨", "latin-1", "big5"), "歡迎光臨"),
    ("前文" + _garble("双方还将互派人员挂职锻炼", "gbk", "utf-8") + "。后文", "前文双方还将互派人员挂职锻炼。后文"),
]


@pytest.mark.parametrize("garbled, original", CASES)
def test_wrongly_decoded_text_is_read_again(garbled, original):
    result = fix_mojibake(garbled)
    assert result.text == original
    assert result.findings and result.findings[0][0] == "mojibake"


def test_characters_lost_for_good_are_marked_and_reported():
    result = fix_mojibake("公司锟斤拷锟斤拷召开会议")
    assert result.text == "公司?召开会议"
    assert result.findings[0][3] is True


def test_uninitialised_memory_garbage_is_reported_not_removed():
    result = fix_mojibake("烫烫烫烫烫烫")
    assert result.text == "烫烫烫烫烫烫" and result.findings and result.findings[0][3] is False


@pytest.mark.parametrize(
    "text",
    [
        "朱镕基同志、王喆和李堃出席会议",  # GBK-only characters in Simplified names
        "本公司的軟體透過網路提供資訊服務",
        "社區中心公佈暑期活動安排",
        "Müller café naïve — “quoted”",
        "銀行（háng）",
        "罂粟",
    ],
)
def test_correct_text_is_never_re_read(text):
    assert fix_mojibake(text).text == text


def test_plausibility_separates_chinese_from_garbage():
    assert plausibility("东方智联装备集团召开会议") > 0.9
    assert plausibility(_garble("东方智联装备集团召开会议", "gbk", "utf-8")) < 0.6
    assert is_common("发") and is_common("發") and is_common("，") and not is_common("犱")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fix_never_raises_and_is_stable(text):
    once = fix_mojibake(text).text
    assert fix_mojibake(once).text == once
