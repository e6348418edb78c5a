"""The Content-Security-Policy in a real browser: nothing a reader or an editor uses is blocked by it.

Every session opened by `_visit` fails on any violation the browser reports (the
`securitypolicyviolation` event and Chromium's console message), so these tests walk
through the pages and the interactions that use script: the beacon, the script switcher,
the rich-text editor, the statistics charts, the API docs.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from xinwen.e2e.test_browser import _log_in_as_editor, _visit, expect
from xinwen.e2e.test_stats import DESKTOP, NOT_AUTOMATED, _is_beacon

if TYPE_CHECKING:
    from xinwen.e2e.conftest import Server

pytestmark = pytest.mark.browser

PUBLIC_SCRIPT_SRC = "script-src 'self'"
REQUIRED = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]


def _policy(response) -> str:
    policy = response.headers.get("content-security-policy", "")
    for directive in REQUIRED:
        assert directive in policy, f"{response.url}: {directive!r} missing from {policy!r}"
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0], policy
    assert "unsafe-eval" not in policy, policy
    return policy


def _script_src(policy: str) -> str:
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("script-src"))


def test_policy_blocks_an_injected_inline_script_and_the_test_sees_it(browser, xinwen_server: Server):
    """The control: an inline script slipped into a public page does not run, and is reported."""
    with _visit(browser, xinwen_server) as page:
        page.goto("/")
        ran = page.evaluate(
            """() => new Promise((resolve) => {
                window.__injected = false;
                const script = document.createElement("script");
                script.textContent = "window.__injected = true";
                document.body.append(script);
                setTimeout(() => resolve(window.__injected), 200);
            })"""
        )
        assert ran is False
        expect(page.locator("body")).to_be_visible()
        assert any("script-src" in report for report in page.csp_violations), page.csp_violations
        assert page.evaluate("window.__cspViolations.length") >= 1
        page.csp_violations.clear()  # provoked on purpose


def test_reader_pages_run_under_the_policy(browser, xinwen_server: Server):
    with _visit(browser, xinwen_server, user_agent=DESKTOP) as page:
        page.context.add_init_script(NOT_AUTOMATED)  # a person's browser, so the beacon counts
        home = page.goto("/")
        assert _script_src(_policy(home)) == PUBLIC_SCRIPT_SRC  # no nonce on a page any reader may be served
        page.locator(".site-nav").get_by_role("link", name="公司新闻", exact=True).click()
        expect(page.locator("h1")).to_have_text("公司新闻")

        link = page.locator(".article-list a[href^='/article/']").first
        with page.expect_response(_is_beacon) as beacon:
            article = page.goto(link.get_attribute("href"))
        assert _script_src(_policy(article)) == PUBLIC_SCRIPT_SRC
        answer = json.loads(beacon.value.text())
        assert answer["counted"] is True
        expect(page.locator(".view-count")).to_have_text(str(answer["views"]))  # beacon.js updated the page
        # JSON-LD is data: the policy does not apply to it, and the page still carries it.
        blocks = page.locator("script[type='application/ld+json']")
        assert blocks.count() >= 1
        kinds = {json.loads(text)["@type"] for text in blocks.all_text_contents()}
        assert "NewsArticle" in kinds

        page.locator("header .site-search input[type=search]").fill("安全生产")
        page.locator("header .site-search input[type=search]").press("Enter")
        page.wait_for_url("**/search/?q=*")
        expect(page.locator("ol.search-results > li").first).to_be_visible()

        # The zh-tw variant, and the switcher's script (it remembers the choice).
        page.goto("/zh-tw/")
        page.locator(".script-switcher a[data-variant='zh-hk']").click()
        page.wait_for_url(re.compile(r"/zh-hk/$"))
        assert page.evaluate("localStorage.getItem('xinwen-script')") == "zh-hk"
        missing = page.goto("/article/999999999/")
        assert missing.status == 404
        _policy(missing)


def test_editor_pages_run_under_the_policy(browser, xinwen_server: Server):
    with _visit(browser, xinwen_server) as page:
        login = page.goto("/admin/login/")
        _policy(login)
        _log_in_as_editor(page, xinwen_server)

        form = page.goto("/admin/news/article/add/")
        policy = _policy(form)
        # The editor's import map is the one inline script, allowed by this response's nonce.
        assert re.fullmatch(r"script-src 'self' 'nonce-[A-Za-z0-9+/=]+'", _script_src(policy)), policy
        editor = page.locator(".field-body .ProseMirror[contenteditable='true']")
        expect(editor).to_be_visible()
        editor.click()
        page.keyboard.type("安全生产")
        # ProseMirror reads typed text from the DOM after the key events: select only once it has, or a
        # busy machine selects before the text is in the document and bold applies to nothing.
        expect(editor).to_have_text("安全生产")
        page.keyboard.press("Shift+Home")
        page.wait_for_function("() => getSelection().toString() === '安全生产'")
        menubar = page.locator(".field-body .prose-menubar")
        menubar.locator("[title='加粗']").click()
        expect(editor.locator("strong")).to_have_text("安全生产")
        page.keyboard.press("End")
        page.keyboard.press("Enter")
        menubar.locator("[title='分隔线']").click()
        expect(editor.locator("hr")).to_have_count(1)
        menubar.locator("[title='插入表格']").click()
        dialog = page.locator("dialog[open]")
        if dialog.count():  # the editor asks for the size of the table
            dialog.locator("button[type=submit], button.default, button").first.click()
        expect(editor.locator("table")).to_have_count(1)
        editor.locator("td, th").first.click()
        page.keyboard.type("表格")
        expect(editor.locator("table")).to_contain_text("表格")

        # Every screen of the back office the editor reaches from its index: lists and add forms.
        page.goto("/admin/")
        screens = sorted({link.get_attribute("href") for link in page.locator("#content-main a[href^='/admin/']").all()})
        assert "/admin/news/article/" in screens and "/admin/importer/importrecord/" in screens, screens
        for url in screens:
            response = page.goto(url)
            assert response.status == 200, url
            _policy(response)
        page.goto("/admin/news/article/")
        page.locator("#result_list tbody tr th a").first.click()
        expect(page.locator(".field-body .ProseMirror[contenteditable='true']")).to_be_visible()
        page.get_by_role("link", name="版本与操作记录").click()
        expect(page.locator("#content h1")).to_be_visible()

        stats = page.goto("/admin/stats/dailyviews/")
        _policy(stats)
        expect(page.locator("svg.xw-chart")).to_have_count(2)

        imports = page.goto("/admin/importer/importrecord/")
        _policy(imports)
        expect(page.locator("#content h1")).to_be_visible()


def test_api_docs_render_under_the_policy(browser, xinwen_server: Server):
    with _visit(browser, xinwen_server) as page:
        docs = page.goto("/api/v1/docs")
        _policy(docs)
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
        assert page.locator(".swagger-ui .opblock").count() >= 3
        page.locator(".swagger-ui .opblock-summary").first.click()
        expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()
