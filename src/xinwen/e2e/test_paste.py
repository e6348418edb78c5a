"""Pasting from Word into the real editor: lists, alignment and the header row reach the editor and the page."""

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from xinwen.e2e.test_browser import _fill_article, _log_in_as_editor, _visit

pytestmark = pytest.mark.browser

WORD = Path(__file__).resolve().parents[1] / "news" / "tests" / "fixtures" / "paste" / "word-notice.html"
# What the clipboard holds after Ctrl+C in Word: text/html (Word's own markup) beside text/plain.
PASTE = """(html) => {
  const editor = document.querySelector(".field-body .ProseMirror[contenteditable='true']");
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "l 检查范围");
  editor.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def test_a_word_notice_pasted_into_the_editor_keeps_its_lists_alignment_and_header_row(browser, xinwen_server):
    title = f"关于开展示例安全检查的通知（粘贴测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 通知公告", summary="粘贴测试。", paragraphs=["以下内容从 Word 粘贴："])
        editor = page.locator(".field-body .ProseMirror[contenteditable='true']")
        page.keyboard.press("Enter")
        page.evaluate(PASTE, WORD.read_text(encoding="utf-8"))
        # In the editor at once: real lists (nested), the 落款 on the right, the title centred, a header row.
        expect(editor.locator("ul > li")).to_have_count(4)
        expect(editor.locator("ul ul > li")).to_have_text(["上旬：自查", "下旬：抽查"])
        expect(editor.locator("ol > li")).to_have_count(2)
        expect(editor.locator("p.align-right")).to_have_text(["示例集团办公室", "示例年示例月示例日"])
        expect(editor.locator("p.align-center")).to_contain_text("关于开展示例安全检查的通知")
        # The header row first, then the data: no empty rows made of the markup's line breaks.
        expect(editor.locator("table tr")).to_have_count(2)
        expect(editor.locator("table tr").first.locator("th")).to_have_text(["部门", "负责人"])
        expect(page.locator(".xw-paste-status")).to_contain_text("已按 Word/WPS 的结构粘贴")
        assert not editor.locator("p", has_text="l\u00a0").count()  # no Wingdings bullet letter
        page.get_by_role("button", name="发布", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("已发布")

    with _visit(browser, xinwen_server) as reader:
        reader.goto("/category/notices/")
        reader.get_by_role("link", name=title).first.click()
        body = reader.locator(".article-body")
        expect(body.locator("ul ul > li")).to_have_text(["上旬：自查", "下旬：抽查"])
        expect(body.locator("ol > li")).to_have_count(2)
        expect(body.locator("p.align-right")).to_have_text(["示例集团办公室", "示例年示例月示例日"])
        expect(body.locator("table tr")).to_have_count(2)
        expect(body.locator("table tr").first.locator("th")).to_have_text(["部门", "负责人"])
