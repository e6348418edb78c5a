"""A polite same-host crawl of a legacy news center: sitemap first, then list pages; resumable.

The frontier (article URLs still to import) and the URLs done are kept in
`CrawlState`, saved as pages finish, so `xinwen import --crawl URL` run again after
an interruption goes on where it stopped instead of starting over.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import html as lxml_html

from xinwen.importer.errors import ImportFailed
from xinwen.importer.feeds import parse_xml, sitemap_urls, xml_kind
from xinwen.importer.fetch import Fetcher
from xinwen.importer.models import CrawlState
from xinwen.importer.pipeline import Source
from xinwen.importer.sources import Item

__all__ = ["crawl_items", "is_article_url", "is_list_url"]

log = logging.getLogger(__name__)
_ARTICLE = re.compile(
    r"(?:/\d{2,}\.s?html?$|/[a-z]*_?\d{3,}\.s?html?$|view\.php\?.*\baid=\d+|show\.(?:php|asp|aspx)\?.*\bid=\d+|"
    r"/(?:content|article|detail|news|info)[_/-]?\d+|/\d{4}[-/]?\d{2}[-/]?\d{2}/[^/]+|\?p=\d+$|/t\d{8}_\d+\.html?$)",
    re.IGNORECASE,
)
_LIST = re.compile(r"(?:list|index_\d+|page[=/_-]?\d+|/p\d+\.html?$|/$|/\w+/?$|\?.*(?:page|pn|p)=\d+)", re.I)
_NEXT_TEXT = re.compile(r"下一页|下一頁|下页|末页|尾页|更多|more|next|»", re.I)
MAX_LIST_PAGES = 500
SAVE_EVERY = 20


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def is_article_url(url: str) -> bool:
    return bool(_ARTICLE.search(url))


def is_list_url(url: str) -> bool:
    return not is_article_url(url) and bool(_LIST.search(urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")))


def _links(data: bytes, base: str) -> list[tuple[str, str]]:
    try:
        root = lxml_html.document_fromstring(data)
    except Exception:  # a list page that does not parse just has no links for us
        return []
    found = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            found.append((urldefrag(urljoin(base, href))[0], " ".join(a.text_content().split())))
    return found


def _discover(start: str, fetcher: Fetcher, max_pages: int) -> list[str]:
    """Article URLs of the start URL's host: from its sitemaps, else by walking list pages."""
    host = _host(start)
    articles: list[str] = []
    seen: set[str] = set()

    def add(url: str) -> None:
        if _host(url) == host and url not in seen and fetcher.allowed(url):
            seen.add(url)
            articles.append(url)

    sitemaps = fetcher.sitemaps(start) or [urljoin(start, "/sitemap.xml")]
    if start.endswith(".xml"):
        sitemaps.insert(0, start)
    queue, visited = list(dict.fromkeys(sitemaps)), set()
    while queue and len(visited) < 50:
        url = queue.pop(0)
        visited.add(url)
        try:
            root = parse_xml(fetcher.get(url).data)
        except ImportFailed:
            continue
        if xml_kind(root) in ("sitemap", "sitemapindex"):
            pages, nested = sitemap_urls(root)
            for page in pages:
                add(page)
            queue += [n for n in nested if n not in visited and _host(n) == host]
    if articles or start.endswith(".xml"):
        return articles[:max_pages] if max_pages else articles

    lists, listed = [start], set()
    while lists and len(listed) < MAX_LIST_PAGES and (not max_pages or len(articles) < max_pages):
        url = lists.pop(0)
        if url in listed:
            continue
        listed.add(url)
        try:
            fetched = fetcher.get(url)
        except ImportFailed as exc:
            log.warning("list page skipped: %s", exc)
            continue
        for link, text in _links(fetched.data, fetched.url):
            if _host(link) != host:
                continue
            if is_article_url(link):
                add(link)
            elif link not in listed and (_NEXT_TEXT.search(text) or (is_list_url(link) and link.startswith(start.rsplit("/", 1)[0]))):
                lists.append(link)
    return articles[:max_pages] if max_pages else articles


def crawl_items(start: str, *, fetcher: Fetcher, max_pages: int = 0, restart: bool = False, dry_run: bool = False) -> Iterator[Item]:
    """Items for every article of a site, resuming a crawl of the same start URL that was interrupted."""
    key = hashlib.sha256(start.encode()).hexdigest()
    state = None if dry_run else CrawlState.objects.filter(start_hash=key).first()
    if state is not None and (restart or not state.pending):
        state.delete()
        state = None
    if state is None:
        pending = _discover(start, fetcher, max_pages)
        if not dry_run:
            state = CrawlState.objects.create(start_hash=key, start_url=start, pending=pending, done=[])
    else:
        log.info("resuming crawl of %s: %d pages left", start, len(state.pending))
        pending = list(state.pending)
    done = set(state.done) if state else set()
    unsaved = 0

    def save() -> None:
        nonlocal unsaved
        if state is not None and unsaved:
            state.done = sorted(done)
            state.pending = [u for u in state.pending if u not in done]
            state.save(update_fields=["done", "pending", "updated_at"])
            unsaved = 0

    def finish(url: str) -> None:
        nonlocal unsaved
        done.add(url)
        unsaved += 1
        if unsaved >= SAVE_EVERY:  # re-importing a few pages after a crash costs nothing: imports are idempotent
            save()

    try:
        for url in pending:
            if url in done:
                continue

            def load(url: str = url) -> Source:
                fetched = fetcher.get(url)
                return Source(ref=url, kind="html", data=fetched.data, url=fetched.url, http_charset=fetched.charset)

            yield Item(url, load, done=lambda url=url: finish(url))
    finally:  # also when the operator interrupts the import
        save()
