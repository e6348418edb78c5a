"""Chinese-CMS metadata patterns: info lines, dates, breadcrumbs, old-URL keys."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from xinwen.importer.legacy import legacy_key
from xinwen.importer.metadata import (
    breadcrumb_items,
    count_labels,
    editor_note,
    is_breadcrumb,
    is_chrome_line,
    parse_datetime,
    parse_info_line,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

INFO = [  # (line, source, author, editor, published starts with, views)
    ("来源: 发布时间:2023-04-24 浏览次数:275", "", "", "", "2023-04-24", 275),
    ("來源：中央社　作者：林怡君　責任編輯：陳建宏　發布時間：2024-04-15 14:00　瀏覽次數：512", "中央社", "林怡君", "陳建宏", "2024-04-15 14:00", 512),
    ("发布时间：2024年9月26日 | 来源：集团工会 | 点击：1,024", "集团工会", "", "", "2024年9月26日", 1024),
    ("资料来源：滨江日报 作者：赵琳 责编：孙浩 日期：2023/11/08 阅读量：2405次", "滨江日报", "赵琳", "孙浩", "2023/11/08", 2405),
    ("文/张三 时间：2025-01-10 16:00:00 人气：88", "", "张三", "", "2025-01-10 16:00:00", 88),
    ("發佈時間：2023.10.03  點擊數：377", "", "", "", "2023.10.03", 377),
    ("出处：本站 更新时间：2024-07-02 点击量：<script>", "本站", "", "", "2024-07-02", None),
]


@pytest.mark.parametrize("line, source, author, editor, published, views", INFO)
def test_info_lines_of_every_cms_are_read(line, source, author, editor, published, views):
    info = parse_info_line(line)

    assert (info.source, info.author, info.editor, info.views) == (source, author, editor, views)
    assert info.published.startswith(published)
    assert count_labels(line) >= 2


DATES = [
    ("2023-04-24", datetime(2023, 4, 24, 12, 0)),  # a date alone: noon, so it is the same day everywhere
    ("2024-04-15 14:00", datetime(2024, 4, 15, 14, 0)),
    ("2024年9月26日", datetime(2024, 9, 26, 12, 0)),
    ("2023/11/08 10:00:30", datetime(2023, 11, 8, 10, 0, 30)),
    ("2023.10.03", datetime(2023, 10, 3, 12, 0)),
    ("发布于 2025年1月10日 16时05分", datetime(2025, 1, 10, 16, 5)),
    ("2023-02-30", None),
    ("昨天", None),
]


@pytest.mark.parametrize("text, expected", DATES)
def test_dates_in_the_formats_these_sites_use(text, expected):
    assert parse_datetime(text, SHANGHAI) == (expected.replace(tzinfo=SHANGHAI) if expected else None)


CRUMBS = [
    ("当前位置:首页 > 新闻中心 > 新闻中心详情", "", ["新闻中心"]),
    ("當前位置:首頁 > 新聞中心 > 新聞中心詳情", "", ["新聞中心"]),
    ("您现在的位置：网站首页 >> 新闻中心 >> 公司新闻 >> 正文", "", ["新闻中心", "公司新闻"]),
    ("您的位置：首页 » 通知公告 » 关于2025年春节放假安排的通知", "关于2025年春节放假安排的通知", ["通知公告"]),
    ("Current Location: Home > News > Company News", "", ["News", "Company News"]),
    ("当前位置：首页 > 新闻详情", "", ["新闻"]),
    ("位置：首页 / 媒体报道 / 详细内容", "", ["媒体报道"]),
    ("当前位置：首页 > 产品中心 > 汽车电子 > 汽车电子", "", ["产品中心", "汽车电子"]),
]


@pytest.mark.parametrize("text, title, items", CRUMBS)
def test_breadcrumbs_give_the_category_path(text, title, items):
    assert is_breadcrumb(text)
    assert breadcrumb_items(text, title=title) == items


def test_page_furniture_and_editor_notes_are_recognised():
    assert is_chrome_line("上一篇：公司召开会议") and is_chrome_line("【字体：大 中 小】") and is_chrome_line("分享到：")
    assert not is_chrome_line("上一年度，公司营业收入增长")
    assert editor_note("（责任编辑：张敏）") == "张敏" and editor_note("【编辑：李静】") == "李静"


@pytest.mark.parametrize(
    "url, key",
    [
        ("http://www.dfzl.example/news/123.html", "/news/123.html"),
        ("http://www.dfzl.example/plus/view.php?aid=123&mid=1", "/plus/view.php?aid=123"),
        ("http://WWW.dfzl.example/A/123.HTML", "/a/123.html"),
        ("http://blog.example/?p=88", "/?p=88"),
        ("http://www.dfzl.example/", ""),
        ("file:///tmp/page.html", ""),
    ],
)
def test_old_urls_are_keyed_by_path_and_article_id(url, key):
    assert legacy_key(url) == key
