"""What `xinwen import` reads: files, folders, URLs, feeds, WXR exports and same-host crawls.

Every source becomes a stream of `Item`s, one per page, each loaded only when its
turn comes, so that one page that cannot be read fails alone (issue 4).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from urllib.parse import urljoin

from xinwen.importer.errors import FetchFailed, ImportFailed
from xinwen.importer.feeds import feed_entries, parse_xml, sitemap_urls, wxr_entries, xml_kind
from xinwen.importer.fetch import Fetcher, read_local
from xinwen.importer.pipeline import Source

__all__ = ["Item", "items_for", "PAGE_SUFFIXES"]

log = logging.getLogger(__name__)
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".txt", ".xml"}
_XML_TYPES = ("xml", "rss", "atom")


@dataclass
class Item:
    """One page to import: its reference for reports, and how to load it."""

    ref: str
    load: Callable[[], Source]
    done: Callable[[], None] = lambda: None


def _failing(ref: str, error: ImportFailed) -> Item:
    def load() -> Source:
        raise error

    return Item(ref, load)


def _entry_items(entries: list[dict], *, origin: str, fetcher: Fetcher | None) -> Iterator[Item]:
    for index, entry in enumerate(entries):
        link = entry.get("link") or ""
        ref = link or f"{origin}#{entry.get('legacy_id') or index + 1}"
        if not entry.get("body_html") and link.startswith(("http://", "https://")) and fetcher is not None:
            # A summary-only feed: the page itself has the article.
            yield _url_item(link, fetcher)
        else:
            yield Item(ref, lambda entry=entry, ref=ref, link=link: Source(ref=ref, kind="entry", entry=entry, url=link))


def _xml_items(data: bytes, *, origin: str, tz: tzinfo, fetcher: Fetcher | None, depth: int = 0) -> Iterator[Item] | None:
    root = parse_xml(data)
    kind = xml_kind(root)
    if kind == "wxr":
        return _entry_items(wxr_entries(root, tz=tz), origin=origin, fetcher=None)
    if kind in ("rss", "atom"):
        return _entry_items(feed_entries(root, tz=tz), origin=origin, fetcher=fetcher)
    if kind in ("sitemap", "sitemapindex") and fetcher is not None:
        return _sitemap_items(root, fetcher=fetcher, tz=tz, depth=depth)
    return None


def _sitemap_items(root, *, fetcher: Fetcher, tz: tzinfo, depth: int) -> Iterator[Item]:
    pages, nested = sitemap_urls(root)
    for url in pages:
        yield _url_item(url, fetcher)
    for url in nested if depth < 3 else []:
        try:
            fetched = fetcher.get(url)
        except ImportFailed as exc:
            yield _failing(url, exc)
            continue
        yield from _xml_items(fetched.data, origin=url, tz=tz, fetcher=fetcher, depth=depth + 1) or []


def _url_item(url: str, fetcher: Fetcher) -> Item:
    def load() -> Source:
        fetched = fetcher.get(url)
        return Source(ref=url, kind="html", data=fetched.data, url=fetched.url, http_charset=fetched.charset)

    return Item(url, load)


def _file_item(path: Path, *, ref: str, url: str, max_bytes: int) -> Item:
    kind = "text" if path.suffix.lower() == ".txt" else "html"

    def load() -> Source:
        return Source(ref=ref, kind=kind, data=read_local(path, max_bytes=max_bytes), url=url, local_dir=str(path.parent))

    return Item(ref, load)


def _local_items(path: Path, *, base_url: str, root: Path, tz: tzinfo, fetcher: Fetcher | None, max_bytes: int) -> Iterator[Item]:
    resolved = path.resolve()
    relative = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.name
    url = urljoin(base_url, relative) if base_url else ""
    ref = url or resolved.as_uri()
    if path.suffix.lower() == ".xml":
        try:
            data = read_local(path, max_bytes=max_bytes)
        except ImportFailed as exc:
            yield _failing(ref, exc)
            return
        items = _xml_items(data, origin=ref, tz=tz, fetcher=fetcher)
        if items is None:
            yield _failing(ref, ImportFailed("XML 文件既不是 WordPress 导出（WXR）、RSS/Atom，也不是 sitemap。"))
        else:
            yield from items
        return
    yield _file_item(path, ref=ref, url=url, max_bytes=max_bytes)


def items_for(
    inputs: list[str], *, tz: tzinfo, fetcher: Fetcher | None, base_url: str = "", max_bytes: int
) -> Iterator[Item]:
    """Items for the command's positional inputs: files, folders (recursively), URLs, feeds and WXR files."""
    for raw in inputs:
        if raw.startswith(("http://", "https://")):
            if fetcher is None:
                yield _failing(raw, FetchFailed("已关闭网络访问（--offline），不能导入网址。"))
                continue
            try:
                fetched = fetcher.get(raw)
            except ImportFailed as exc:
                yield _failing(raw, exc)
                continue
            items = None
            if any(t in fetched.content_type for t in _XML_TYPES) or fetched.data.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed"):
                items = _xml_items(fetched.data, origin=raw, tz=tz, fetcher=fetcher)
            if items is not None:
                yield from items
            else:
                source = Source(ref=raw, kind="html", data=fetched.data, url=fetched.url, http_charset=fetched.charset)
                yield Item(raw, lambda source=source: source)
            continue
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES):
                yield from _local_items(child, base_url=base_url, root=root, tz=tz, fetcher=fetcher, max_bytes=max_bytes)
        elif path.is_file():
            yield from _local_items(path, base_url=base_url, root=path.resolve().parent, tz=tz, fetcher=fetcher, max_bytes=max_bytes)
        else:
            yield _failing(raw, ImportFailed(f"找不到文件或文件夹：{raw}"))
