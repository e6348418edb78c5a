"""三审 in a real browser: four people, two sections, each level in order, a 退回 with a reason.

The demo gives 公司新闻 and 行业动态 the chain 初审 → 复审 → 终审 → 发布 and four section accounts
(site/demo_sections.py): reporter writes in 公司新闻 only; chushen (through the group 初审组),
fushen and zhongshen hold 初审, 复审 and 终审 + 发布 on 新闻中心. One 行业动态 article already
waits at 初审. Each person keeps one browser session for the whole walk.
"""

from __future__ import annotations

import re
import secrets
from contextlib import ExitStack

import pytest

from xinwen.e2e.test_browser import _fill_article, _screenshot, _visit

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

WAITING_TITLE = "智能装备产业联盟年会将于下月召开（待初审示例稿）"  # site/demo_sections.py


def _log_in(page, server, username: str) -> None:
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", server.passwords[username])
    page.get_by_role("button", name="登录").click()
    if username in server.otp_keys:  # reviewers and publishers need the second factor; a section author not
        expect(page).to_have_url(re.compile(r"/admin/otp/verify/"))
        page.fill("#id_code", server.code(username))
        page.get_by_role("button", name="验证").click()
    expect(page.locator("#user-tools")).to_contain_text(username)


def _inbox_count(page, queue: str):
    return page.locator(f'.xw-inbox-item[data-queue="{queue}"] .xw-inbox-count')


def _open(page, title: str) -> None:
    """Open an article from the article list (the reviewer's own view of it)."""
    page.goto("/admin/news/article/")
    page.locator("#result_list").get_by_role("link", name=title, exact=True).click()
    expect(page.locator("#id_title")).to_have_value(title)


def _press(page, button: str, note: str = "") -> None:
    if note:
        page.fill("#id__review_note", note)
    page.locator(f'.xw-workflow input[type="submit"][value="{button}"]').click()
    expect(page.locator(".messagelist")).to_be_visible()


def test_three_levels_in_two_sections_with_four_people(browser, xinwen_server, screenshots):
    title = f"集团召开质量月动员大会（三审测试{secrets.token_hex(3)}）"
    reason = "第二段缺少参会单位名单，请补充后再提交。"
    with ExitStack() as stack:
        reporter, first, second, final = (stack.enter_context(_visit(browser, xinwen_server)) for _ in range(4))
        for page, name in ((reporter, "reporter"), (first, "chushen"), (second, "fushen"), (final, "zhongshen")):
            _log_in(page, xinwen_server, name)

        # The author writes in their section only, and submits.
        _fill_article(
            reporter, title=title, category="新闻中心 > 公司新闻", summary="质量月动员。",
            paragraphs=["集团召开质量月动员大会，部署全年质量提升工作。"],
        )  # fmt: skip
        options = reporter.locator("#id_category option").all_inner_texts()
        assert "新闻中心 > 行业动态" not in options
        reporter.get_by_role("button", name="提交审核", exact=True).click()
        expect(reporter.locator(".messagelist")).to_contain_text("已提交审核")

        # The author of 公司新闻 does not see 行业动态's queue.
        reporter.goto("/admin/news/article/?queue=review1")
        expect(reporter.locator("#content")).not_to_contain_text(WAITING_TITLE)
        reporter.goto("/admin/news/article/")
        expect(reporter.locator("#content")).not_to_contain_text(WAITING_TITLE)

        # 初审 sees both sections' articles waiting at their level, and sends the new one back.
        first.goto("/admin/")
        expect(_inbox_count(first, "review1")).to_have_text("2")
        expect(first.locator('.xw-inbox-item[data-queue="review2"]')).to_have_count(0)
        _screenshot(first, screenshots, "review-inbox.png")
        first.locator('.xw-inbox-item[data-queue="review1"] a').click()
        expect(first.locator("#result_list")).to_contain_text(title)
        expect(first.locator("#result_list")).to_contain_text(WAITING_TITLE)
        _screenshot(first, screenshots, "review-queue.png")
        _open(first, title)
        expect(first.locator(".xw-review-chain")).to_contain_text("初审 → 复审 → 终审 → 发布（当前：初审）")
        _press(first, "退回修改", reason)

        # The author reads the reason, and resubmits.
        reporter.goto("/admin/")
        expect(_inbox_count(reporter, "rejected")).to_have_text("1")
        _open(reporter, title)
        expect(reporter.locator(".xw-review-banner")).to_contain_text(reason)
        reporter.get_by_role("button", name="提交审核", exact=True).click()
        expect(reporter.locator(".messagelist")).to_contain_text("已提交审核")

        # Each level in order, in both sections; the 复审 cannot act before the 初审.
        second.goto("/admin/")
        expect(_inbox_count(second, "review2")).to_have_text("0")
        for page, button in ((first, "初审通过"), (second, "复审通过"), (final, "终审通过")):
            for article in (title, WAITING_TITLE):
                _open(page, article)
                _press(page, button, "同意。")
                expect(page.locator(".messagelist")).to_contain_text("已审核通过")
        final.goto("/admin/")
        expect(_inbox_count(final, "approved")).to_have_text("2")
        addresses = []
        for article in (title, WAITING_TITLE):
            _open(final, article)
            addresses.append(final.locator(".object-tools a", has_text="预览").get_attribute("href"))
            final.get_by_role("button", name="发布", exact=True).click()
            expect(final.locator(".messagelist")).to_contain_text(f"「{article}」已发布。")

    with _visit(browser, xinwen_server) as reader:
        for article, address in zip((title, WAITING_TITLE), addresses):
            reader.goto(address)
            expect(reader.locator("h1")).to_have_text(article)
