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
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from xinwen.importer.boilerplate import SAMPLE_PAGES, Boilerplate, boilerplate_learn
from xinwen.importer.errors import FetchFailed, ImportFailed
from xinwen.importer.feeds import feed_entries, feed_next, parse_xml, sitemap_urls, wxr_entries, xml_kind
from xinwen.importer.fetch import Fetcher, read_local
from xinwen.importer.multipage import MAX_PAGES, continuation_urls, probed_page
from xinwen.importer.pipeline import Source

__all__ = ["Item", "items_for", "page_source", "PAGE_SUFFIXES"]

log = logging.getLogger(__name__)
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".txt", ".xml"}
_XML_TYPES = ("xml", "rss", "atom")
MAX_FEED_PAGES = 50  # a feed's pages followed at most (--feed-pages)
# WordPress (and most feeds) hold only the newest items, 10 by default: a full first page with no
# further pages is a feed that has more than it shows.
FULL_FEED = 10


@dataclass
class Item:
    """One page to import: its reference for reports, and how to load it."""

    ref: str
    load: Callable[[], Source]
    done: Callable[..., None] = lambda status="": None  # told the page's outcome (created, failed, …)


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


def _paged(url: str, number: int) -> str:
    """The WordPress spelling of a feed's page N: ?paged=N, kept beside the feed's other parameters."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"] + [("paged", str(number))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _feed_items(root, *, origin: str, tz: tzinfo, fetcher: Fetcher | None, warnings: list | None, max_pages: int) -> Iterator[Item]:
    """Items of a feed and of its further pages (rel="next", else WordPress's ?paged=N), up to `max_pages`.

    Feeds usually show only the newest items; when the pages end while every page was
    full, the report says that older articles are missing and how to get them.
    """
    entries = feed_entries(root, tz=tz)
    mixed = any(e.get("mixed_terms") for e in entries)
    seen = {e.get("link") for e in entries}
    first_size, last_size, pages = len(entries), len(entries), 1
    yield from _entry_items(entries, origin=origin, fetcher=fetcher)
    remote = origin.startswith(("http://", "https://")) and fetcher is not None
    stopped_by_limit = False
    while remote and entries:
        if pages >= max_pages:
            stopped_by_limit = True
            break
        url = feed_next(root) or _paged(origin, pages + 1)
        try:
            root = parse_xml(fetcher.get(url).data)
        except ImportFailed:
            break
        if xml_kind(root) not in ("rss", "atom"):
            break
        entries = [e for e in feed_entries(root, tz=tz) if e.get("link") not in seen]
        if not entries:  # a site that ignores ?paged answers page 1 again
            break
        seen |= {e.get("link") for e in entries}
        mixed = mixed or any(e.get("mixed_terms") for e in entries)
        pages, last_size = pages + 1, len(entries)
        yield from _entry_items(entries, origin=url, fetcher=fetcher)
    if warnings is not None and first_size >= FULL_FEED and (stopped_by_limit or last_size >= first_size):
        reason = f"已读到 --feed-pages 上限 {max_pages} 页" if stopped_by_limit else f"读了 {pages} 页，没有更早的分页"
        warnings.append(
            f"订阅源 {origin} 可能只包含最新的文章（{reason}，共 {len(seen)} 篇）：更早的文章请用 WordPress 导出（WXR）或 --crawl 导入。"
        )
    if warnings is not None and mixed:
        warnings.append(
            f"订阅源 {origin} 不区分栏目与标签（<category> 没有 domain）：每篇文章只导入到其中第一个已有的栏目，"
            "其余栏目（同时发布到）和标签没有导入；要完整保留请用 WordPress 导出（WXR）或 --crawl 导入。"
        )


def _xml_items(data: bytes, *, origin: str, tz: tzinfo, fetcher: Fetcher | None, depth: int = 0,
               warnings: list | None = None, feed_pages: int = MAX_FEED_PAGES) -> Iterator[Item] | None:  # fmt: skip
    root = parse_xml(data)
    kind = xml_kind(root)
    if kind == "wxr":
        return _entry_items(wxr_entries(root, tz=tz), origin=origin, fetcher=None)
    if kind in ("rss", "atom"):
        return _feed_items(root, origin=origin, tz=tz, fetcher=fetcher, warnings=warnings, max_pages=feed_pages)
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


def page_source(url: str, fetcher: Fetcher, fetched=None) -> Source:
    """A web page with its pages 2, 3, … when the post is split (see `multipage`); a missing later page stays empty."""
    fetched = fetched or fetcher.get(url)
    more = []
    for more_url in continuation_urls(fetched.data, fetched.url):
        try:
            page = fetcher.get(more_url)
            more.append((more_url, page.data, page.charset))
        except ImportFailed as exc:
            log.warning("page %s of %s: %s", more_url, url, exc)
            more.append((more_url, b"", ""))
    number = 2
    while not more[number - 2 :] and number <= MAX_PAGES and (probe := probed_page(fetched.data, fetched.url, number)):
        try:  # a page the post does not have redirects to the post (or fails): the post ends there
            page = fetcher.get(probe)
        except ImportFailed:
            break
        if page.url.rstrip("/") != probe.rstrip("/"):
            break
        more.append((probe, page.data, page.charset))
        number += 1
    return Source(ref=url, kind="html", data=fetched.data, url=fetched.url, http_charset=fetched.charset, more=more)


def _url_item(url: str, fetcher: Fetcher) -> Item:
    return Item(url, lambda: page_source(url, fetcher))


def _file_item(path: Path, *, ref: str, url: str, max_bytes: int, template: Boilerplate | None = None) -> Item:
    kind = "text" if path.suffix.lower() == ".txt" else "html"

    def load() -> Source:
        data = read_local(path, max_bytes=max_bytes)
        return Source(ref=ref, kind=kind, data=data, url=url, local_dir=str(path.parent), template=template if kind == "html" else None)

    return Item(ref, load)


def _folder_template(files: list[Path], *, root: Path, base_url: str, max_bytes: int) -> Boilerplate:
    """What the pages of a saved site repeat (see `boilerplate`), learned from a sample of its HTML files."""
    pages = [p for p in files if p.suffix.lower() in (".html", ".htm", ".shtml")]
    sample = pages if len(pages) <= SAMPLE_PAGES else [pages[int(i * len(pages) / SAMPLE_PAGES)] for i in range(SAMPLE_PAGES)]
    read = []
    for page in sample:
        try:
            # Pictures are compared by the URL the import resolves them against: the old site's, or none.
            url = urljoin(base_url, page.resolve().relative_to(root).as_posix()) if base_url else ""
            read.append((read_local(page, max_bytes=max_bytes), "", url))
        except ImportFailed:
            continue
    return boilerplate_learn(read)


def _local_items(path: Path, *, base_url: str, root: Path, tz: tzinfo, fetcher: Fetcher | None, max_bytes: int,
                 warnings: list | None = None, template: Boilerplate | None = None) -> Iterator[Item]:  # fmt: skip
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
        items = _xml_items(data, origin=ref, tz=tz, fetcher=fetcher, warnings=warnings)
        if items is None:
            yield _failing(ref, ImportFailed("XML 文件既不是 WordPress 导出（WXR）、RSS/Atom，也不是 sitemap。"))
        else:
            yield from items
        return
    yield _file_item(path, ref=ref, url=url, max_bytes=max_bytes, template=template)


def items_for(
    inputs: list[str], *, tz: tzinfo, fetcher: Fetcher | None, base_url: str = "", max_bytes: int,
    warnings: list | None = None, feed_pages: int = MAX_FEED_PAGES,
) -> Iterator[Item]:  # fmt: skip
    """Items for the command's positional inputs: files, folders (recursively), URLs, feeds and WXR files.

    What the report should warn about (a feed that holds only its newest items) is appended to `warnings`.
    """
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
                items = _xml_items(fetched.data, origin=raw, tz=tz, fetcher=fetcher, warnings=warnings, feed_pages=feed_pages)
            if items is not None:
                yield from items
            else:
                yield Item(raw, lambda raw=raw, fetched=fetched: page_source(raw, fetcher, fetched))
            continue
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
            template = _folder_template(files, root=root, base_url=base_url, max_bytes=max_bytes)  # a saved site repeats its template
            for child in files:
                yield from _local_items(child, base_url=base_url, root=root, tz=tz, fetcher=fetcher, max_bytes=max_bytes,
                                        warnings=warnings, template=template)  # fmt: skip
        elif path.is_file():
            yield from _local_items(path, base_url=base_url, root=path.resolve().parent, tz=tz, fetcher=fetcher, max_bytes=max_bytes,
                                    warnings=warnings)  # fmt: skip
        else:
            yield _failing(raw, ImportFailed(f"找不到文件或文件夹：{raw}"))
