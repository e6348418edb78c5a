"""URL slugs for Chinese names: 新闻中心 → xin-wen-zhong-xin (toneless pinyin, ASCII only)."""

from __future__ import annotations

from django.utils.text import slugify

__all__ = ["pinyin_slug"]


def pinyin_slug(text: str, *, max_length: int = 50) -> str:
    """A lower-case ASCII slug from the pinyin of `text` ("" when nothing readable is left)."""
    from xinwen.hanzi.pinyin_table import lazy_pinyin  # the table: mapped when first needed

    words = lazy_pinyin(text or "", errors=lambda chars: [chars])
    slug = slugify("-".join(word for word in words if word.strip()))
    return slug[:max_length].strip("-")
