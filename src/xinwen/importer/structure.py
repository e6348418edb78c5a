"""What a page marks up about itself: <meta>, JSON-LD, <time datetime>, byline classes, and where furniture is.

Structure comes before text shapes (issue 17): a theme's `<time datetime>` or a
JSON-LD `datePublished` is the page's own claim, stronger than any 发布时间 line.
"""

from __future__ import annotations

import json
import re

from xinwen.importer import metadata

__all__ = ["text_of", "metas", "meta", "in_furniture", "json_ld", "time_element", "byline", "date_under_heading", "publisher",
           "post_categories", "post_category", "post_tags", "archive_name"]  # fmt: skip

_FURNITURE = {"header", "nav", "footer", "aside"}
_FURNITURE_CLASS = re.compile(r"(?:^|[\s_-])(?:nav|menu|header|footer|foot|top|copyright|sidebar|side|share|prenext|pagenav)(?:$|[\s_-])", re.I)


def text_of(element) -> str:
    return " ".join((element.text_content() or "").split()) if element is not None else ""


def metas(root) -> dict[str, str]:
    """<meta name|property=… content=…> of the page, first one of each name."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property")
        content = " ".join((meta.get("content") or "").split())
        if key and content and key not in found:
            found[key] = content
    return found


def meta(metas: dict[str, str], *names: str) -> str:
    return next((metas[name] for name in names if name in metas), "")


def in_furniture(element) -> bool:
    for ancestor in element.iterancestors():
        marks = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if ancestor.tag in _FURNITURE or _FURNITURE_CLASS.search(marks):
            if (ancestor.tag == "header" or "header" in marks.lower()) and next(ancestor.iterancestors("article"), None) is not None:
                continue  # an <article>'s own header (WordPress .entry-header) holds its title and date
            return True
    return False


# Block themes (Twenty Twenty-Three) mark the author as wp-block-post-author__name / wp-block-post-author-name.
_BYLINE_CLASS = re.compile(r"(?:^|\s)(?:author|byline|fn|vcard|writer|zuozhe|wp-block-post-author__name|wp-block-post-author-name)(?:$|\s)", re.I)
_DATE_CLASS = re.compile(r"(?:^|[\s_-])(?:entry-date|published|post-date|pubdate|publish[-_]?time|date|time|rq|fbsj)(?:$|[\s_-])", re.I)
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage", "report"}


def json_ld(root) -> dict:
    """datePublished, author and headline of the page's JSON-LD article (its own structured claim about itself)."""
    found: dict = {}
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        items = data if isinstance(data, list) else [data]
        items = [*items, *(node for item in items if isinstance(item, dict) for node in item.get("@graph", []) or [])]
        for item in items:
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type", "")
            kinds = {str(k).lower() for k in (kinds if isinstance(kinds, list) else [kinds])}
            if not kinds & _ARTICLE_TYPES:
                continue
            author = item.get("author")
            if isinstance(author, list):
                author = author[0] if author else ""
            if isinstance(author, dict):
                author = author.get("name", "")
            for key, value in (("published", item.get("datePublished")), ("author", author), ("headline", item.get("headline"))):
                if isinstance(value, str) and value.strip() and not found.get(key):
                    found[key] = " ".join(value.split())[:200]
    return found


def time_element(root) -> str:
    """The datetime of the article's <time> (WordPress: time.entry-date), outside page furniture."""
    times = [t for t in root.iter("time") if (t.get("datetime") or "").strip() and not in_furniture(t)]
    times.sort(key=lambda t: 0 if _DATE_CLASS.search(f"{t.get('class', '')} {t.get('itemprop', '')}") else 1)
    return times[0].get("datetime").strip() if times else ""


def byline(root) -> str:
    """The author name a theme marks up (span.author.vcard, .byline, itemprop=author, rel=author)."""
    for element in root.iter("span", "a", "div", "p", "address", "em"):
        marks = f"{element.get('class', '')} {element.get('itemprop', '')} {element.get('rel', '')}"
        if _BYLINE_CLASS.search(marks) and not in_furniture(element):
            inner = [e for e in element.iter() if e is not element and _BYLINE_CLASS.search(e.get("class", ""))]
            text = text_of(inner[-1] if inner else element)
            text = re.sub(r"^(?:作者|By|文|撰稿|记者|記者)\s*[:：/]?\s*", "", text, flags=re.I).strip()
            if 1 < len(text) <= 30 and metadata.count_labels(text) == 0:
                return text
    return ""


