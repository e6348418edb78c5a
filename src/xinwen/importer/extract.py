"""Take a legacy news page apart: heading, breadcrumb, info line, body, images and attachments.

The main content comes from trafilatura; the Chinese-CMS parts it does not know
(breadcrumb, 来源/发布时间/浏览次数 line, （责任编辑） notes) come from
`importer.metadata`. The <title> is read but never trusted as the title: hijackers
rewrite it, so the page's own heading wins (issue 4).
"""

from __future__ import annotations

import re
from datetime import timezone
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from xinwen.importer import headline, metadata
from xinwen.importer.boilerplate import Boilerplate
from xinwen.importer.errors import NotAnArticle, SkippedPage
from xinwen.importer.pagekind import PASSWORD_REASON, skip_reason
from xinwen.importer.structure import (
    byline,
    date_under_heading,
    in_furniture,
    json_ld,
    meta,
    metas,
    post_categories,
    post_tags,
    publisher,
    text_of,
    time_element,
)

__all__ = ["Extracted", "parse_html", "extract_page", "body_media", "ATTACHMENT_SUFFIXES"]

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
_BANNER_CLASS = re.compile(r"(?:^|\s)(?:jumbotron|page-banner|inner-banner|banner|kefu|online-service|float-kefu|qq-service)(?:$|\s)", re.I)


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
    body_class: str = ""  # <body class>: WordPress names the page's kind there (single, home, archive, page)
    dated_links: int = 0  # list items holding a link and a date: many of them make a list page
    title_score: int = headline.GOOD_ENOUGH  # how sure the heading is the article's title (see `headline`)
    shortlink: str = ""  # <link rel="shortlink"> (WordPress: /?p=105)
    date_from: str = "info"  # where the date was read: structure, info, under_heading (see `confidence`)
    category_link: str = ""  # the category's archive URL when the page names only the category (WordPress themes)
    also_in: list[list[str]] = field(default_factory=list)  # paths of the post's further categories (同时发布到)
    also_in_links: list[str] = field(default_factory=list)  # their archive URLs, where the page links them
    tags: list[str] = field(default_factory=list)  # the post's 标签


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


_NAV_CONTAINER = re.compile(r"nav|menu|header|top", re.I)


def _nav_words(root, crumb: str) -> set[str]:
    """Names the page's menus and breadcrumb use: a heading equal to one is a section banner, not a title."""
    words = set()
    for link in root.iter("a"):
        for ancestor in link.iterancestors():
            if ancestor.tag in ("nav", "header") or _NAV_CONTAINER.search(f"{ancestor.get('class', '')} {ancestor.get('id', '')}"):
                text = text_of(link)
                if text:
                    words.add(text)
                break
    if crumb:
        # Short levels only: a long last level is the article's own title repeated.
        words.update(item for item in metadata.breadcrumb_items(crumb) if len(item) <= 8)
    return words


def _heading(root, *, support: list[str], crumb: str, info_element) -> tuple[str, int]:
    """The article's own heading and its score (see `headline`); ("", 0) when the page has none."""
    candidates: list[headline.Candidate] = []
    for index, element in enumerate(root.iter()):
        if element is info_element:
            if candidates:
                candidates[-1].near_info = True  # the heading nearest the date/meta line
            continue
        if element.tag in ("h1", "h2", "h3"):
            tag = element.tag
        elif element.tag in ("div", "p", "span", "td", "strong"):
            marks = f"{element.get('class', '')} {element.get('id', '')}".strip()
            if not (marks and _TITLE_CLASS.search(marks)):
                continue
            tag = "class"
        else:
            continue
        text = text_of(element)
        if not (2 <= len(text) <= 200) or element.xpath(".//img") or in_furniture(element):
            continue
        if tag == "class" and metadata.count_labels(text):
            continue
        candidates.append(headline.Candidate(text=text, tag=tag, index=index))
    for claim in support[1:]:  # og:title and JSON-LD headline, when the markup has no better heading
        if 4 <= len(claim) <= 200:
            candidates.append(headline.Candidate(text=claim, tag="meta", index=10**6))
    return headline.choose(candidates, support=support, nav=_nav_words(root, crumb))


def _smallest(candidates):
    return min(candidates, key=lambda pair: len(pair[1]), default=(None, ""))


def _breadcrumb(root):
    marked = []
    for element in root.iter("div", "p", "span", "td", "nav", "ol", "ul", "li", "section"):
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        text = text_of(element)
        if text and (metadata.is_breadcrumb(text) or (_CRUMB_CLASS.search(marks) and (">" in text or "›" in text or "»" in text))):
            if len(text) < 300:
                marked.append((element, text))
    return _smallest(marked)


