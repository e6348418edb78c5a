"""Pictures as readers get them: `<picture>` with WebP and the original format, srcset, sizes, width/height.

Bodies are stored as the editor wrote them (`<img src="/media/images/…jpg" alt="…">`, sanitised by
nh3); the article page rewrites each such `<img>` of the site's own media that has generated
sizes (news.images) into a `<picture>`, so every existing article benefits and the stored body
stays simple for feeds, the API and the editor. Pictures without sizes stay as they are.

Only the first picture of a page loads eagerly; all later ones get loading="lazy", since a
reader on a phone sees at most one picture before scrolling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import unquote

from django.conf import settings

from xinwen.news.images import size_name
from xinwen.news.models import ImageSizes

__all__ = ["PictureSet", "picture_sets", "picture_html", "media_name", "responsive_html", "responsive_body", "BODY_SIZES"]

# The article column: the whole phone screen less the page margins, at most 48rem (site.css .article).
BODY_SIZES = "(max-width: 50rem) calc(100vw - 2rem), 48rem"

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_KEPT = ("alt", "title")  # the editor's own attributes that a rewritten picture keeps


@dataclass(frozen=True)
class PictureSet:
    """What exists of one stored picture: its size and the widths of its generated copies."""

    name: str
    width: int
    height: int
    widths: tuple[int, ...]
    ext: str

    def url(self, width: int, ext: str) -> str:
        return f"{settings.MEDIA_URL}{size_name(self.name, width, ext)}"

    def srcset(self, ext: str) -> str:
        return ", ".join(f"{self.url(w, ext)} {w}w" for w in self.widths)

    @property
    def shown(self) -> tuple[int, int]:
        """Width and height of the largest copy: the attributes that reserve the picture's space."""
        largest = self.widths[-1]
        return largest, max(1, round(self.height * largest / self.width))


def picture_sets(names) -> dict[str, PictureSet]:
    """The generated sizes of the stored pictures `names`, in one query; names without sizes are absent."""
    wanted = {n for n in names if n}
    if not wanted:
        return {}
    rows = ImageSizes.objects.filter(name__in=wanted).exclude(widths=[]).values_list("name", "width", "height", "widths", "ext")
    return {
        name: PictureSet(name, width, height, tuple(widths), ext)
        for name, width, height, widths, ext in rows
        if widths and ext
    }


def media_name(src: str) -> str:
    """The storage name behind a URL of the site's own media, or "" for any other URL."""
    prefix = settings.MEDIA_URL
    if not src.startswith(prefix) or "?" in src or "#" in src:
        return ""
    name = unquote(src[len(prefix) :])
    return "" if ".." in name.split("/") or name.startswith("/") else name


def picture_html(picture: PictureSet, *, alt: str, sizes: str, lazy: bool, title: str = "", css_class: str = "") -> str:
    """One `<picture>`: WebP first, then the original format; `alt` and `title` are plain text (escaped here)."""
    width, height = picture.shown
    largest = picture.widths[-1]
    attrs = [
        f'src="{escape(picture.url(largest, picture.ext))}"',
        f'srcset="{escape(picture.srcset(picture.ext))}"',
        f'sizes="{escape(sizes)}"',
        f'width="{width}"',
        f'height="{height}"',
        f'alt="{escape(alt)}"',
    ]
    if title:
        attrs.append(f'title="{escape(title)}"')
    attrs.append('loading="lazy" decoding="async"' if lazy else 'decoding="async"')
    if css_class:
        attrs.append(f'class="{escape(css_class)}"')
    source = f'<source type="image/webp" srcset="{escape(picture.srcset(".webp"))}" sizes="{escape(sizes)}">'
    return f"<picture>{source}<img {' '.join(attrs)}></picture>"


def _attributes(tag: str) -> dict[str, str]:
    inner = tag[4:].rstrip(">").rstrip("/")
    found: dict[str, str] = {}
    for match in _ATTR.finditer(inner):
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(match.group(1).lower(), unescape(value))
    return found


def responsive_html(html: str, sets: dict[str, PictureSet], *, sizes: str = BODY_SIZES, eager: int = 1) -> str:
    """`html` with each own-media `<img>` that has sizes as a `<picture>`; the first `eager` pictures load at once."""
    count = 0

    def rewrite(match: re.Match) -> str:
        nonlocal count
        attrs = _attributes(match.group(0))
        if "srcset" in attrs:
            return match.group(0)  # already responsive
        picture = sets.get(media_name(attrs.get("src", "")))
        if picture is None:
            return match.group(0)
        count += 1
        return picture_html(
            picture, alt=attrs.get("alt", ""), title=attrs.get("title", ""), sizes=sizes, lazy=count > eager
        )

    return _IMG.sub(rewrite, html)


def body_names(html: str) -> list[str]:
    return [name for tag in _IMG.findall(html or "") if (name := media_name(_attributes(tag).get("src", "")))]


def responsive_body(html: str, *, eager: int = 1) -> str:
    """The article body as the page shows it: own pictures rewritten (one query for all of them)."""
    names = body_names(html)
    if not names:
        return html
    return responsive_html(html, picture_sets(names), eager=eager)
