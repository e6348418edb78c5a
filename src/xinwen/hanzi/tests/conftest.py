"""Fixtures and page helpers for the script-variant tests: one news site, readable in four scripts."""

from __future__ import annotations

import io
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.html import strip_tags
from PIL import Image

from xinwen.conftest import make_article
from xinwen.hanzi import render, selectors
from xinwen.news.models import Attachment

# (URL prefix, <html lang> / hreflang / Content-Language) for every variant.
VARIANTS = [
    pytest.param("", "zh-Hans", id="zh-hans"),
    pytest.param("/zh-hant", "zh-Hant", id="zh-hant"),
    pytest.param("/zh-tw", "zh-TW", id="zh-tw"),
    pytest.param("/zh-hk", "zh-HK", id="zh-hk"),
]
VARIANT_IDS = ["zh-hans", "zh-hant", "zh-tw", "zh-hk"]
PREFIXES = {"zh-Hans": "", "zh-Hant": "/zh-hant", "zh-TW": "/zh-tw", "zh-HK": "/zh-hk"}

# A tone-marked pinyin letter: plain pages never contain one, ruby pages only inside <rt>.
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
PARENTHESISED_PINYIN = re.compile(r"[（(]\s*[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\s*[)）]")


@pytest.fixture(autouse=True)
def _fresh_conversion_caches():
    """Converted text is cached per process and in Django's cache: each test starts cold."""
    render._local.clear()
    selectors._built.clear()
    cache.clear()
    yield
    render._local.clear()
    selectors._built.clear()
    cache.clear()


@pytest.fixture
def site(settings):
    settings.SITE_NAME = "东方智联装备集团"
    settings.SITE_URL = ""


@pytest.fixture
def story(tree, site):
    """A Simplified article whose words differ in every variant, with source, author and an attachment."""
    article = make_article(
        category=tree["company"],
        title="软件与鼠标的信息",
        summary="吃面条的信息",
        body="<p>吃面条，去银行。</p><p>发展头发。</p>",
        source_name="国资委网站",
        author="张三",
        view_count=275,
    )
    add_attachment(article, "会议纪要")
    return article


@pytest.fixture
def traditional_story(tree, site):
    """An article written in Taiwan Traditional script: its source, not a conversion."""
    return make_article(
        category=tree["company"],
        title="軟體與滑鼠的資訊",
        body="<p>本公司的軟體透過網路提供資訊服務。</p>",
        days_ago=2,
    )


def add_attachment(article, title: str) -> Attachment:
    attachment = Attachment(article=article, title=title)
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 2039), save=False)
    attachment.save()
    return attachment


def add_cover(article) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 5), "white").save(buffer, "PNG")
    article.cover.save("cover.png", ContentFile(buffer.getvalue()))


# --- reading pages -------------------------------------------------------------------


class _Shape(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes.update(f"{tag}[{name}]" for name, _value in attrs)


def shape(html: str) -> tuple[Counter, Counter]:
    """(tag names, tag[attribute] names) of `html` as a browser-like parser reads it, counted."""
    parser = _Shape()
    parser.feed(html)
    parser.close()
    return parser.tags, parser.attributes


HOSTILE_FORM = '<img src=x onerror="alert(1)">'


def event_handlers(html: str) -> list[str]:
    """Event-handler attributes in `html`: a sanitised body has none, so each one was injected."""
    return [name for name in shape(html)[1] if "[on" in name]


def html_of(response) -> str:
    return response.content.decode()


def element(html: str, pattern: str) -> str:
    """The markup of the first match of `pattern` (DOTALL)."""
    match = re.search(pattern, html, re.S)
    assert match, f"{pattern!r} not found in the page"
    return match.group(0)


def text(markup: str) -> str:
    """Visible text, entities decoded and whitespace collapsed."""
    return " ".join(unescape(strip_tags(markup)).split())


def article_body(html: str) -> str:
    return element(html, r'<div class="article-body[^"]*">.*?</div>')


def h1(html: str) -> str:
    return text(element(html, r"<h1[^>]*>.*?</h1>"))


def alternate_links(html: str) -> dict[str, str]:
    """hreflang → href of the <link rel="alternate"> elements in <head>."""
    head = element(html, r"<head>.*?</head>")
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))


def canonical(html: str) -> str | None:
    match = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    return match.group(1) if match else None


def switcher(html: str) -> list[tuple[str, str, bool]]:
    """(hreflang, href, is current) for every link of the script switcher, in order."""
    nav = element(html, r'<nav class="script-switcher".*?</nav>')
    return [
        (lang, href, "aria-current" in rest)
        for href, lang, rest in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"([^>]*)>', nav)
    ]


def internal_links(html: str) -> list[str]:
    """Site-relative hrefs outside the switcher, except static files and uploads (which exist once)."""
    without_switcher = re.sub(r'<nav class="script-switcher".*?</nav>', "", html, flags=re.S)
    return [
        href
        for href in re.findall(r'href="(/[^"]*)"', without_switcher)
        if not href.startswith(("/static/", "/media/"))
    ]
