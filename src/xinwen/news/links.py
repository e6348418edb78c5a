"""Public URLs of articles and categories without a reverse() per link.

A page links to dozens of articles and sections; reverse() walks the resolver every
time. The shape of a route only depends on the URLconf and the script prefix (/zh-tw/),
so each shape is reversed once, with a marker, and filled in after that.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["article_url", "category_url", "tag_url", "topic_url"]

_MARKER = "9176254031"  # matches both <int:pk> and <slug:slug>
_SAFE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_shapes: dict[tuple, tuple[str, str]] = {}


def _shape(name: str, kwarg: str) -> tuple[str, str]:
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    shape = _shapes.get(key)
    if shape is None:
        before, marker, after = reverse(name, kwargs={kwarg: _MARKER}).rpartition(_MARKER)
        shape = _shapes[key] = (before, after)
    return shape


def article_url(pk: int) -> str:
    before, after = _shape("news:article", "pk")
    return f"{before}{int(pk)}{after}"


def category_url(slug: str) -> str:
    if not _SAFE_SLUG.fullmatch(slug):  # not a slug the route accepts: reverse() says so
        return reverse("news:category", kwargs={"slug": slug})
    before, after = _shape("news:category", "slug")
    return f"{before}{slug}{after}"


def tag_url(slug: str) -> str:
    if not _SAFE_SLUG.fullmatch(slug):
        return reverse("news:tag", kwargs={"slug": slug})
    before, after = _shape("news:tag", "slug")
    return f"{before}{slug}{after}"


def topic_url(slug: str) -> str:
    if not _SAFE_SLUG.fullmatch(slug):
        return reverse("news:topic", kwargs={"slug": slug})
    before, after = _shape("news:topic", "slug")
    return f"{before}{slug}{after}"
