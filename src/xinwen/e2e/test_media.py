"""Video and 图集 in a real browser: an editor uploads them in the back office, a reader plays and browses them."""

from __future__ import annotations

import io
import re
import secrets

import pytest
from PIL import Image

from xinwen.e2e.test_browser import _fill_article, _log_in_as_editor, _screenshot, _visit, expect
from xinwen.news.tests.mp4_sample import mp4_bytes

pytestmark = pytest.mark.browser

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n新厂区航拍\n".encode()


def _png(colour: tuple[int, int, int], size=(640, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _publish(page, title: str) -> None:
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"「{title}」已发布。")


def _article_path(page, title: str) -> str:
    page.goto(f"/admin/news/article/?q={title}")
    page.get_by_role("link", name=title, exact=True).click()
    return page.locator(".field-public_link a").get_attribute("href")


# Waits in the page for the video's metadata. Not wait_for_function with an expression: when it is not
# true at once, Playwright polls it with eval, which the site's CSP (script-src 'self') refuses.
METADATA = """() => new Promise((resolve, reject) => {
    const v = document.querySelector('.article-video video');
    if (v.readyState >= 1) return resolve(v.readyState);
    v.addEventListener('loadedmetadata', () => resolve(v.readyState), {once: true});
    setTimeout(() => reject(new Error('no video metadata after 15 s')), 15000);
})"""


def metadata_loaded(page) -> None:
    assert page.evaluate(METADATA) >= 1


def test_a_video_uploaded_by_the_editor_loads_and_plays(browser, xinwen_server, screenshots):
    title = f"新厂区航拍视频（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="新厂区航拍。", paragraphs=["新厂区全貌。"])
        page.set_input_files("#id_video", files=[{"name": "航拍.mp4", "mimeType": "video/mp4", "buffer": mp4_bytes(frames=40)}])
        page.set_input_files("#id_video_poster", files=[{"name": "封面.png", "mimeType": "image/png", "buffer": _png((30, 90, 160))}])
        page.set_input_files("#id_video_captions", files=[{"name": "字幕.vtt", "mimeType": "text/vtt", "buffer": VTT}])
        _publish(page, title)
        path = _article_path(page, title)

    with _visit(browser, xinwen_server) as reader:
        response = reader.goto(path)
        assert response.status == 200
        video = reader.locator(".article-video video")
        expect(video).to_have_attribute("preload", "metadata")
        expect(video).to_have_attribute("poster", re.compile(r"^/media/covers/"))
        expect(video.locator("source")).to_have_attribute("src", re.compile(r"^/media/videos/.+\.mp4$"))
        expect(video.locator("track")).to_have_attribute("src", re.compile(r"^/media/videos/.+\.vtt$"))
        metadata_loaded(reader)
        assert reader.evaluate("document.querySelector('.article-video video').duration") == pytest.approx(4, abs=0.2)
        # Debian's chromium decodes H.264: playing starts and the clock moves.
        started = reader.evaluate(
            """async () => {
                const v = document.querySelector('.article-video video');
                v.muted = true;
                await v.play();
                await new Promise((resolve) => setTimeout(resolve, 1200));
                return {time: v.currentTime, paused: v.paused, error: v.error && v.error.code, width: v.videoWidth};
            }"""
        )
        assert started["error"] is None and not started["paused"] and started["time"] > 0.3, started
        assert started["width"] == 32
        cues = reader.evaluate(
            """() => new Promise((resolve) => {
                const track = document.querySelector('.article-video track');
                const read = () => resolve(Array.from(track.track.cues || []).map((c) => c.text));
                if (track.readyState === 2) read(); else track.addEventListener('load', read);
                setTimeout(read, 3000);
            })"""
        )
        assert cues == ["新厂区航拍"]
        assert reader.csp_violations == []
        _screenshot(reader, screenshots, "article-video.png")


GALLERY = [("开幕式入场", "运动员代表入场。", (200, 60, 40)), ("接力赛", "", (40, 140, 70)), ("颁奖仪式", "领导为获奖单位颁奖。", (60, 60, 180))]


@pytest.fixture(scope="module")
def gallery_path(browser, xinwen_server) -> str:
    """A 图集 of three pictures, made by the editor in the back office's inline and published."""
    title = f"集团职工运动会图集（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="运动会精彩瞬间。", paragraphs=["职工运动会圆满落幕。"])
        page.select_option("#id_kind", label="图集")
        group = page.locator("#gallery_images-group")
        for index, (alt, caption, colour) in enumerate(GALLERY):
            group.locator(".add-row a").click()
            page.set_input_files(f"#id_gallery_images-{index}-image", files=[{"name": f"{index}.png", "mimeType": "image/png", "buffer": _png(colour)}])
            page.fill(f"#id_gallery_images-{index}-alt", alt)
            page.fill(f"#id_gallery_images-{index}-caption", caption)
            page.fill(f"#id_gallery_images-{index}-order", str(index))
        _publish(page, title)
        return _article_path(page, title)


def test_the_gallery_is_browsed_with_buttons_and_keys_and_announces_the_position(browser, xinwen_server, gallery_path, screenshots):
    with _visit(browser, xinwen_server) as reader:
        reader.goto(gallery_path)
        items = reader.locator(".gallery-item")
        status = reader.locator(".gallery .gallery-status")
        expect(items).to_have_count(3)
        expect(status).to_have_text("第 1 张，共 3 张")
        expect(status).to_have_attribute("role", "status")
        expect(items.nth(0)).to_be_visible()
        expect(items.nth(1)).to_be_hidden()

        reader.get_by_role("button", name="下一张").click()
        expect(status).to_have_text("第 2 张，共 3 张")
        expect(items.nth(1).locator("img")).to_have_attribute("alt", "接力赛")
        expect(items.nth(0)).to_be_hidden()

        # Keyboard: Shift+Tab from the 上一张 button reaches the pictures, whose focus is visible.
        reader.get_by_role("button", name="上一张").focus()
        reader.keyboard.press("Shift+Tab")
        focused = reader.locator(".gallery-list")
        expect(focused).to_be_focused()
        assert focused.evaluate("el => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none'")
        for key, shown in [("ArrowRight", 3), ("ArrowRight", 1), ("ArrowLeft", 3), ("Home", 1), ("End", 3)]:
            reader.keyboard.press(key)
            expect(status).to_have_text(f"第 {shown} 张，共 3 张")
            expect(items.nth(shown - 1)).to_be_visible()
        expect(items.nth(2).locator("figcaption")).to_have_text("领导为获奖单位颁奖。")
        _screenshot(reader, screenshots, "article-gallery.png")

        from axe_playwright_python.sync_playwright import Axe

        axe, found = Axe(), {}
        for prefix, counter in [("", "第 3 张，共 3 张"), ("/zh-hant", "第 1 張，共 3 張"), ("/zh-tw", "第 1 張，共 3 張"), ("/zh-hk", "第 1 張，共 3 張")]:
            if prefix:
                reader.goto(f"{prefix}{gallery_path}")
            expect(reader.locator(".gallery .gallery-status")).to_have_text(counter)
            violations = axe.run(reader).response["violations"]
            if violations:
                found[prefix or "/"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        assert found == {}, found


def test_without_script_the_gallery_is_a_list_of_figures(browser, xinwen_server, gallery_path, screenshots):
    with _visit(browser, xinwen_server, java_script_enabled=False) as reader:
        reader.goto(gallery_path)
        figures = reader.locator(".gallery-item figure")
        expect(figures).to_have_count(3)
        for index in range(3):
            expect(figures.nth(index)).to_be_visible()
        expect(reader.locator(".gallery-controls")).to_be_hidden()
        expect(figures.nth(0).locator("figcaption")).to_have_text("运动员代表入场。")
        _screenshot(reader, screenshots, "article-gallery-no-script.png")


def test_a_picture_uploaded_into_the_body_with_a_caption_is_a_figure_on_the_page(browser, xinwen_server, screenshots):
    title = f"新产品发布会（测试{secrets.token_hex(3)}）"
    with _visit(browser, xinwen_server) as page:
        _log_in_as_editor(page, xinwen_server)
        _fill_article(page, title=title, category="新闻中心 > 公司新闻", summary="新产品发布。", paragraphs=["发布会在总部举行。"])
        page.fill(".xw-upload-alt", "发布会现场")
        page.fill(".xw-upload-caption", "发布会现场 <b>（摄影：张伟）</b>")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="上传图片到正文").click()
        chooser.value.set_files(files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _png((120, 40, 40))}])
        expect(page.locator(".xw-upload-status")).to_have_text("已插入图片。")
        editor = page.locator(".field-body .ProseMirror")
        expect(editor.locator("figure figcaption")).to_have_text("发布会现场 <b>（摄影：张伟）</b>")
        _publish(page, title)
        path = _article_path(page, title)

    with _visit(browser, xinwen_server) as reader:
        reader.goto(path)
        figure = reader.locator(".article-body figure")
        expect(figure.locator("img")).to_have_attribute("alt", "发布会现场")
        expect(figure.locator("img")).to_have_attribute("src", re.compile(r"^/media/images/"))
        expect(figure.locator("figcaption")).to_have_text("发布会现场 <b>（摄影：张伟）</b>")  # text, never markup
        expect(figure.locator("figcaption b")).to_have_count(0)
        _screenshot(reader, screenshots, "article-figure-caption.png")


