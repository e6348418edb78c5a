"""The editors' desk in a real browser: the editorial calendar and the recycle bin.

Screenshots: calendar-week.png, calendar-month.png, recycle-bin.png in test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from xinwen.e2e.conftest import _wall_time
from xinwen.e2e.test_browser import _changelist_row, _fill_article, _log_in_as_editor, _screenshot, _visit, expect

pytestmark = pytest.mark.browser


def _server_today():
    """The server's date: its TIME_ZONE and the wall clock (a server is never moved by XINWEN_TEST_CLOCK)."""
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "Asia/Shanghai"))
    return datetime.fromtimestamp(_wall_time(), zone).date()


def _schedule(page, *, title: str, day) -> str:
    """Write an article, schedule it for `day` 09:30 and return its change URL."""
    _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="定时发布的测试稿。", paragraphs=["将在预定时间发布。"])
    page.fill("#id_publish_at_0", day.isoformat())
    page.fill("#id_publish_at_1", "09:30:00")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/news/article/$"))
    row = _changelist_row(page, title)
    expect(row).to_contain_text("定时发布")
    return row.get_by_role("link", name=title, exact=True).get_attribute("href")


def test_the_calendar_shows_a_scheduled_article_and_dragging_it_reschedules_it(browser, xinwen_server, screenshots):
    title = f"年度安全生产表彰大会（测试{secrets.token_hex(3)}）"
    day = _server_today() + timedelta(days=10)
    target = day + timedelta(days=1) if day.weekday() < 6 else day - timedelta(days=1)  # same week

    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _schedule(page, title=title, day=day)

        page.get_by_role("link", name="编辑日历").first.click()
        expect(page.locator("h1")).to_have_text("编辑日历")
        page.goto(f"/admin/news/article/calendar/?view=week&date={day}")
        entry = page.locator(f'td[data-date="{day}"] .xw-cal-entry').filter(has_text=title)
        expect(entry).to_contain_text("09:30")
        expect(entry).to_contain_text("定时发布")
        _screenshot(page, screenshots, "calendar-week.png")

        entry.drag_to(page.locator(f'td[data-date="{target}"]'))
        expect(page.locator(".messagelist")).to_contain_text(f"「{title}」的发布时间已改为 {target} 09:30。")
        expect(page.locator(f'td[data-date="{target}"] .xw-cal-entry').filter(has_text=title)).to_contain_text("09:30")
        expect(page.locator(f'td[data-date="{day}"] .xw-cal-entry').filter(has_text=title)).to_have_count(0)

        page.goto(f"/admin/news/article/calendar/?date={target}")
        expect(page.locator(f'td[data-date="{target}"]')).to_contain_text(title)
        _screenshot(page, screenshots, "calendar-month.png")


def test_without_script_the_form_reschedules(browser, xinwen_server):
    title = f"供应商大会筹备通知（测试{secrets.token_hex(3)}）"
    day = _server_today() + timedelta(days=12)
    later = day + timedelta(days=20)
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _schedule(page, title=title, day=day)
    with _visit(browser, xinwen_server, java_script_enabled=False) as page:
        _log_in_as_editor_without_script(page, xinwen_server)
        page.goto(f"/admin/news/article/calendar/?view=week&date={day}")
        entry = page.locator(f'td[data-date="{day}"] .xw-cal-entry').filter(has_text=title)
        entry.locator("summary").click()
        entry.locator('input[name="when"]').fill(f"{later}T16:45")
        entry.get_by_role("button", name="改期").click()
        expect(page.locator(".messagelist")).to_contain_text(f"「{title}」的发布时间已改为 {later} 16:45。")
        page.goto(f"/admin/news/article/calendar/?view=week&date={later}")
        expect(page.locator(f'td[data-date="{later}"] .xw-cal-entry').filter(has_text=title)).to_contain_text("16:45")


