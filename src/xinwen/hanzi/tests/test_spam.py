"""Spam titles and injected link blocks: what a hijacked page looks like, and what an ordinary one does."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from xinwen.hanzi.spam import black_keywords, hijack_scripts, strip_injected_links, title_segments, title_verdict

HEADING = "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行"
SEED_TITLE = (
    "国产精品无码av在线毛片互動交流_欧美日韩国产中文在线亚洲综合_思思99re66在线精品免费观看_欧美 日韩激情电影在线观看_"
    "成年双人啦啦操全套免费软件_中文字幕不卡欧美日韩免费_国产成人一级电影视频_911爆料网八卦有理回家的路_久久精品国产亚洲AV豆腐_销魂av无码玉足性色"
)

SPAM = [  # (title, heading, body script, a word the reasons must contain)
    (SEED_TITLE, HEADING, "zh-hant", "黑词"),
    (SEED_TITLE, HEADING, "zh-hant", "关键词堆砌"),
    ("澳门新葡京娱乐城-百家乐真人娱乐-时时彩开户送彩金-体育投注", HEADING, "zh-hans", "黑词"),
    ("在线观看丨高清电影丨美女视频丨免费观看丨午夜福利丨激情电影", HEADING, "zh-hans", "关键词堆砌"),
    ("无码高清,欧美日韩,中文字幕,免费观看,成人影院", HEADING, "zh-hans", "黑词"),
    ("百家乐/娱乐城/时时彩/六合彩/真人娱乐", HEADING, "zh-hans", "黑词"),
    ("歐美日韓無碼高清線上看", HEADING, "zh-hans", "黑词"),  # in Traditional characters
    ("最新热门八卦爆料大全免费在线观看高清无删减版合集", HEADING, "zh-hans", "可疑词"),
    ("台湾软件信息服务最新资讯平台官方网站入口", "本公司推出新一代軟體平臺 提升資訊服務品質", "zh-hant", "简体标题配繁体正文"),
]
CLEAN = [  # (title, heading, body script)
    (f"{HEADING}_新闻中心_东方智联装备集团", HEADING, "zh-hant"),
    (f"{HEADING} - 新闻中心", HEADING, "zh-hans"),
    (HEADING, HEADING, "zh-hans"),
    ("东方智联装备集团", HEADING, "zh-hans"),  # many sites put just their name in <title>
    ("关于举办成人教育专升本考试的通知_通知公告", "关于举办成人教育专升本考试的通知", "zh-hans"),
    ("一级建造师考试报名工作顺利完成", "一级建造师考试报名工作顺利完成", "zh-hans"),
    ("亚洲制造业论坛在沪开幕 欧美日韩企业代表参会", "亚洲制造业论坛在沪开幕 欧美日韩企业代表参会", "zh-hans"),
    ("本公司推出新一代軟體平臺 - 最新消息", "本公司推出新一代軟體平臺", "zh-hant"),
]


@pytest.mark.parametrize("title, heading, script, reason", SPAM)
def test_spam_titles_are_recognised_with_their_reasons(title, heading, script, reason):
    verdict = title_verdict(title, heading=heading, body_script=script)

    assert verdict.spam
    assert any(reason in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize("title, heading, script", CLEAN)
def test_ordinary_titles_are_not_spam(title, heading, script):
    assert not title_verdict(title, heading=heading, body_script=script, site_names=["新闻中心", "通知公告"]).spam


@pytest.mark.parametrize(
    "title, segments",
    [("a_b_c", 3), ("a - b - c", 3), ("a,b，c", 3), ("a丨b｜c", 3), ("a/b", 2), ("COVID-19 防控", 1), ("", 0)],
)
def test_title_segments_split_on_the_separators_spammers_use(title, segments):
    assert len(title_segments(title)) == segments


def test_black_keywords_match_in_either_script_and_tell_strong_from_weak():
    strong, weak = black_keywords("歐美日韓 無碼 成人 高清")
    assert strong == ["无码"] and weak == ["欧美日韩", "成人", "高清"]
    assert black_keywords("集团召开安全生产工作会议") == ([], [])


INJECTED = [
    '<div style="display:none"><a href="http://spam.example/">百家乐</a><a href="http://spam.example/2">娱乐城</a></div>',
    '<div style="position:absolute; left:-9999px"><a href="http://spam.example/">link</a></div>',
    '<p style="font-size:0"><a href="http://spam.example/">一级毛片</a></p>',
    '<marquee height="1" width="1"><a href="http://spam.example/">时时彩</a></marquee>',
    '<div hidden><a href="https://spam.example/">x</a></div>',
    '<span style="visibility:hidden">澳门新葡京娱乐城</span>',
    '<ul><li><a href="/a">百家乐</a></li><li><a href="/b">娱乐城开户</a></li></ul>',  # visible, but a spam list
]


@pytest.mark.parametrize("block", INJECTED)
def test_injected_link_blocks_are_removed_and_the_article_stays(block):
    markup = f"<p>正文第一段。</p>{block}<p>正文第二段。</p>"

    cleaned, found = strip_injected_links(markup, host="www.dfzl.example")

    assert "正文第一段" in cleaned and "正文第二段" in cleaned
    assert "spam.example" not in cleaned and "百家乐" not in cleaned and "新葡京" not in cleaned
    assert len(found) == 1 and found[0].reason


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="menu" style="display:none"><a href="/about/">关于我们</a><a href="http://www.dfzl.example/news/">新闻</a></div>',
        '<p>详见<a href="http://www.gov.example/">政府网站</a>。</p>',
        '<p style="text-indent:2em">正文缩进两个字。</p>',
        "<p>亚洲制造业论坛在沪开幕。</p>",
    ],
)
def test_ordinary_markup_is_kept(markup):
    cleaned, found = strip_injected_links(markup, host="dfzl.example")
    assert found == [] and cleaned == markup


def test_cloaking_scripts_are_recognised():
    root = lxml_html.document_fromstring(
        "<html><body><script>if(document.referrer.indexOf('baidu')>0){window.location='http://spam.example/'}</script>"
        "<script>var a = 1;</script></body></html>"
    )
    assert len(hijack_scripts(root)) == 1


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text())
def test_title_verdict_never_raises(title, heading):
    title_verdict(title, heading=heading, body_script="zh-hant")