def test_the_demo_video_plays_the_picture_it_was_drawn_with(browser, xinwen_server, screenshots):
    """The demo's 视频新闻 is written by xinwen.site.mp4_writer: Chromium must decode the very pixels drawn."""
    with _visit(browser, xinwen_server) as reader:
        reader.goto("/search/?q=装配车间里的一天")
        reader.get_by_role("link", name=re.compile("装配车间里的一天")).first.click()
        video = reader.locator(".article-video video")
        expect(video.locator("track")).to_have_attribute("srclang", re.compile("zh"))
        metadata_loaded(reader)
        seen = reader.evaluate(
            """async () => {
                const v = document.querySelector('.article-video video');
                v.muted = true;
                await v.play();
                await new Promise((resolve) => setTimeout(resolve, 1500));
                v.pause();
                const canvas = document.createElement('canvas');
                canvas.width = v.videoWidth; canvas.height = v.videoHeight;
                const g = canvas.getContext('2d');
                g.drawImage(v, 0, 0);
                const at = (x, y) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
                return {time: v.currentTime, width: v.videoWidth, height: v.videoHeight, duration: v.duration,
                        floor: at(4, 128), belt: at(128, 116), sky: at(4, 80)};
            }"""
        )
        assert (seen["width"], seen["height"]) == (256, 144) and seen["duration"] == pytest.approx(4, abs=0.2)
        assert seen["time"] > 0.5, seen

        def near(colour, expected, tolerance=24):
            return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))

        assert near(seen["floor"], (70, 74, 82)), seen  # the shop floor's grey
        assert near(seen["belt"], (200, 200, 205)), seen  # the conveyor
        assert seen["sky"][2] > seen["sky"][0] + 60, seen  # a blue sky
        assert reader.csp_violations == []
        _screenshot(reader, screenshots, "demo-video.png")
