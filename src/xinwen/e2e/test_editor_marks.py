"""The editor's 不转换 button: a marked name stays as written in every script."""

import secrets

import pytest
from playwright.sync_api import expect

from xinwen.e2e.test_browser import _fill_article, _log_in_as_editor, _visit

pytestmark = pytest.mark.browser


def test_no_convert_mark_survives_saving_and_conversion(browser, xinwen_server):
    title = f"范晓明出席发展论坛（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="论坛摘要。", paragraphs=["范晓明出席发展论坛"])
        editor = page.locator(".field-body .ProseMirror[contenteditable='true']")
        # Select the name (the first three characters) the way an editor would, then mark it.
        editor.click()
        page.keyboard.press("Home")
        for _ in range(3):
            page.keyboard.press("Shift+ArrowRight")
        page.locator(".field-body .prose-menubar").get_by_text("不转换", exact=True).click()
        expect(editor.locator('span[translate="no"]')).to_have_text("范晓明")
        page.get_by_role("button", name="发布", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("已发布")

    with _visit(browser, xinwen_server) as reader:
        reader.goto("/zh-hant/")
        reader.get_by_role("link", name="範曉明出席發展論壇", exact=False).first.click()
        body = reader.locator(".article-body")
        # The marked name is kept as written; the rest of the sentence is converted.
        expect(body).to_contain_text("范晓明出席發展論壇")
        expect(body.locator('span[translate="no"]')).to_have_text("范晓明")