def date_under_heading(root, heading: str) -> str:
    """A bare date line (2021-04-13 02:12) right after the headline, without any label."""
    seen = False
    for element in root.iter("h1", "h2", "h3", "div", "p", "span", "td", "small", "em", "font"):
        text = text_of(element)
        if not seen:
            seen = bool(heading) and text == heading
            continue
        if not text:
            continue
        if len(text) <= 40 and metadata.bare_date(text):
            return text
        if len(text) > 40 and not len(element):
            return ""  # the body has begun
    return ""




def publisher(root, page_metas: dict[str, str]) -> str:
    """Who published the page when no 来源 line says so: a government site's ContentSource, a WeChat account's name."""
    source = meta(page_metas, "ContentSource", "contentsource")
    if source:
        return source[:100]
    for element in root.xpath('//*[@id="js_name"]'):  # a WeChat article export: the official account
        name = text_of(element)
        if 1 < len(name) <= 30:
            return name
    return ""


def _post_meta(link) -> bool:
    """A link of the post's own meta: outside the site's furniture, or in the <article>'s own footer (a classic
    WordPress theme's entry-footer: 发布在 分类, 标签)."""
    if not in_furniture(link):
        return True
    footer = next(link.iterancestors("footer"), None)
    return footer is not None and next(footer.iterancestors("article"), None) is not None and not in_furniture(footer)


def post_categories(root) -> list[tuple[str, str]]:
    """Every category a WordPress theme prints with the post (rel="category tag", a block theme's taxonomy-category): (name, link)."""
    found: list[tuple[str, str]] = []
    for link in root.xpath('//*[contains(concat(" ", @class, " "), " taxonomy-category ")]//a | //a[contains(concat(" ", @rel, " "), " category ")]'):
        name = text_of(link)
        if 1 < len(name) <= 30 and _post_meta(link) and name not in (n for n, _ in found):
            found.append((name, (link.get("href") or "").strip()))
    return found


def post_category(root) -> tuple[str, str]:
    """The first category a WordPress theme prints with the post: (name, link), or empty strings."""
    return next(iter(post_categories(root)), ("", ""))


def post_tags(root) -> list[str]:
    """The 标签 a WordPress theme prints with the post: a block theme's taxonomy-post_tag, a classic theme's rel="tag"."""
    names: list[str] = []
    # A block theme marks its category links rel="tag" too: only the classic rel="tag" outside the category list counts.
    links = root.xpath('//*[contains(concat(" ", @class, " "), " taxonomy-post_tag ")]//a'
                       ' | //a[contains(concat(" ", @rel, " "), " tag ") and not(contains(concat(" ", @rel, " "), " category "))'
                       ' and not(ancestor::*[starts-with(@class, "taxonomy-") or contains(@class, " taxonomy-")])]')  # fmt: skip
    for link in links:
        name = text_of(link)
        if 0 < len(name) <= 30 and _post_meta(link) and name not in names:
            names.append(name)
    return names


_ARCHIVE_LABEL = re.compile(r"^(?:Category|分类|分類|栏目|欄目|类别|類別)\s*[:：]\s*", re.I)


def archive_name(root) -> str:
    """The category a category archive page is about: its heading (分类：<span>新闻中心</span>), else its <title>'s first part."""
    for heading in root.xpath('//h1[contains(@class, "query-title") or contains(@class, "page-title") or contains(@class, "archive-title")]'):
        name = text_of(heading.find(".//span")) if heading.find(".//span") is not None else _ARCHIVE_LABEL.sub("", text_of(heading))
        if 1 < len(name) <= 30:
            return name
    title = " ".join((root.findtext(".//title") or "").split())
    name = _ARCHIVE_LABEL.sub("", re.split(r"\s+[–—|_-]\s+", title)[0]) if title else ""
    return name if 1 < len(name) <= 30 else ""
