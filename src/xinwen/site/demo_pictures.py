"""The demo's 图片报道 (an article with phone-camera-sized photos, to show and test the picture sizes)
and its 图集 (a gallery article: pictures with alt text and captions, browsed one at a time).

The photos are generated (no image files, no network) and sized like a phone camera's,
4000 x 3000 with noise so that they weigh what photos weigh; they go through the same
upload checks and write path as an editor's upload.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from xinwen.news import services
from xinwen.news.models import Article, Category, GalleryImage
from xinwen.news.uploads import clean_image

__all__ = ["PICTURE_TITLE", "GALLERY_TITLE", "picture_article_load", "gallery_article_load", "site_look_pictures"]

PICTURE_TITLE = "新厂区建设进展图片报道"
PHOTOS = [
    ("新厂区主厂房屋架吊装现场", "主厂房屋架吊装完成，示例图片由程序生成", ((70, 110, 160), (200, 170, 120))),
    ("装配车间设备调试", "", ((40, 120, 90), (220, 220, 200))),
    ("员工在新食堂就餐", "", ((150, 80, 40), (240, 210, 170))),
]


GALLERY_TITLE = "集团第十届职工运动会图集"
GALLERY = [
    ("运动员代表入场", "开幕式上，各参赛单位代表队依次入场（示例图片由程序生成）。", ((180, 40, 40), (250, 200, 120))),
    ("百米短跑决赛", "男子百米决赛冲线瞬间。", ((30, 90, 170), (170, 210, 240))),
    ("拔河比赛", "装配车间代表队在拔河比赛中获得第一名。", ((60, 130, 60), (220, 230, 160))),
    ("颁奖仪式", "", ((120, 60, 140), (240, 200, 230))),
]


def _photo(colours, size=(4000, 3000)) -> SimpleUploadedFile:
    (r1, g1, b1), (r2, g2, b2) = colours
    gradient = Image.linear_gradient("L").resize(size)
    base = Image.merge(
        "RGB", [gradient.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in ((r1, r2), (g1, g2), (b1, b2))]
    )
    noise = Image.effect_noise(size, 40).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, noise, 0.25).save(out, "JPEG", quality=92)
    return SimpleUploadedFile("DSC_0001.jpg", out.getvalue(), content_type="image/jpeg")


def picture_article_load(category: Category) -> bool:
    """Create the picture report once; True when it was created."""
    if Article.objects.filter(title=PICTURE_TITLE).exists():
        return False
    parts = ["<p>集团新厂区建设进入设备安装阶段。以下为现场图片（示例内容，图片由程序生成）。</p>"]
    for alt, caption, colours in PHOTOS:
        image = services.body_image_create(upload=clean_image(_photo(colours)), user=services.OPERATOR)
        img = f'<img src="{image.file.url}" alt="{alt}">'
        parts.append(f"<figure>{img}<figcaption>{caption}</figcaption></figure>" if caption else f"<p>{img}</p>")
        parts.append(f"<p>{alt}。各参建单位严格落实安全生产责任，确保工程质量和进度。</p>")
    publish_at = datetime(2024, 8, 14, 10, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    article = Article(
        category=category,
        title=PICTURE_TITLE,
        summary="集团新厂区建设进入设备安装阶段，主厂房屋架吊装完成。",
        body="".join(parts),
        source_name="集团办公室",
        author="示例摄影",
        editor="示例编辑",
        publish_at=publish_at,
    )
    services.article_save(article=article, user=services.OPERATOR)
    services.article_publish(article=article, user=services.OPERATOR, publish_at=publish_at)
    return True


def gallery_article_load(category: Category) -> bool:
    """Create the 图集 once, through the same write path as the editor's; True when it was created."""
    if Article.objects.filter(title=GALLERY_TITLE).exists():
        return False
    publish_at = datetime(2024, 5, 18, 16, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    article = Article(
        category=category,
        kind=Article.Kind.GALLERY,
        title=GALLERY_TITLE,
        summary="集团第十届职工运动会在新厂区体育场举行，共有十二支代表队参赛（示例内容）。",
        body="<p>集团第十届职工运动会在新厂区体育场举行，共有十二支代表队、四百余名职工参赛。以下为赛场图片（示例内容）。</p>",
        source_name="集团工会",
        author="示例摄影",
        editor="示例编辑",
        publish_at=publish_at,
    )
    services.article_save(article=article, user=services.OPERATOR)
    for order, (alt, caption, colours) in enumerate(GALLERY):
        image = GalleryImage(article=article, alt=alt, caption=caption, order=order)
        image.image.save("DSC_0001.jpg", clean_image(_photo(colours, size=(1600, 1200))), save=False)
        services.gallery_image_save(image=image, user=services.OPERATOR)
    services.article_publish(article=article, user=services.OPERATOR, publish_at=publish_at)
    return True


def _png(image: Image.Image, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def site_look_pictures() -> tuple[SimpleUploadedFile, SimpleUploadedFile]:
    """(logo, header banner) for the demo's 站点设置: a round emblem and a skyline, both drawn here, neither with text."""
    logo = Image.new("RGBA", (192, 192), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((4, 4, 188, 188), fill=(255, 255, 255, 255))
    draw.ellipse((28, 28, 164, 164), outline=(164, 22, 26, 255), width=14)
    for angle in range(0, 360, 45):  # a gear's teeth around the ring
        draw.pieslice((16, 16, 176, 176), angle - 6, angle + 6, fill=(164, 22, 26, 255))
    draw.ellipse((44, 44, 148, 148), fill=(255, 255, 255, 255))
    draw.polygon([(96, 62), (126, 130), (66, 130)], fill=(164, 22, 26, 255))
    width, height = 1920, 240
    banner = Image.linear_gradient("L").rotate(90).resize((width, height))
    banner = Image.merge("RGB", [banner.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in ((120, 190), (14, 40), (20, 40))])
    draw = ImageDraw.Draw(banner)
    for n in range(24):  # a skyline of workshops and chimneys, lighter than the sky
        left = n * 84 + (n % 3) * 10
        top = 120 + (n * 37) % 70
        draw.rectangle((left, top, left + 64, height), fill=(200, 60, 60))
        if n % 4 == 1:
            draw.rectangle((left + 40, top - 50, left + 52, top), fill=(210, 80, 80))
    return clean_image(_png(logo, "logo.png")), clean_image(_png(banner, "banner.png"))