def _info_line(root, heading_element=None):
    candidates = []
    for element in root.iter("div", "p", "span", "td", "li", "section", "small", "em", "font"):
        text = text_of(element)
        if 4 < len(text) < 300 and metadata.count_labels(text) >= 2:
            candidates.append((element, text))
    if not candidates:
        for element in root.iter("div", "p", "span", "td", "small"):
            text = text_of(element)
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
    container = next((element for element in root.iter("div", "td", "article", "section")
                      if any(_CONTENT_CLASS.match(mark) for mark in f"{element.get('class', '')} {element.get('id', '')}".split())
                      and text_of(element)), None)  # fmt: skip
    own = text_of(container).replace(" ", "") if container is not None else ""

    def inner() -> str:
        return "".join(lxml_html.tostring(child, encoding="unicode") for child in container) or f"<p>{own}</p>" if own else ""

    if extracted:
        match = re.search(r"<body>(.*)</body>", extracted, re.S)
        body = (match.group(1) if match else extracted).strip()
        if body:
            kept = len(re.sub(r"<[^>]+>|\s", "", body))
            if len(own) >= 40 and kept > 1.5 * len(own):
                # A layout-table template (EmpireCMS) makes trafilatura take the whole page: the CMS's container is the article.
                return inner()
            if len(own) >= 40 and len(own) > kept + 2 and _figures(container):
                # trafilatura drops figure captions and gallery pictures; the CMS's own container keeps them.
                return inner()
            return body
    # Too short for trafilatura (a two-line notice): the CMS's content container.
    return inner()


def _figures(container) -> bool:
    """The container holds pictures with captions or a gallery (what trafilatura loses)."""
    return bool(container.xpath(".//figcaption|.//*[contains(@class, 'gallery')]|.//*[contains(@class, 'wp-caption')]"))


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


