"""Structured exports: WordPress WXR, RSS 2.0, Atom and sitemaps, read with a parser that resolves no entities.

Each entry becomes a dict for `pipeline.Source(kind="entry")`: title, body_html,
published ("YYYY-MM-DD HH:MM:SS" in the site's time zone), author, categories, link.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from email.utils import parsedate_to_datetime
from html import escape

from lxml import etree

__all__ = ["parse_xml", "xml_kind", "wp_body", "wxr_entries", "feed_entries", "feed_next", "sitemap_urls"]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True, load_dtd=False)
_BLOCK = re.compile(r"<(?:p|div|table|ul|ol|h[1-6]|blockquote|pre|figure)\b", re.I)


def parse_xml(data: bytes):
    """An XML tree with entities left unresolved (no XXE, no billion laughs); None if not XML."""
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def xml_kind(root) -> str:
    """"wxr", "rss", "atom", "sitemap", "sitemapindex" or "" for other XML."""
    if root is None:
        return ""
    name = _local(root.tag)
    if name == "rss":
        return "wxr" if any("wordpress.org/export" in (ns or "") for ns in root.nsmap.values()) else "rss"
    return {"feed": "atom", "urlset": "sitemap", "sitemapindex": "sitemapindex"}.get(name, "")


def _child(element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _namespaced(element, name: str, namespace_part: str) -> str:
    """The text of a child by local name and namespace (WXR has both content:encoded and excerpt:encoded)."""
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) == name and namespace_part in (etree.QName(child.tag).namespace or ""):
            return (child.text or "").strip()
    return ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _local_time(value: str, tz: tzinfo) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    moment: datetime | None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value  # leave it to the Chinese date patterns
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def autop(text: str) -> str:
    """WordPress stores bodies without <p>: blank lines are paragraphs, single newlines <br> (as wpautop does)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(p if _BLOCK.match(p) else "<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)


_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# <!--nextpage--> splits a post into pages (joined here: one article); <!--more--> marks the teaser's end.
_PAGE_BREAK = re.compile(r"<!--\s*(?:nextpage|more\b[^>]*|noteaser)\s*-->", re.I)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_IDS = re.compile(r"""\bids\s*=\s*["']?([\d,\s]+)""", re.I)
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp)(?:$|\?)", re.I)
_EMPTY_P = re.compile(r"<p>(?:\s|&nbsp;|<br\s*/?>)*</p>", re.I)
_CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_IMG = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.I)


def _caption(match: re.Match) -> str:
    inner = match.group(1)
    image = _IMG.search(inner)
    if not image:
        return inner
    text = (inner[: image.start()] + inner[image.end() :]).strip()
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{image.group(0)}{caption}</figure>"


def _figure(media: dict) -> str:
    caption = escape(media.get("caption") or "", quote=False)
    alt = escape(media.get("title") or "", quote=True)
    img = f'<img src="{escape(media["url"], quote=True)}" alt="{alt}">'
    return f"<figure>{img}<figcaption>{caption}</figcaption></figure>" if caption else f"<figure>{img}</figure>"


def _gallery(match: re.Match, media: dict[str, dict], post_id: str) -> str:
    """[gallery ids="3,4"] (or a bare [gallery]: the post's attached images) as one <figure> per image."""
    ids = _IDS.search(match.group(1))
    if ids:
        chosen = [media[i] for i in re.findall(r"\d+", ids.group(1)) if i in media]
    else:
        chosen = [m for m in media.values() if m.get("parent") == post_id and _IMAGE_SUFFIX.search(m["url"])]
    return "\n\n" + "\n\n".join(_figure(m) for m in chosen if m.get("url")) + "\n\n"


def wp_body(text: str, *, media: dict[str, dict] | None = None, post_id: str = "") -> str:
    """A WordPress post body as clean HTML: block comments, page breaks and empty paragraphs gone,
    [caption] and [gallery] as <figure>s (`media`: the export's attachments by post id)."""
    text = _BLOCK_COMMENT.sub("", text)
    text = _PAGE_BREAK.sub("\n\n", text)
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(lambda m: _gallery(m, media or {}, post_id), text)
    return _EMPTY_P.sub("", autop(text))


