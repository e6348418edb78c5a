"""What readers and editors do, in a real browser against a real server.

Full-page screenshots go to test-artifacts/screenshots/ at the repository root, so that a
person can see at a glance that the pages render (CJK fonts included).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import expect
    expect.set_options(timeout=10_000)
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from xinwen.e2e.conftest import Server

pytestmark = pytest.mark.browser

SITE_NAME = "东方智联装备集团"
SECTIONS = ["公司新闻", "行业动态", "通知公告", "媒体报道"]
SEED_TITLE = "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行"


def _screenshot(page, folder: Path, name: str) -> None:
    path = folder / name
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")


# Every document reports what its Content-Security-Policy blocked, to the test (a binding that
# survives navigations) and into window.__cspViolations (for a look from the page itself).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const report = {
    page: location.href, directive: event.violatedDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  };
  window.__cspViolations.push(report);
  if (window.__xinwenCspViolation) window.__xinwenCspViolation(JSON.stringify(report));
});
"""


@contextmanager
def _visit(browser, server: Server, *, locale: str = "zh-CN", timezone_id: str = "Asia/Shanghai", **options) -> Iterator:
    """A fresh browser session (no cookies), by default a reader in Shanghai; fails on any JavaScript
    error and on anything the Content-Security-Policy blocked.

    `options` go to Playwright's new_context (user_agent, java_script_enabled, ...). The page's
    `csp_violations` list holds what was blocked so far (a test that provokes a violation clears it).
    """
    context = browser.new_context(
        base_url=server.url,
        locale=locale,
        timezone_id=timezone_id,
        viewport={"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(10_000)
    violations: list[str] = []
    context.expose_binding("__xinwenCspViolation", lambda source, report: violations.append(report))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.csp_violations = violations
    # The article form asks before leaving with unsaved changes (editorial/static/editorial/autosave.js);
    # a test that walks on means to leave. Other dialogs keep Playwright's default: dismissed.
    page.on("dialog", lambda dialog: dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))

    def console(message):
        # Chromium also logs each violation, including those no event reaches (a blocked frame).
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: console: {message.text}")

    page.on("console", console)
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
    assert not violations, f"the Content-Security-Policy blocked something: {violations}"


# Cookies of the editor's session per server, kept after the first login (see _log_in_as_editor).
_SESSIONS: dict[str, list] = {}


def _log_in_as_editor(page, server: Server, *, fresh: bool = False) -> None:
    """Log in as the demo's editor, password and authenticator code, as a person does.

    Later calls on the same server open the admin with that session's cookies, like a
    browser that stays logged in: a code is accepted once per 30-second step, so every new
    login waited for the clock (most of the browser tests' time). `fresh` always logs in.
    """
    saved = None if fresh else _SESSIONS.get(server.url)
    if saved:
        page.context.add_cookies(saved)
        page.goto("/admin/")
        if page.locator("#user-tools").filter(has_text="editor").count():
            return
        page.context.clear_cookies()  # the session ended meanwhile (a logout): log in again
    page.goto("/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", server.editor_password)
    page.get_by_role("button", name="登录").click()
    # The second factor: the code from the editor's authenticator app.
    expect(page).to_have_url(re.compile(r"/admin/otp/verify/"))
    page.fill("#id_code", server.editor_code())
    page.get_by_role("button", name="验证").click()
    expect(page.locator("#user-tools")).to_contain_text("editor")
    _SESSIONS[server.url] = page.context.cookies()


def _fill_article(page, *, title: str, category: str, summary: str, paragraphs: list[str]) -> None:
    """Fill the add form; the body is typed into the prose editor like a person would."""
    page.goto("/admin/news/article/add/")
    page.fill("#id_title", title)
    page.select_option("#id_category", label=category)
    page.fill("#id_summary", summary)
    # The textarea is hidden once the editor has initialised and shows its contenteditable.
    editor = page.locator(".field-body .ProseMirror[contenteditable='true']")
    expect(editor).to_be_visible()
    editor.click()
    for index, paragraph in enumerate(paragraphs):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    expect(editor.locator("p")).to_have_text(paragraphs)


def _changelist_row(page, title: str):
    return page.locator("#result_list tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))


def test_reader_browses_home_category_and_seed_article(browser, xinwen_server, screenshots):
    with _visit(browser, xinwen_server) as page:
        page.goto("/")
        expect(page).to_have_title(re.compile(SITE_NAME))
        expect(page.locator(".site-name")).to_have_text(SITE_NAME)
        for heading in ["最新动态", *SECTIONS]:
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        blocks = page.locator("section.block")
        assert blocks.count() >= len(SECTIONS) + 1
        for block in blocks.all():
            expect(block.locator("a[href^='/article/']").first).to_be_visible()
        _screenshot(page, screenshots, "home.png")

        page.locator(".site-nav").get_by_role("link", name="公司新闻", exact=True).click()
        expect(page).to_have_url(re.compile(r"/category/company/$"))
        expect(page.locator("h1")).to_have_text("公司新闻")
        expect(page.locator("nav.breadcrumb")).to_contain_text(re.compile(r"当前位置.*首页.*新闻中心.*公司新闻"))
        expect(page.locator(".article-list a[href^='/article/']").first).to_be_visible()
        _screenshot(page, screenshots, "category.png")

        # The seed article is from 2023: page through 新闻中心 until its link shows up.
        page.locator("nav.breadcrumb").get_by_role("link", name="新闻中心").click()
        expect(page.locator("h1")).to_have_text("新闻中心")
        seed_link = page.get_by_role("link", name=SEED_TITLE, exact=True)
        number = 1
        while not seed_link.count():
            number += 1
            assert number <= 10, f"「{SEED_TITLE}」is not listed in 新闻中心"
            page.get_by_role("link", name="下一页").click()
            expect(page).to_have_url(re.compile(rf"\?page={number}$"))
            page.wait_for_load_state()
        seed_link.click()

        expect(page.locator("h1")).to_have_text(SEED_TITLE)
        assert SEED_TITLE in page.evaluate("document.title")
        breadcrumb = page.locator("nav.breadcrumb")
        for part in ["当前位置", "首页", "新闻中心"]:
            expect(breadcrumb).to_contain_text(part)
        meta = page.locator(".article .meta")
        expect(meta).to_contain_text(re.compile(r"发布时间[:：]\s*2023-04-24"))
        expect(meta).to_contain_text(re.compile(r"浏览次数[:：]\s*275\b"))
        expect(page.locator(".article-body")).to_contain_text("陈吉宁代表上海市委、市政府")
        _screenshot(page, screenshots, "article.png")


def test_editor_publishes_article_and_reader_sees_it(browser, xinwen_server, screenshots):
    title = f"集团智能产线正式投运（测试{secrets.token_hex(3)}）"
    paragraphs = ["集团首条智能产线今日正式投运，实现全流程数字化管控。", "产线年产能预计提升三成。"]

    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server, fresh=True)  # the whole login, whatever ran before
        _fill_article(
            page, title=title, category="新闻中心 > 公司新闻", summary="智能产线投运。", paragraphs=paragraphs
        )
        _screenshot(page, screenshots, "admin-edit.png")
        page.get_by_role("button", name="发布", exact=True).click()

        expect(page).to_have_url(re.compile(r"/admin/news/article/$"))
        expect(page.locator(".messagelist")).to_contain_text(f"「{title}」已发布。")
        expect(_changelist_row(page, title)).to_contain_text("已发布")
        _screenshot(page, screenshots, "admin-list.png")

    with _visit(browser, xinwen_server) as reader:
        reader.goto("/")
        latest = reader.locator("section.block").filter(has=reader.get_by_role("heading", name="最新动态"))
        latest.get_by_role("link", name=title, exact=True).click()
        expect(reader.locator("h1")).to_have_text(title)
        expect(reader.locator(".preview-banner")).to_have_count(0)
        for paragraph in paragraphs:
            expect(reader.locator(".article-body")).to_contain_text(paragraph)


def test_draft_is_not_found_for_readers(browser, xinwen_server):
    title = f"尚未发布的草稿（测试{secrets.token_hex(3)}）"

    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 通知公告", summary="", paragraphs=["草稿正文。"])
        page.get_by_role("button", name="保存", exact=True).click()

        expect(page.locator(".messagelist")).to_contain_text(title)
        row = _changelist_row(page, title)
        expect(row).to_contain_text("草稿")
        change_url = row.get_by_role("link", name=title, exact=True).get_attribute("href")
        public_url = "/article/{}/".format(re.search(r"/(\d+)/change/", change_url).group(1))
        # Staff may preview it, marked as such.
        page.goto(public_url)
        expect(page.locator(".preview-banner")).to_contain_text("草稿")

    with _visit(browser, xinwen_server) as reader:
        response = reader.goto(public_url)
        assert response.status == 404, f"a draft answered {response.status} to an anonymous reader"
        expect(reader.locator("h1")).to_have_text("页面不存在")
        expect(reader.locator("body")).not_to_contain_text(title)
        reader.goto("/")
        expect(reader.get_by_role("link", name=title)).to_have_count(0)
