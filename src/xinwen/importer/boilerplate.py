"""Site boilerplate: the text blocks and pictures a site's template repeats on its articles, learned from a sample of its pages.

No fixed word list knows one site's slogan, chat widget, reprint notice or footer
(issue 17: every PbootCMS body ended with 售前咨询专员 / 24小时免费咨询); what the
site repeats across many of its own pages does. `boilerplate_learn` reads a few
pages of a crawl and keeps what most of them share; `extract_page` then drops every
body block whose whole text is one of those, and every picture the template repeats.
A paragraph of one article alone is never on that list, so no article text is lost.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin

from xinwen.importer.errors import ImportFailed

__all__ = ["Boilerplate", "boilerplate_learn", "normal_text", "BLOCK_TAGS", "SAMPLE_PAGES"]

BLOCK_TAGS = ("p", "div", "li", "dd", "dt", "span", "a", "td", "section", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
              "font", "strong", "b", "em", "small")  # fmt: skip
SAMPLE_PAGES = 10  # pages read to learn a site's template; the crawl imports them afterwards without fetching again
MIN_PAGES = 3  # fewer pages say nothing about what repeats
SHARE = 0.6  # a block on at least this share of the sampled pages is the template's
MAX_CHARS = 300  # longer blocks are content (or a wrapper of it), never matched whole


def normal_text(text: str) -> str:
    """A block's text as compared across pages: without any whitespace (templates indent differently)."""
    return "".join(text.split())


@dataclass(frozen=True)
class Boilerplate:
    """What one site's template repeats: block texts (normalised) and picture URLs (absolute)."""

    texts: frozenset[str] = frozenset()
    images: frozenset[str] = frozenset()
    pages: int = 0  # how many pages it was learned from

    def __bool__(self) -> bool:
        return bool(self.texts or self.images)

    def is_text(self, text: str) -> bool:
        return normal_text(text) in self.texts

    def is_image(self, src: str, base: str = "") -> bool:
        return bool(src) and urljoin(base, src.strip()) in self.images


def _page_blocks(data: bytes, charset: str, url: str) -> tuple[set[str], set[str]]:
    # Imported here: extract imports this module for the Boilerplate type.
    from xinwen.importer.encoding import decode_page
    from xinwen.importer.extract import parse_html

    text, _ = decode_page(data, http_charset=charset)
    root = parse_html(text)
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    texts = set()
    for element in root.iter(*BLOCK_TAGS):
        block = normal_text(element.text_content())
        if 2 <= len(block) <= MAX_CHARS:
            texts.add(block)
    images = {urljoin(url, src.strip()) for img in root.iter("img") if (src := img.get("src") or "").strip()}
    return texts, images


def boilerplate_learn(pages: list[tuple[bytes, str, str]]) -> Boilerplate:
    """What at least 60% (and at least 3) of the given pages share; pages are (bytes, HTTP charset, URL).

    Pages that cannot be read are left out of the count; with fewer than three readable
    pages nothing is learned (empty Boilerplate), so a one-page import keeps everything.
    """
    texts: Counter[str] = Counter()
    images: Counter[str] = Counter()
    read = 0
    for data, charset, url in pages:
        try:
            page_texts, page_images = _page_blocks(data, charset, url)
        except (ImportFailed, ValueError):
            continue
        read += 1
        texts.update(page_texts)
        images.update(page_images)
    if read < MIN_PAGES:
        return Boilerplate(pages=read)
    need = max(MIN_PAGES, math.ceil(SHARE * read))
    return Boilerplate(
        texts=frozenset(text for text, n in texts.items() if n >= need),
        images=frozenset(src for src, n in images.items() if n >= need),
        pages=read,
    )