def _wxr_media(channel) -> dict[str, dict]:
    """The export's attachment items by post id: file URL, title, caption and the post they belong to."""
    media = {}
    for item in _children(channel, "item"):
        if _child(item, "post_type") != "attachment":
            continue
        url = _child(item, "attachment_url") or _child(item, "guid")
        if url:
            media[_child(item, "post_id")] = {
                "url": url, "title": _child(item, "title"), "caption": _namespaced(item, "encoded", "excerpt"), "parent": _child(item, "post_parent"),
            }  # fmt: skip
    return media


def _category_paths(channel) -> dict[str, list[str]]:
    """nicename -> [parent names…, name] from the export's <wp:category> list (the tree WordPress kept).

    In the order of their term ids: WordPress takes a post's category with the lowest id as
    its own (its /%category%/ permalink and breadcrumbs), whatever order the export lists.
    """
    found = {}
    for category in _children(channel, "category"):
        nicename = _child(category, "category_nicename")
        if nicename:
            term_id = _child(category, "term_id")
            found[nicename] = (_child(category, "cat_name"), _child(category, "category_parent"), int(term_id) if term_id.isdigit() else 1 << 62)
    found = dict(sorted(found.items(), key=lambda item: item[1][2]))
    paths = {}
    for nicename in found:
        path, seen, at = [], set(), nicename
        while at in found and at not in seen:
            seen.add(at)
            name, parent, _term_id = found[at]
            path.insert(0, name)
            at = parent
        paths[nicename] = path
    return paths


def _gmt_time(value: str, tz: tzinfo) -> str:
    """A WXR post_date_gmt ("2018-01-01 00:00:00", UTC) in our time zone; "" when unset (drafts: 0000-00-00)."""
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return ""
    return _local_time(value.replace(" ", "T") + "+00:00", tz)


def wxr_entries(root, *, tz: tzinfo) -> list[dict]:
    """Published posts of a WordPress export, with authors' display names and categories."""
    channel = next(iter(_children(root, "channel")), root)
    authors = {_child(a, "author_login"): _child(a, "author_display_name") for a in _children(channel, "author")}
    paths = _category_paths(channel)
    media = _wxr_media(channel)
    entries = []
    for item in _children(channel, "item"):
        # Pages are not news; drafts, private and pending posts were never public and must not become so.
        if _child(item, "post_type") not in ("post", "") or _child(item, "status") not in ("publish", ""):
            continue
        login = _child(item, "creator")
        categories = [c for c in _children(item, "category") if c.get("domain", "category") == "category"]
        named = {c.get("nicename", "") for c in categories}
        known = [path for nicename, path in paths.items() if nicename in named]  # by term id: the post's own first
        path = known[0] if known else None
        post_id = _child(item, "post_id")
        files = [(m["url"], m["title"]) for m in media.values() if m["parent"] == post_id and not _IMAGE_SUFFIX.search(m["url"])]
        entries.append(
            {
                "title": _child(item, "title"),
                "link": _child(item, "link") or _child(item, "guid"),
                "body_html": wp_body(_child(item, "encoded"), media=media, post_id=post_id),
                "attachments": files,  # a PDF attached to the post but not linked in its text still belongs to it
                # A password-protected post is held for an editor: its text was never public.
                "hold_reason": "原文章设有访问密码（WordPress post_password），未公开发布" if _child(item, "post_password") else "",
                "summary": "",
                # post_date is in the old site's time zone, which need not be ours: the GMT column first.
                "published": _gmt_time(_child(item, "post_date_gmt"), tz) or _local_time(_child(item, "pubDate"), tz)
                or _local_time(_child(item, "post_date"), tz),
                "author": authors.get(login) or login,
                "categories": path or [(c.text or "").strip() for c in categories][:1],
                "also_in": known[1:],  # its further categories: 同时发布到 where the site allows it
                "tags": list(dict.fromkeys(t for c in _children(item, "category") if c.get("domain") == "post_tag"
                                           for t in [(c.text or "").strip()] if t)),  # fmt: skip
                "legacy_id": post_id,
            }
        )
    return entries