def _log_in_as_editor_without_script(page, server) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", server.editor_password)
    page.locator('input[type="submit"]').click()
    page.fill("#id_code", server.editor_code())
    page.locator('#content-main [type="submit"]').first.click()
    expect(page.locator("#user-tools")).to_contain_text("editor")


def test_delete_goes_to_the_recycle_bin_and_restore_brings_it_back(browser, xinwen_server, screenshots):
    title = f"职工运动会圆满落幕（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="运动会。", paragraphs=["职工运动会落幕。"])
        page.get_by_role("button", name="发布", exact=True).click()
        row = _changelist_row(page, title)
        expect(row).to_contain_text("已发布")
        public_url = "/article/{}/".format(re.search(r"/(\d+)/change/", row.get_by_role("link", name=title, exact=True).get_attribute("href")).group(1))

        row.get_by_role("link", name=title, exact=True).click()
        page.locator("a.deletelink").click()
        expect(page.locator(".xw-delete-notice")).to_contain_text("移入回收站")
        expect(page.locator(".xw-delete-notice")).to_contain_text("30 天")
        page.get_by_role("button", name="移入回收站").click()
        expect(page.locator(".messagelist")).to_contain_text(f"「{title}」已移入回收站")
        expect(_changelist_row(page, title)).to_have_count(0)

        with _visit(browser, xinwen_server) as reader:
            assert reader.goto(public_url).status == 404

        page.get_by_role("link", name="回收站").click()
        binned = page.locator(".xw-recycle-bin tbody tr").filter(has_text=title)
        expect(binned).to_contain_text("已发布")
        _screenshot(page, screenshots, "recycle-bin.png")
        binned.get_by_role("button", name="恢复").click()
        expect(page.locator(".messagelist")).to_contain_text(f"「{title}」已恢复，状态为「已发布」。")
        expect(page.locator(".xw-recycle-bin tbody tr").filter(has_text=title)).to_have_count(0)

    with _visit(browser, xinwen_server) as reader:
        reader.goto(public_url)
        expect(reader.locator("h1")).to_have_text(title)


def test_the_revision_page_shows_a_coloured_word_diff_and_the_body_side_by_side(browser, xinwen_server, screenshots):
    title = f"集团召开年度工作会议（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="", paragraphs=["会议部署全年任务。"])
        page.get_by_role("button", name="保存并继续编辑").click()
        expect(page.locator(".messagelist")).to_contain_text(title)
        page.fill("#id_title", title.replace("工作会议", "专题会议"))
        page.select_option("#id_category", label="新闻中心 > 行业动态")
        page.locator(".field-body .ProseMirror[contenteditable='true'] p").click()
        page.keyboard.press("End")
        page.keyboard.type("产能提升三成。")
        expect(page.locator(".field-body .ProseMirror[contenteditable='true']")).to_contain_text("产能提升三成。")  # in the document, not only in the key events
        page.get_by_role("button", name="保存并继续编辑").click()
        expect(page.locator(".messagelist")).to_contain_text("专题会议")

        page.get_by_role("link", name="版本与操作记录").click()
        latest = page.locator(".xw-version").first
        expect(latest.locator("td.xw-diff del").first).to_have_text("工作会议")
        expect(latest.locator("td.xw-diff ins").first).to_have_text("专题会议")
        expect(latest.locator(".xw-change-field").filter(has_text="栏目")).to_have_count(1)
        expect(latest).to_contain_text("行业动态")
        # The stylesheet is loaded: deletions are red, insertions green, the field column is wide.
        colour = latest.locator("td.xw-diff del").first.evaluate("(el) => getComputedStyle(el).backgroundColor")
        assert colour == "rgb(255, 215, 213)", colour
        width = latest.locator("th.xw-change-field").first.evaluate("(el) => el.getBoundingClientRect().width")
        assert width > 50, width
        expect(latest.locator(".xw-side--after")).to_contain_text("产能提升三成。")
        expect(latest.locator(".xw-side--before")).not_to_contain_text("产能提升三成。")
        _screenshot(page, screenshots, "revision-diff.png")


