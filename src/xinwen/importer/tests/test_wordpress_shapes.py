"""Two shapes the real WordPress test found: the password form of block themes and feeds, and WXR dates in GMT."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from xinwen.importer.errors import SkippedPage
from xinwen.importer.feeds import parse_xml, wxr_entries
from xinwen.importer.pipeline import Source, page_prepare
from xinwen.importer.tests.test_feeds import export, item

FORM = ('<form action="http://wp.example/wp-login.php?action=postpass" class="post-password-form" method="post">'
        '<p>This content is password protected.</p><p><input name="post_password" type="password"></p></form>')  # fmt: skip


def test_a_block_theme_page_showing_the_password_form_is_skipped():
    # Twenty Twenty-Three marks no post-password-required class on <body>; only the form tells.
    page = (f'<html><body class="single single-post postid-48"><h1 class="wp-block-post-title">内部通报</h1>'
            f'<div class="wp-block-post-date"><time datetime="2022-10-09T10:00:00+08:00">2022-10-09</time></div>'
            f'<div class="entry-content wp-block-post-content">{FORM}</div></body></html>')  # fmt: skip
    with pytest.raises(SkippedPage, match="密码"):
        page_prepare(Source(ref="http://wp.example/news/48.html", kind="html", data=page.encode()), tz=ZoneInfo("UTC"))


def test_a_feed_item_carrying_the_password_form_is_skipped():
    entry = {"title": "内部通报", "link": "http://wp.example/news/48.html", "body_html": FORM, "published": "2022-10-09 10:00:00"}
    with pytest.raises(SkippedPage, match="密码"):
        page_prepare(Source(ref=entry["link"], kind="entry", entry=entry), tz=ZoneInfo("UTC"))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Honolulu"])
def test_a_wxr_date_is_the_same_moment_whatever_our_time_zone(zone):
    # The old site ran in UTC+8: post_date 08:00 there is post_date_gmt 00:00.
    data = export(item(1, "公开的文章")).replace(b"</wp:post_date>", b"</wp:post_date><wp:post_date_gmt>2019-05-06 00:00:00</wp:post_date_gmt>")
    entry = wxr_entries(parse_xml(data), tz=ZoneInfo(zone))[0]
    page = page_prepare(Source(ref=entry["link"], kind="entry", entry=entry), tz=ZoneInfo(zone))

    assert page.publish_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") == "2019-05-06 08:00"
