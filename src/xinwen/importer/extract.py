"""Take a legacy news page apart: heading, breadcrumb, info line, body, images and attachments.

The main content comes from trafilatura; the Chinese-CMS parts it does not know
(breadcrumb, 来源/发布时间/浏览次数 line, （责任编辑） notes) come from
`importer.metadata`. The <title> is read but never trusted as the title: hijackers
rewrite it, so the page's own heading wins (issue 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from xinwen.importer import metadata
from xinwen.importer.errors import NotAnArticle

__all__ = ["Extracted", "parse_html", "extract_page", "ATTACHMENT_SUFFIXES"]

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx")
_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:(?:article|news|content|detail|arc|show|art|con|page|post|entry|text|view|main)[-_]?(?:title|tit|bt|biaoti)"
    r"|title|biaoti|headline|tit|bt)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CRUMB_CLASS = re.compile(r"position|location|breadcrumb|crumb|weizhi|dqwz|nav[-_]?path|current|daohang|path|place|where", re.I)
_CONTENT_CLASS = re.compile(
    r"^(?:content|article|article[-_]?content|news[-_]?content|newsdetail|detail|con|text|zoom|TRS_Editor|arc[-_]?body"
    r"|content[-_]?text|entry[-_]?content|post[-_]?content|main[-_]?content|vsbcontent_\w*|v_news_content|cont)$",
    re.IGNORECASE,
)
_FURNITURE = {"header", "nav", "footer", "aside"}
_FURNITURE_CLASS = re.compile(r"(?:^|[\s_-])(?:nav|menu|header|footer|foot|top|copyright|sidebar|side|share|prenext|pagenav)(?:$|[\s_-])", re.I)


@dataclass
class Extracted:
    """What a page says about itself, as found (before any repair)."""

    title_tag: str = ""
    og_title: str = ""
    site_name: str = ""
    heading: str = ""
    description: str = ""
    breadcrumb: list[str] = field(default_factory=list)
    info: metadata.InfoLine = field(default_factory=metadata.InfoLine)
    body_html: str = ""
    images: list[str] = field(default_factory=list)  # absolute URLs (or paths relative to the page)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (URL, link text)
    notes: list[str] = field(default_factory=list)


def parse_html(text: str):
    """An lxml tree of a page however broken, or NotAnArticle when nothing is left to read."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str with an encoding declaration
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("页面是空的或无法解析为 HTML。") from exc
    if root is None or not len(root):
        raise NotAnArticle("页面是空的或无法解析为 HTML。")
    return root


def _text(element) -> str:
    return " ".join((element.text_content() or "").split()) if element is not None else ""


