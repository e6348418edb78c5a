"""The article form and list as an editor sees them at 1280 px: a Chinese editor toolbar, wide titles, every column.

Screenshots: editor-toolbar-zh.png, editor-table-dialog-zh.png, admin-list-1280.png.
"""

from __future__ import annotations

import re

import pytest

from xinwen.e2e.test_browser import _log_in_as_editor, _screenshot, _visit, expect

pytestmark = pytest.mark.browser

ENGLISH = re.compile(r"\b(Heading|Insert|Include|Table|Rows|Columns|Update|Cancel|bold|italic|list|Paragraph)\b", re.I)


def test_the_editor_toolbar_menus_and_table_dialog_are_in_chinese(browser, xinwen_server, screenshots):
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        page.goto("/admin/news/article/add/")
        menubar = page.locator(".field-body .prose-menubar")
        expect(menubar).to_be_visible()
        titles = menubar.locator("[title]").evaluate_all("(els) => els.map((el) => el.getAttribute('title'))")
        assert titles and "加粗" in titles and "插入表格" in titles, titles
        assert not [t for t in titles if ENGLISH.search(t)], titles

        # The block-type dropdown: its options, and an arrow drawn without any font glyph.
        dropdown = menubar.locator(".prose-menubar__dropdown").first
        arrow = dropdown.locator(".prose-menubar__selected").evaluate(
            "(el) => { const s = getComputedStyle(el, '::after'); return [s.content, s.borderTopStyle, s.borderTopWidth]; }"
        )
        assert arrow[0] in ('""', "none") and arrow[1] == "solid" and arrow[2] != "0px", arrow
        options = dropdown.locator(".prose-menubar__option").all_inner_texts()
        assert "标题 2" in " ".join(options) and not [o for o in options if ENGLISH.search(o)], options
        _screenshot(page, screenshots, "editor-toolbar-zh.png")

        menubar.locator('[title="插入表格"]').click()
        dialog = page.locator("dialog[open]")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("包含表头行")
        expect(dialog).to_contain_text("行数")
        text = dialog.inner_text()
        assert not ENGLISH.search(text), text
        dialog.screenshot(path=screenshots / "editor-table-dialog-zh.png")


def test_a_long_chinese_title_is_fully_visible_and_the_list_shows_every_column_at_1280(browser, xinwen_server, screenshots):
    title = "国务院国资委召开中央企业科技创新工作推进会暨智能制造与工业互联网融合发展经验交流现场会议（第二次）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        page.goto("/admin/news/article/add/")
        page.fill("#id_title", title)
        box = page.locator("#id_title")
        # Nothing scrolls out of sight: the box is at least as wide and tall as its text.
        assert box.evaluate("(el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 2")

        page.goto("/admin/news/article/")
        results = page.locator("#changelist .results")
        # The list scrolls sideways inside its box when it is too wide: it must not need to.
        assert results.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the article list scrolls sideways"
        edge = results.evaluate("(el) => el.getBoundingClientRect().right")
        for label in ("置顶", "浏览次数", "更新时间", "创建人"):
            header = page.locator("#result_list thead th").filter(has_text=label)
            expect(header).to_be_visible()
            right = header.evaluate("(el) => el.getBoundingClientRect().right")
            assert right <= min(edge, 1280) + 1, f"{label} ends at {right}px, the list at {edge}px"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        _screenshot(page, screenshots, "admin-list-1280.png")
