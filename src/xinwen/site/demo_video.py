"""The demo's 视频新闻: an article with a short video, its poster and Chinese captions (WebVTT).

The video is drawn with Pillow frame by frame and written as an MP4 by
xinwen.site.mp4_writer (no ffmpeg, no files shipped, no network); it goes through the same
upload checks (news/uploads.py) and write path as an editor's upload, and plays in every
browser from the site's own media.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from xinwen.news import services
from xinwen.news.images import font_for
from xinwen.news.models import Article, Category
from xinwen.news.uploads import clean_captions, clean_image, clean_video
from xinwen.site.mp4_writer import mp4_from_images

__all__ = ["VIDEO_TITLE", "video_article_load", "demo_video_frames"]

VIDEO_TITLE = "视频：装配车间里的一天"
SIZE, FPS, SECONDS = (256, 144), 8, 4  # raw I_PCM samples: about 1.8 MB
HEADING = "智联装配车间"
CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:02.000
东方智联装备集团装配车间（示例视频）

00:00:02.000 --> 00:00:04.000
画面由程序生成，仅作演示
"""


def demo_video_frames() -> list[Image.Image]:
    """The frames: a sky that brightens, a conveyor of parts moving right, the heading when a Chinese font exists."""
    width, height = SIZE
    heading_font = font_for(HEADING, 22, preferred=settings.WATERMARK_FONT)
    small_font = font_for("示例视频", 12, preferred=settings.WATERMARK_FONT)
    frames = []
    count = FPS * SECONDS
    for index in range(count):
        progress = index / (count - 1)
        frame = Image.new("RGB", SIZE, (20, 60 + int(60 * progress), 120 + int(60 * progress)))
        draw = ImageDraw.Draw(frame)
        draw.rectangle((0, 100, width, height), fill=(70, 74, 82))  # the shop floor
        draw.rectangle((0, 112, width, 120), fill=(200, 200, 205))  # the conveyor
        for n in range(5):  # parts on it, moving right
            left = (n * 64 + index * 8) % (width + 32) - 32
            draw.rectangle((left, 92, left + 24, 112), fill=(230, 150, 40), outline=(120, 70, 10))
        draw.ellipse((width - 52, 12, width - 16, 48), outline=(255, 255, 255), width=3)  # a 5G mast's signal
        draw.ellipse((width - 42, 22, width - 26, 38), fill=(255, 255, 255))
        draw.rectangle((0, height - 6, int(width * progress), height), fill=(240, 60, 60))  # elapsed time
        if heading_font is not None:
            draw.text((12, 16), HEADING, font=heading_font, fill=(255, 255, 255))
            draw.text((12, 50), "示例视频 · 程序生成", font=small_font, fill=(230, 230, 230))
        frames.append(frame)
    return frames


def _upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def video_article_load(category: Category) -> bool:
    """Create the video article once, through the upload checks and the write path; True when it was created."""
    if Article.objects.filter(title=VIDEO_TITLE).exists():
        return False
    frames = demo_video_frames()
    poster = io.BytesIO()
    frames[len(frames) // 2].save(poster, "JPEG", quality=88)
    publish_at = datetime(2024, 11, 20, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    article = Article(
        category=category,
        title=VIDEO_TITLE,
        summary="走进集团装配车间：设备联网、零部件在输送线上自动流转（示例视频，画面由程序生成）。",
        body="<p>集团装配车间的生产设备全面联网，零部件在输送线上自动流转。"
        "上方为车间一天的缩影（示例视频，画面由程序生成，带字幕）。</p>",
        source_name="集团融媒体中心",
        author="示例记者",
        editor="示例编辑",
        publish_at=publish_at,
    )
    article.video.save("factory.mp4", clean_video(_upload("factory.mp4", mp4_from_images(frames, fps=FPS), "video/mp4")), save=False)
    article.video_poster.save("poster.jpg", clean_image(_upload("poster.jpg", poster.getvalue(), "image/jpeg")), save=False)
    captions = clean_captions(_upload("captions.vtt", CAPTIONS.encode("utf-8"), "text/vtt"))
    article.video_captions.save("captions.vtt", captions, save=False)
    services.article_save(article=article, user=services.OPERATOR)
    services.article_publish(article=article, user=services.OPERATOR, publish_at=publish_at)
    return True