def test_typing_is_autosaved_as_a_draft_revision_and_leaving_warns(browser, xinwen_server):
    title = f"季度安全检查通报（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 通知公告", summary="", paragraphs=["检查覆盖全部厂区。"])
        page.get_by_role("button", name="发布", exact=True).click()
        row = _changelist_row(page, title)
        expect(row).to_contain_text("已发布")
        public_url = "/article/{}/".format(re.search(r"/(\d+)/change/", row.get_by_role("link", name=title, exact=True).get_attribute("href")).group(1))
        row.get_by_role("link", name=title, exact=True).click()

        leaves = "() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; }"
        page.wait_for_timeout(700)  # the form takes its clean state after the editor starts
        assert page.evaluate(leaves) is False, "an unchanged form must let the editor leave"
        page.locator(".field-body .ProseMirror[contenteditable='true'] p").first.click()
        page.keyboard.press("End")
        page.keyboard.type("整改已完成。")
        expect(page.locator(".field-body .ProseMirror[contenteditable='true']")).to_contain_text("整改已完成。")  # in the document, not only in the key events
        assert page.evaluate(leaves) is True, "leaving with unsaved changes must ask first"

        page.locator("#article_form").evaluate("(form) => form.dispatchEvent(new Event('xw-autosave-now'))")
        expect(page.locator(".xw-autosave-status")).to_contain_text("已自动保存")

    with _visit(browser, xinwen_server) as reader:
        reader.goto(public_url)
        expect(reader.locator(".article-body")).to_contain_text("检查覆盖全部厂区。")
        expect(reader.locator(".article-body")).not_to_contain_text("整改已完成。")

    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        page.goto(public_url.replace("/article/", "/admin/news/article/").rstrip("/") + "/revisions/")
        latest = page.locator(".xw-version").first
        expect(latest.locator("h3")).to_contain_text("自动保存")
        expect(latest.locator("td.xw-diff ins").first).to_contain_text("整改已完成")


def test_an_unpublish_time_takes_the_article_off_every_public_surface_without_any_job(browser, xinwen_server):
    """定时下线 set in the form: when its time passes the article leaves its page, the home page, the
    section list, the feed and search at once (the page cache expires on it; no cron, nobody edits)."""
    token = secrets.token_hex(3)
    title = f"限时公示测试{token}"
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "Asia/Shanghai"))
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="公示期内可见。", paragraphs=[f"公示内容{token}。"])
        offline = datetime.fromtimestamp(_wall_time(), zone) + timedelta(seconds=30)
        page.fill("#id_unpublish_at_0", offline.date().isoformat())
        page.fill("#id_unpublish_at_1", offline.strftime("%H:%M:%S"))
        page.get_by_role("button", name="发布", exact=True).click()
        row = _changelist_row(page, title)
        expect(row).to_contain_text("已发布")
        article_url = "/article/{}/".format(re.search(r"/(\d+)/change/", row.get_by_role("link", name=title, exact=True).get_attribute("href")).group(1))

    surfaces = {"首页": "/", "栏目": "/category/company/", "RSS": "/feeds/rss.xml", "搜索": "/search/?q=限时公示"}
    with _visit(browser, xinwen_server) as reader:
        assert reader.goto(article_url).status == 200
        for name, url in surfaces.items():  # each page is now stored in the page cache too
            reader.goto(url)
            assert article_url in reader.content(), f"{name} should list the article before its unpublish time"
        remaining = offline.timestamp() - _wall_time()
        assert remaining > 0, "the form took longer than the test allows; the check below would prove nothing"
        reader.wait_for_timeout((remaining + 1.5) * 1000)
    # A new visitor: the search page may stay up to a minute in the first one's own browser cache
    # (private, max-age=60); no shared cache and no stored page may keep it.
    with _visit(browser, xinwen_server) as reader:
        assert reader.goto(article_url).status == 404
        for name, url in surfaces.items():
            reader.goto(url)
            assert article_url not in reader.content(), f"{name} still shows the article after its unpublish time"
