"""The 内容检查 panel while typing: a listed word typed into a new article is listed and marked before saving."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from xinwen.e2e.test_browser import _fill_article, _log_in_as_editor, _screenshot, _visit

pytestmark = pytest.mark.browser

WORD = "久久精品"  # 禁止发布 in the starter lexicon (guard/lexicons/builtin.txt)


def test_a_typed_word_is_listed_unsaved_marked_on_click_and_not_saved_as_markup(browser, xinwen_server, screenshots):
    title = f"职工书画展开幕（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="书画展摘要。", paragraphs=["书画展今日开幕。"])
        editor = page.locator(".field-body .ProseMirror[contenteditable='true']")
        page.keyboard.press("Enter")
        page.keyboard.type(f"请勿转载到{WORD}等网站。")

        panel = page.locator("#content-check")
        row = panel.locator("tr.xw-finding").filter(has_text=WORD)
        expect(row).to_have_count(1)  # listed without saving
        expect(row).to_have_class(re.compile(r"xw-finding--block"))
        expect(row.locator("td").first).to_have_text("禁止发布")
        expect(page).to_have_url(re.compile(r"/admin/news/article/add/$"))
        # The counts also stand right under the body, where the editor types, linking down to the rows.
        summary = page.locator(".field-body + .xw-check-summary")
        expect(summary).to_contain_text("内容检查：禁止发布 1 处")
        expect(summary).to_have_class(re.compile(r"xw-check-summary--block"))
        expect(summary.get_by_role("link", name="查看")).to_have_attribute("href", "#content-check")

        row.click()
        hit = editor.locator(".xw-check-hit")
        expect(hit).to_have_count(1)
        expect(hit).to_have_text(WORD)
        expect(hit).to_be_in_viewport()
        _screenshot(page, screenshots, "content-check-unsaved.png")

        page.get_by_role("button", name="保存并继续编辑").click()
        expect(page).to_have_url(re.compile(r"/admin/news/article/\d+/change/$"))
        saved = page.locator("textarea[name='body']").evaluate("textarea => textarea.defaultValue")
        assert WORD in saved
        assert "xw-check" not in saved and "<p>书画展今日开幕。</p>" in saved
