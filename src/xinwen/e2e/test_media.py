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
        reader.wait_for_function("document.querySelector('.article-video video').readyState >= 1")
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