def feed_entries(root, *, tz: tzinfo) -> list[dict]:
    """Items of an RSS 2.0 or Atom feed; `body_html` is empty when the feed carries only a summary."""
    entries = []
    if _local(root.tag) == "rss":
        channel = next(iter(_children(root, "channel")), root)
        for item in _children(channel, "item"):
            content = _child(item, "encoded")
            summary = _child(item, "description")
            body = content or (summary if len(re.sub(r"<[^>]+>", "", summary)) > 200 else "")
            images, files = _enclosures(item)
            if body:
                body += "".join(_figure({"url": url}) for url in images if url not in body)
            entries.append(
                {
                    "title": _child(item, "title"),
                    "link": _child(item, "link") or _child(item, "guid"),
                    "body_html": body,
                    "attachments": files,
                    "summary": re.sub(r"<[^>]+>", "", summary)[:300],
                    "published": _local_time(_child(item, "pubDate") or _child(item, "date"), tz),
                    "author": _child(item, "creator") or _child(item, "author"),
                    "categories": _feed_categories(item),
                    "tags": _feed_tags(item),
                    # Several <category> without a domain: WordPress's categories and tags alike, in one list.
                    "mixed_terms": sum(1 for c in _children(item, "category") if (c.text or "").strip() and not c.get("domain")) > 1,
                    # WordPress's <guid> is the post's short address (/?p=105): kept to redirect it too.
                    "shortlink": guid if "?p=" in (guid := _child(item, "guid")) else "",
                }
            )
        return entries
    for entry in _children(root, "entry"):
        links = [link for link in _children(entry, "link") if link.get("rel", "alternate") == "alternate"]
        content = next(iter(_children(entry, "content")), None)
        body = ""
        if content is not None:
            body = content.text or ""
            if content.get("type") == "xhtml":
                body = "".join(etree.tostring(child, encoding="unicode") for child in content)
            elif content.get("type", "text") == "text":
                body = autop(escape(body, quote=False))
        author = next(iter(_children(entry, "author")), None)
        entries.append(
            {
                "title": _child(entry, "title"),
                "link": links[0].get("href", "") if links else _child(entry, "id"),
                "body_html": body,
                "summary": _child(entry, "summary")[:300],
                "published": _local_time(_child(entry, "published") or _child(entry, "updated"), tz),
                "author": _child(author, "name") if author is not None else "",
                "categories": [c.get("term", "") for c in _children(entry, "category") if c.get("term")],
            }
        )
    return entries


def _feed_categories(item) -> list[str]:
    """An item's categories before its tags: WordPress marks them domain="category"; without domains, as written.

    WordPress's own RSS writes the post's categories first, then its tags, all as <category>;
    the importer takes the first of these that names a known category (see services).
    """
    found = [((c.text or "").strip(), (c.get("domain") or "").strip().lower()) for c in _children(item, "category")]
    found = [(name, domain) for name, domain in found if name]
    marked = [name for name, domain in found if domain == "category"]
    if marked:
        return marked
    return [name for name, domain in found if domain in ("", "category")]


def _feed_tags(item) -> list[str]:
    """An item's 标签 where the feed marks them (domain="post_tag" or "tag"); WordPress's own RSS does not."""
    names = [(c.text or "").strip() for c in _children(item, "category") if (c.get("domain") or "").strip().lower() in ("post_tag", "tag")]
    return list(dict.fromkeys(name for name in names if name))


def _enclosures(item) -> tuple[list[str], list[tuple[str, str]]]:
    """(image URLs, [(file URL, title)]) of an RSS item's <enclosure>s."""
    images, files = [], []
    for enclosure in _children(item, "enclosure"):
        url = (enclosure.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        if (enclosure.get("type") or "").startswith("image/") or _IMAGE_SUFFIX.search(url):
            images.append(url)
        else:
            files.append((url, ""))
    return images, files


def feed_next(root) -> str:
    """The next page of a paged feed (<atom:link rel="next">, RFC 5005), or ""."""
    if root is None:
        return ""
    channel = next(iter(_children(root, "channel")), root) if _local(root.tag) == "rss" else root
    for link in _children(channel, "link"):
        if link.get("rel") == "next" and link.get("href"):
            return link.get("href").strip()
    return ""


def sitemap_urls(root) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index."""
    pages, nested = [], []
    for element in root:
        location = _child(element, "loc")
        if not location:
            continue
        (nested if _local(element.tag) == "sitemap" else pages).append(location)
    return pages, nested