def _metas(root) -> dict[str, str]:
    """<meta name|property=… content=…> of the page, first one of each name."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("name") or meta.get("property")
        content = " ".join((meta.get("content") or "").split())
        if key and content and key not in found:
            found[key] = content
    return found


def _meta(metas: dict[str, str], *names: str) -> str:
    return next((metas[name] for name in names if name in metas), "")


def _in_furniture(element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _FURNITURE or _FURNITURE_CLASS.search(f"{ancestor.get('class', '')} {ancestor.get('id', '')}"):
            return True
    return False


def _heading(root, og_title: str) -> str:
    headings = [h for h in root.iter("h1") if _text(h) and not h.xpath(".//img") and not _in_furniture(h)]
    headings.sort(key=lambda h: -len(_text(h)))
    for h in headings:
        if 4 <= len(_text(h)) <= 200:
            return _text(h)
    for element in root.iter("div", "p", "span", "td", "h2", "h3", "strong"):
        marks = f"{element.get('class', '')} {element.get('id', '')}".strip()
        if marks and _TITLE_CLASS.search(marks) and not _in_furniture(element):
            text = _text(element)
            if 4 <= len(text) <= 200 and metadata.count_labels(text) == 0:
                return text
    return og_title if 4 <= len(og_title) <= 200 else ""


def _smallest(candidates):
    return min(candidates, key=lambda pair: len(pair[1]), default=(None, ""))


def _breadcrumb(root):
    marked = []
    for element in root.iter("div", "p", "span", "td", "nav", "ol", "ul", "li", "section"):
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        text = _text(element)
        if text and (metadata.is_breadcrumb(text) or (_CRUMB_CLASS.search(marks) and (">" in text or "›" in text or "»" in text))):
            if len(text) < 300:
                marked.append((element, text))
    return _smallest(marked)


def _info_line(root, heading_element=None):
    candidates = []
    for element in root.iter("div", "p", "span", "td", "li", "section", "small", "em", "font"):
        text = _text(element)
        if 4 < len(text) < 300 and metadata.count_labels(text) >= 2:
            candidates.append((element, text))
    if not candidates:
        for element in root.iter("div", "p", "span", "td", "small"):
            text = _text(element)
            if 4 < len(text) < 120 and metadata.count_labels(text) == 1 and metadata.parse_info_line(text).published:
                candidates.append((element, text))
    return _smallest(candidates)


def _body(root, url: str) -> str:
    extracted = trafilatura.extract(
        root,
        url=url or None,
        output_format="html",
        include_images=True,
        include_links=True,
        include_tables=True,
        include_comments=False,
        fast=True,
        deduplicate=False,
        favor_precision=True,
    )
    if extracted:
        match = re.search(r"<body>(.*)</body>", extracted, re.S)
        body = (match.group(1) if match else extracted).strip()
        if body:
            return body
    # Too short for trafilatura (a two-line notice): the CMS's content container.
    for element in root.iter("div", "td", "article", "section"):
        marks = f"{element.get('class', '')} {element.get('id', '')}".split()
        if any(_CONTENT_CLASS.match(mark) for mark in marks) and _text(element):
            return "".join(lxml_html.tostring(child, encoding="unicode") for child in element) or f"<p>{_text(element)}</p>"
    return ""


def _unwrap_layout_tables(root) -> None:
    """A table of one cell per row is page layout (hand-made sites), not data: keep its cells as blocks."""
    for table in list(root.iter("table")):
        rows = table.xpath("./tr|./tbody/tr|./thead/tr")
        if rows and all(len(row.xpath("./td|./th")) == 1 for row in rows):
            blocks = []
            for row in rows:
                cell = row.xpath("./td|./th")[0]
                cell.tag = "div"
                for name in list(cell.attrib):
                    del cell.attrib[name]
                blocks.append(cell)
            parent = table.getparent()
            index = parent.index(table)
            tail = table.tail
            parent.remove(table)
            for offset, block in enumerate(blocks):
                parent.insert(index + offset, block)
            if blocks:
                blocks[-1].tail = tail


def _clean_body(body: str, *, heading: str, crumb: str, info: str) -> tuple[str, str]:
    """Drop the heading, breadcrumb, info line and page furniture extractors keep; return (body, editor note)."""
    if not body:
        return "", ""
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    _unwrap_layout_tables(root)
    editor = ""
    for element in list(root.iter("p", "div", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6", "span", "font", "b", "strong")):
        if element is root or _top(element) is not root:
            continue
        text = _text(element)
        if not text or len(text) > 300:
            continue
        note = metadata.editor_note(text)
        if note and len(text) < 60:
            editor = note
            element.drop_tree()
        elif text in {heading, crumb, info} or metadata.is_chrome_line(text) or metadata.is_breadcrumb(text) or (
            metadata.count_labels(text) >= 2 and text in info
        ):
            element.drop_tree()
    for element in list(root.iter("p", "div")):
        if element is not root and _top(element) is root and not _text(element) and not element.xpath(".//img|.//table"):
            element.drop_tree()
    inner = (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner.strip(), editor


def _top(element):
    while element.getparent() is not None:
        element = element.getparent()
    return element


def _media(root, body: str, url: str) -> tuple[list[str], list[tuple[str, str]]]:
    images: list[str] = []
    for src in re.findall(r"""<img[^>]+src=["']([^"']+)["']""", body):
        absolute = urljoin(url, src) if url else src
        if absolute not in images and not src.startswith("data:"):
            images.append(absolute)
    attachments: list[tuple[str, str]] = []
    seen = set()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href.lower().split("?")[0].endswith(ATTACHMENT_SUFFIXES) or _in_furniture(link):
            continue
        absolute = urljoin(url, href) if url else href
        if absolute not in seen:
            seen.add(absolute)
            attachments.append((absolute, _text(link)))
    return images, attachments


def extract_page(root, *, url: str = "") -> Extracted:
    """Read a parsed page (injected blocks already removed); raise NotAnArticle without heading or body."""
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    metas = _metas(root)
    found = Extracted(
        title_tag=" ".join((root.findtext(".//title") or "").split()),
        og_title=_meta(metas, "og:title", "twitter:title", "ArticleTitle", "title"),
        site_name=_meta(metas, "og:site_name", "SiteName", "application-name"),
        description=_meta(metas, "description", "og:description", "Description"),
    )
    found.heading = _heading(root, found.og_title)
    _, crumb = _breadcrumb(root)
    found.breadcrumb = metadata.breadcrumb_items(crumb, title=found.heading) if crumb else []
    _, info_text = _info_line(root)
    if info_text:
        found.info = metadata.parse_info_line(info_text)
    if not found.info.published:
        published = _meta(metas, "article:published_time", "PubDate", "pubdate", "publishdate", "ArticlePubDate")
        found.info.published = published
    images_and_links_root = root
    body = _body(root, url)
    found.body_html, editor = _clean_body(body, heading=found.heading, crumb=crumb, info=info_text)
    if editor and not found.info.editor:
        found.info.editor = editor
    found.images, found.attachments = _media(images_and_links_root, found.body_html, url)
    if not found.heading and not found.title_tag:
        raise NotAnArticle("页面上找不到标题（没有 h1、og:title 或文章标题块）。")
    if not found.body_html:
        raise NotAnArticle("页面上找不到正文。")
    return found
