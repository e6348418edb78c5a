"""Load the demo news center: categories, about thirty articles over a year (a 图片报道 and a 图集
among them), the imported seed page and the site settings (a complete footer of example values)."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from xinwen.importer.runner import seed_import
from xinwen.news import services
from xinwen.news.models import Article, Attachment, Category, SiteSettings, Tag, Topic
from xinwen.site import demo_content
from xinwen.site.demo_pictures import gallery_article_load, picture_article_load, site_look_pictures
from xinwen.site.demo_video import video_article_load

__all__ = ["demo_load"]

log = logging.getLogger(__name__)

COVER_COLOURS = [((164, 22, 26), (240, 165, 0)), ((11, 87, 208), (0, 160, 150))]


def _cover_image(index: int) -> ContentFile:
    """A generated gradient banner, so the demo needs no image files or network."""
    start, end = COVER_COLOURS[index % len(COVER_COLOURS)]
    image = Image.new("RGB", (960, 600))
    draw = ImageDraw.Draw(image)
    for x in range(960):
        t = x / 959
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end))
        draw.line([(x, 0), (x, 599)], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name="cover.jpg")


def _demo_pdf(title: str) -> ContentFile:
    """A minimal one-page PDF (ASCII text only, to stay valid without embedded fonts)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")  # BytesIO(initial) would start writing at 0, over the header
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return ContentFile(out.getvalue(), name="notice.pdf")


DEMO_TOPIC_SLUG = "shu-zi-hua"


def _demo_tags_and_topic() -> None:
    """标签 on the newest articles and one 专题 gathering the 数字化 ones (plus a hand-picked older one)."""
    if Topic.objects.filter(slug=DEMO_TOPIC_SLUG).exists():
        return
    newest = list(Article.objects.published().order_by("-publish_at", "-id")[:6])
    if not newest:
        return
    for index, article in enumerate(newest):
        names = ["企业动态", "数字化"] if index % 2 == 0 else ["企业动态"]
        services.article_tags_set(article=article, names=names, user=services.OPERATOR)
    topic = Topic(
        title="数字化转型专题（示例）",
        slug=DEMO_TOPIC_SLUG,
        intro="本专题汇集本站关于数字化转型的报道（示例内容）。\n\n带有“数字化”标签的文章会自动列入本专题。",
        tag=Tag.objects.get(name="数字化"),
    )
    services.topic_save(topic=topic, user=services.OPERATOR, article_ids=[newest[-1].pk])


def _demo_cross_listing(categories: dict[str, Category]) -> None:
    """同时发布到 for the stories that name further sections, where the site allows it."""
    if not SiteSettings.load().cross_listing:
        return
    for item in demo_content.ARTICLES:
        article = Article.objects.filter(title=item["title"]).first() if item.get("also_in") else None
        if article is not None and not article.also_in.exists():
            sections = [categories[slug].pk for slug in item["also_in"]]
            services.article_also_in_set(article=article, category_ids=sections, user=services.OPERATOR)


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create the demo content once; running it again changes nothing."""
    local = ZoneInfo(settings.TIME_ZONE)  # the texts name local dates and times
    categories: dict[str, Category] = {}
    for slug, name, parent_slug, order, description in demo_content.CATEGORIES:
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = services.category_save(
                category=Category(
                    slug=slug,
                    name=name,
                    parent=categories.get(parent_slug) if parent_slug else None,
                    order=order,
                    description=description,
                    list_style=Category.ListStyle.IMAGE if slug in demo_content.IMAGE_LISTS else Category.ListStyle.TEXT,
                ),
                user=services.OPERATOR,
            )
        categories[slug] = category

    created = 0
    pinned_index = 0
    for index, item in enumerate(demo_content.ARTICLES):
        if Article.objects.filter(title=item["title"]).exists():
            continue
        # Fixed dates: the texts speak of concrete years (2025年春节, 2024年安全生产月).
        publish_at = datetime.fromisoformat(f"{item['date']}T{item['time']}").replace(tzinfo=local)
        article = Article(
            category=categories[item["category"]],
            title=item["title"],
            subtitle=item.get("subtitle", ""),
            summary=item["summary"],
            body=item["body"],
            source_name=item["source_name"],
            source_url=item.get("source_url", ""),
            author=item["author"],
            editor=item["editor"],
            publish_at=publish_at,
            pinned=item["pinned"],
            view_count=item["view_count"],
            # The home page's places: the pinned stories (they have covers) are the 焦点图,
            # the first of them also the 头条; every fourth story is 推荐.
            focus=item["pinned"],
            headline=item["pinned"] and pinned_index == 0,
            recommended=index % 4 == 1,
        )
        if item["pinned"]:
            article.cover.save(f"cover-{index}.jpg", _cover_image(pinned_index), save=False)
            pinned_index += 1
        services.article_save(article=article, user=services.OPERATOR)
        services.article_publish(article=article, user=services.OPERATOR, publish_at=publish_at)
        if item["category"] == "notices" and not Attachment.objects.filter(article__category__slug="notices").exists():
            attachment = Attachment(article=article, title=f"{item['title']}（附件）.pdf")
            attachment.file.save("notice.pdf", _demo_pdf("xinwen demo attachment"), save=False)
            services.attachment_save(attachment=attachment, user=services.OPERATOR)
        created += 1

    if not SiteSettings.objects.exists():  # the operator's own settings are never overwritten
        look = SiteSettings(**demo_content.SITE_SETTINGS)
        logo, banner = site_look_pictures()
        look.logo.save("logo.png", logo, save=False)
        look.header_banner.save("banner.png", banner, save=False)
        services.site_settings_save(site_settings=look, user=services.OPERATOR, changed_fields=["demo"])

    _demo_cross_listing(categories)
    created += picture_article_load(categories["company"])
    created += gallery_article_load(categories["company"])
    created += video_article_load(categories["company"])
    _demo_tags_and_topic()
    if seed_import(category=categories["news"]) == "created":
        created += 1
    log.info("demo content: %d articles created, %d categories", created, len(categories))
    return {"articles": created, "categories": len(categories)}
