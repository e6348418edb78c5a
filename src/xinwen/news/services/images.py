"""Generated sizes of stored pictures: written once at upload, again when the watermark changes.

The original file is never touched; copies are written beside it under names from
news.images.size_name, and one ImageSizes row records what exists, for the pages' srcset.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from xinwen.news.images import Watermark, generate_sizes, size_name
from xinwen.news.models import Article, BodyImage, ImageSizes, SiteSettings

__all__ = ["site_watermark", "image_sizes_generate", "image_sizes_ensure", "image_sizes_rebuild", "stored_pictures"]

log = logging.getLogger(__name__)


def site_watermark() -> Watermark | None:
    """The watermark of 站点设置, or None when the site has none."""
    site = SiteSettings.load()
    logo = b""
    if site.watermark_logo:
        try:
            with site.watermark_logo.open("rb") as handle:
                logo = handle.read()
        except OSError:
            log.warning("watermark logo %s is missing; using the text", site.watermark_logo.name)
    mark = Watermark(
        text=site.watermark_text.strip(),
        logo=logo,
        position=site.watermark_position,
        opacity=site.watermark_opacity,
        font=settings.WATERMARK_FONT,
    )
    return mark or None


def _write(name: str, data: bytes) -> None:
    # Same name as before on a rebuild: pages already link to it.
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(data))
    if stored != name:  # pragma: no cover - a storage that renames on its own
        raise RuntimeError(f"storage wrote {stored} instead of {name}")


def image_sizes_generate(*, name: str, watermark: Watermark | None = None) -> ImageSizes | None:
    """Write the copies of the stored picture `name` and record them; None when it is not a picture we can read."""
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        width, height, sizes = generate_sizes(data, watermark=watermark)
    except (OSError, ValueError, SyntaxError) as exc:
        log.warning("no generated sizes for %s: %s", name, exc)
        return None
    for size in sizes:
        _write(size_name(name, size.width, size.ext), size.data)
    own = sorted({s.ext for s in sizes if s.ext != ".webp"})
    record, _ = ImageSizes.objects.update_or_create(
        name=name,
        defaults={
            "width": width,
            "height": height,
            "widths": sorted({s.width for s in sizes}),
            "ext": own[0] if own else "",
            "watermarked": bool(watermark) and bool(sizes),
        },
    )
    return record


def image_sizes_ensure(*, name: str) -> ImageSizes | None:
    """The sizes of `name`, generated now with the site's watermark when they do not exist yet."""
    if not name:
        return None
    existing = ImageSizes.objects.filter(name=name).first()
    return existing or image_sizes_generate(name=name, watermark=site_watermark())


def stored_pictures() -> Iterable[str]:
    """Storage names of every picture pages may show: body images and covers."""
    yield from BodyImage.objects.order_by("pk").values_list("file", flat=True).iterator()
    yield from Article.objects.exclude(cover="").order_by("pk").values_list("cover", flat=True).iterator()


def image_sizes_rebuild(*, only_missing: bool = False, progress=None) -> int:
    """Generate the sizes of every stored picture again (after a watermark change); returns how many."""
    watermark = site_watermark()
    done = 0
    seen: set[str] = set()
    have = set(ImageSizes.objects.values_list("name", flat=True)) if only_missing else set()
    for name in stored_pictures():
        if not name or name in seen or name in have:
            continue
        seen.add(name)
        if image_sizes_generate(name=name, watermark=watermark) is not None:
            done += 1
        if progress:
            progress(name)
    return done

