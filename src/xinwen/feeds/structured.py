"""Structured data for article pages: schema.org NewsArticle and BreadcrumbList as JSON-LD, and social tags.

Pure functions over plain values: the article head (feeds/head.py) gathers them
from the article and the request, in the reader's script.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

__all__ = ["news_article", "breadcrumb_list", "json_ld_script", "split_authors", "iso", "first_image", "OG_LOCALES"]

# Open Graph knows territories, not scripts: zh-Hant pages are read mostly in Taiwan.
OG_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "zh-tw": "zh_TW", "zh-hk": "zh_HK"}
HEADLINE_MAX = 110  # Google's limit for NewsArticle.headline

# What editors put between several authors: 张三、李四 / 张三,李四 / 张三 李四.
_AUTHOR_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
# Escapes that keep JSON inert inside <script>: "</script>" or "<!--" in a title cannot end it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def iso(moment: datetime) -> str:
    """ISO 8601 in the site's time zone, to the second: 2023-04-24T09:30:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def split_authors(text: str) -> list[str]:
    return [name for name in _AUTHOR_SEPARATORS.split(text or "") if name]


def first_image(html: str) -> str | None:
    match = _IMG_SRC.search(html or "")
    return match.group(1) if match else None


def news_article(
    *,
    headline: str,
    description: str,
    url: str,
    published: datetime,
    modified: datetime,
    authors: list[str],
    publisher: str,
    logo: str,
    images: list[str],
    language: str,
    section: str,
) -> dict:
    if len(headline) > HEADLINE_MAX:
        headline = headline[: HEADLINE_MAX - 1] + "…"
    organisation = {"@type": "Organization", "name": publisher, "logo": {"@type": "ImageObject", "url": logo}}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline,
        "description": description,
        "inLanguage": language,
        "datePublished": iso(published),
        "dateModified": iso(max(modified, published)),
        # An article without a named author is the organisation's own.
        "author": [{"@type": "Person", "name": name} for name in authors] or [dict(organisation)],
        "publisher": organisation,
        "articleSection": section,
    }
    if images:
        data["image"] = images
    return data


def breadcrumb_list(items: list[tuple[str, str]]) -> dict:
    """(name, absolute URL) pairs, root first: the breadcrumb the reader sees."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