# A line of escaped markup or unrendered template tags (`</div><div class="x">{pboot:sitetitle}`): a broken template, never text.
_BLOCKS = frozenset({"p", "div", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
_MARKUP_ONLY = re.compile(r"^(?:</?[a-zA-Z][^<>]{0,200}>|\{/?[a-z]+:[^{}]{0,100}\}|\[!--[^\]]{0,100}--\]|\s)+$")


def _clean_body(
    body: str, *, heading: str, crumb: str, info: str, published: str = "", template: Boilerplate | None = None, url: str = ""
) -> tuple[str, str]:
    """Drop the heading, breadcrumb, info line and page furniture extractors keep; return (body, editor note).

    `template` is what the site repeats on its pages (see `boilerplate`): blocks with
    exactly that text and the template's pictures go too.
    """
    if not body:
        return "", ""
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    _unwrap_layout_tables(root)
    editor = ""
    if template:
        for img in list(root.iter("img")):
            if template.is_image(img.get("src") or "", url):
                img.drop_tree()
    for element in list(root.iter("p", "div", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6", "span", "font", "b", "strong")):
        if element is root or _top(element) is not root:
            continue
        text = text_of(element)
        if not text or len(text) > 300:
            continue
        note = metadata.editor_note(text)
        if note and len(text) < 60:
            editor = note
            element.drop_tree()
        elif (template and element.tag in _BLOCKS and template.is_text(text)) or _MARKUP_ONLY.match(text):
            # Whole blocks only: a word inside a sentence (<strong>新闻中心</strong>) is never the template's.
            element.drop_tree()
        elif text in {heading, crumb, info} or (published and text == published and metadata.bare_date(text)) or metadata.is_chrome_line(text) or metadata.is_breadcrumb(text) or (
            metadata.count_labels(text) >= 2 and text in info
        ):
            element.drop_tree()
    for element in list(root.iter("p", "div")):
        if element is not root and _top(element) is root and not text_of(element) and not element.xpath(".//img|.//table"):
            element.drop_tree()
    inner = (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner.strip(), editor


def _top(element):
    while element.getparent() is not None:
        element = element.getparent()
    return element


def _media(root, body: str, url: str) -> tuple[list[str], list[tuple[str, str]]]:
    images: list[str] = []
    linked = re.findall(r"""<a\b[^>]+href=["']([^"']+\.(?:jpe?g|png|gif|webp))["']""", body, re.I)
    for src in re.findall(r"""<img[^>]+src=["']([^"']+)["']""", body) + linked:
        absolute = urljoin(url, src) if url else src
        if absolute not in images and not src.startswith("data:"):
            images.append(absolute)
    attachments: list[tuple[str, str]] = []
    seen = set()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href.lower().split("?")[0].endswith(ATTACHMENT_SUFFIXES) or in_furniture(link):
            continue
        absolute = urljoin(url, href) if url else href
        if absolute not in seen:
            seen.add(absolute)
            attachments.append((absolute, text_of(link)))
    return images, attachments


def body_media(body: str, url: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(image URLs, [(attachment URL, link text)]) of a body fragment (a feed entry's or a WXR post's)."""
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", body)  # lxml refuses control characters
    try:
        root = lxml_html.fragment_fromstring(body, create_parent="div")
    except (etree.ParserError, ValueError):
        return [], []
    return _media(root, body, url)


def _primary_first(categories: list[tuple[str, str]], url: str) -> list[tuple[str, str]]:
    """The printed categories with the post's own first: the one whose slug its address holds (WordPress's
    /%category%/ permalinks name the primary category; a theme prints them in name order)."""
    segments = {unquote(part) for part in urlsplit(url).path.split("/") if part}
    for index, (_name, link) in enumerate(categories):
        slug = unquote(urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]) if link else ""
        if slug and slug in segments:
            return [categories[index], *categories[:index], *categories[index + 1 :]]
    return categories


def extract_page(root, *, url: str = "", address: str = "", template: Boilerplate | None = None) -> Extracted:
    """Read a parsed page (injected blocks already removed); raise NotAnArticle without heading or body."""
    structured = json_ld(root)
    body_element = next(root.iter("body"), None)
    body_class = " ".join((body_element.get("class") or "").split()) if body_element is not None else ""
    dated_links = sum(1 for item in root.iter("li", "tr", "dd") if item.find(".//a") is not None and metadata.has_date(text_of(item)[:200]))
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    for element in root.xpath("//*[@src or @href]"):
        for name in ("src", "href"):
            value = element.get(name)
            if value is not None and value != value.strip():
                element.set(name, value.strip())  # browsers ignore the stray space PbootCMS templates leave ("a.jpg ")
    for banner in root.xpath("//*[@class or @id]"):
        marks = f"{banner.get('class', '')} {banner.get('id', '')}"
        if _BANNER_CLASS.search(marks) and banner.getparent() is not None:
            banner.drop_tree()  # a section banner (category name, slogan) or a chat widget: never the article's
    page_metas = metas(root)
    found = Extracted(
        title_tag=" ".join((root.findtext(".//title") or "").split()),
        og_title=meta(page_metas, "og:title", "twitter:title", "ArticleTitle", "title"),
        site_name=meta(page_metas, "og:site_name", "SiteName", "application-name"),
        description=meta(page_metas, "description", "og:description", "Description"),
        body_class=body_class,
        dated_links=dated_links,
    )
    found.shortlink = next((urljoin(url, (link.get("href") or "").strip()) for link in root.iter("link")
                            if (link.get("rel") or "").lower() == "shortlink" and link.get("href")), "")  # fmt: skip
    _, crumb = _breadcrumb(root)
    info_element, info_text = _info_line(root)
    support = [found.title_tag, found.og_title, structured.get("headline", "")]
    found.heading, found.title_score = _heading(root, support=support, crumb=crumb, info_element=info_element)
    found.breadcrumb = metadata.breadcrumb_items(crumb, title=found.heading) if crumb else []
    printed = _primary_first(post_categories(root), url)
    if not found.breadcrumb:
        name, link = printed[0] if printed else ("", "")
        found.breadcrumb = [name] if name else []
        found.category_link = urljoin(url, link) if name and link else ""
    # The post's further categories (同时发布到) and its 标签, as the theme prints them beside it.
    others = [(name, link) for name, link in printed if name not in found.breadcrumb]
    found.also_in = [[name] for name, _ in others]
    found.also_in_links = [urljoin(url, link) if link else "" for _, link in others]
    found.tags = post_tags(root)
    if info_text:
        found.info = metadata.parse_info_line(info_text)
    # Structure first: what the page marks up as its date and author beats any text shape.
    published = (
        time_element(root)
        or structured.get("published", "")
        or meta(page_metas, "article:published_time", "PubDate", "pubdate", "publishdate", "ArticlePubDate")
    )
    if published and metadata.parse_datetime(published, timezone.utc):
        found.info.published, found.date_from = published, "structure"
    elif not found.info.published:
        found.info.published, found.date_from = date_under_heading(root, found.heading), "under_heading"
    if not found.info.source:
        found.info.source = publisher(root, page_metas)
    author = structured.get("author") or byline(root)
    if author:
        found.info.author = author[:100]
    reason = skip_reason(
        url=address or url, body_class=found.body_class, heading=found.heading, dated_links=found.dated_links,
        has_date=bool(found.info.published),
    )  # fmt: skip
    if not reason and root.xpath('//form[contains(@action, "action=postpass") or contains(@class, "post-password-form")]'):
        reason = PASSWORD_REASON
    if reason:
        raise SkippedPage(f"不是文章，已跳过：{reason}")
    images_and_links_root = root
    body = _body(root, url)
    found.body_html, editor = _clean_body(
        body, heading=found.heading, crumb=crumb, info=info_text, published=found.info.published, template=template, url=url
    )
    if editor and not found.info.editor:
        found.info.editor = editor
    found.images, found.attachments = _media(images_and_links_root, found.body_html, url)
    if not found.heading and not found.title_tag:
        raise NotAnArticle("页面上找不到标题（没有 h1、og:title 或文章标题块）。")
    if not found.body_html:
        raise NotAnArticle("页面上找不到正文。")
    return found
