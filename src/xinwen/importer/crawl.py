"""A polite same-host crawl of a legacy news center: sitemap first, then list pages; resumable.

The frontier (article URLs still to import) and the URLs done are kept in
`CrawlState`, saved as pages finish, so `xinwen import --crawl URL` run again after
an interruption goes on where it stopped instead of starting over.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from xinwen.importer.boilerplate import SAMPLE_PAGES, Boilerplate, boilerplate_learn
from xinwen.importer.errors import ImportFailed
from xinwen.importer.feeds import parse_xml, sitemap_urls, xml_kind
from xinwen.importer.fetch import Fetcher
from xinwen.importer.models import CrawlState
from xinwen.importer.multipage import first_pages
from xinwen.importer.sources import Item, page_source
from xinwen.importer.structure import archive_name

__all__ = ["crawl_items", "category_parents", "is_article_url", "is_list_url", "Scope"]

log = logging.getLogger(__name__)
_ARTICLE = re.compile(
    r"(?:/\d{2,}\.s?html?$|/[a-z]*_?\d{3,}\.s?html?$|view\.php\?.*\baid=\d+|show\.(?:php|asp|aspx)\?.*\bid=\d+|"
    r"/(?:content|article|detail|news|info)[_/-]?\d+|/\d{4}[-/]?\d{2}[-/]?\d{2}/[^/]+|\?p=\d+$|/t\d{8}_\d+\.html?$"
    r"|/\?[a-z][\w-]*/\d+\.html?$)",  # PbootCMS: /?company/9.html (any id, one digit too)
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


class Scope:
    """Which URLs of the host a crawl imports: under the start URL's folder, or as --include/--exclude say.

    A pattern is matched against the URL's path and query (`/news/*`, `*/a/*.html`,
    `*?p=*`); one without a wildcard is a path prefix (`/news/`). Excludes win.
    """

    def __init__(self, start: str, *, include: list[str] | None = None, exclude: list[str] | None = None) -> None:
        path = unquote(urlsplit(start).path or "/")
        if start.endswith(".xml"):
            folder = "/"  # a sitemap names the pages it wants
        elif path.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
            folder = path.rstrip("/") + "/"
        else:
            folder = path.rsplit("/", 1)[0] + "/"
        self.include = list(include or []) or [folder]
        self.exclude = list(exclude or [])

    @staticmethod
    def _matches(pattern: str, target: str) -> bool:
        if any(c in pattern for c in "*?["):
            return fnmatchcase(target, pattern)
        return target.startswith(pattern)

    def __contains__(self, url: str) -> bool:
        parts = urlsplit(url)
        target = unquote(parts.path or "/") + (f"?{unquote(parts.query)}" if parts.query else "")
        if any(self._matches(p, target) for p in self.exclude):
            return False
        return any(self._matches(p, target) for p in self.include)


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


def _without_later_pages(urls: list[str]) -> list[str]:
    """Pages 2, 3, … of a split post are joined to its first page, never imported as articles of their own."""
    listed = set(urls)
    return [url for url in urls if not any(base in listed for base in first_pages(url))]


def _discover(start: str, fetcher: Fetcher, max_pages: int, scope: Scope) -> list[str]:
    """Article URLs of the start URL's host within the scope: from its sitemaps, else by walking list pages."""
    found = _find_articles(start, fetcher, scope, max_pages)
    found = _without_later_pages(found)
    return found[:max_pages] if max_pages else found


def _find_articles(start: str, fetcher: Fetcher, scope: Scope, max_pages: int) -> list[str]:
    host = _host(start)
    articles: list[str] = []
    seen: set[str] = set()

    def add(url: str) -> None:
        if _host(url) == host and url not in seen and url in scope and fetcher.allowed(url):
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
        return articles

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
    return articles


def _sample(urls: list[str]) -> list[str]:
    """Pages spread over the whole list (every section of the site), not the first few of one section."""
    if len(urls) <= SAMPLE_PAGES:
        return list(urls)
    step = len(urls) / SAMPLE_PAGES
    return [urls[int(i * step)] for i in range(SAMPLE_PAGES)]


def _learn_template(urls: list[str], fetcher: Fetcher, prefetched: dict, say: Callable[[str], None]) -> Boilerplate:
    """Learn what the site's template repeats from a sample of its pages, kept for the import so none is fetched twice."""
    pages = []
    sample = _sample(urls)
    if len(sample) >= 3:  # with --delay this takes a few seconds before the first article: say why
        say(f"先读取 {len(sample)} 个页面，识别站点模板（每页重复的页头、页脚、侧栏）……")
    for url in sample:
        try:
            fetched = fetcher.get(url)
        except ImportFailed:
            continue  # the import reports it when its turn comes
        prefetched[url] = fetched
        pages.append((fetched.data, fetched.charset, fetched.url))
    template = boilerplate_learn(pages)
    if template:
        say(f"已从 {template.pages} 个页面学习站点模板：{len(template.texts)} 段重复文字、{len(template.images)} 张重复图片将不计入正文。")
    return template


def category_parents(link: str, *, fetcher: Fetcher, names: dict[str, str]) -> list[str]:
    """Names of a category's parents from their archive pages: /category/news/company → ["新闻中心"].

    WordPress nests a category's archive URL under its parents' slugs but prints only the
    category's own name with a post; each parent's archive page names it. `names` caches
    archive URL → name over the crawl, so each parent is fetched once. A parent that
    cannot be read gives no parents at all: a partial path would invent a wrong tree.
    """
    parts = urlsplit(link)
    segments = [s for s in parts.path.split("/") if s]
    found = []
    for end in range(2, len(segments)):  # the first segment is the category base (/category/)
        url = urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments[:end]), "", ""))
        if url not in names:
            try:
                fetched = fetcher.get(url)
                names[url] = archive_name(lxml_html.document_fromstring(fetched.data))
            except (ImportFailed, ValueError, etree.ParserError):
                names[url] = ""
        if not names[url]:
            return []
        found.append(names[url])
    return found


def crawl_items(
    start: str, *, fetcher: Fetcher, max_pages: int = 0, restart: bool = False, dry_run: bool = False,
    include: list[str] | None = None, exclude: list[str] | None = None, say: Callable[[str], None] = log.info,
) -> Iterator[Item]:  # fmt: skip
    """Items for every article of a site, resuming a crawl of the same start URL that was interrupted.

    A page that failed stays pending, so the next run retries it; pages done are skipped,
    and `say` tells the operator how many.
    """
    key = hashlib.sha256(start.encode()).hexdigest()
    state = None if dry_run else CrawlState.objects.filter(start_hash=key).first()
    if state is not None and (restart or not state.pending):
        state.delete()
        state = None
    if state is None:
        pending = _discover(start, fetcher, max_pages, Scope(start, include=include, exclude=exclude))
        if not dry_run:
            state = CrawlState.objects.create(start_hash=key, start_url=start, pending=pending, done=[])
    else:
        pending = list(state.pending)
        retry = len(set(state.failed) & set(pending))
        say(f"继续上次中断的抓取 {start}：跳过已完成的 {len(state.done)} 页，还剩 {len(pending)} 页"
            + (f"（其中 {retry} 页上次失败，将重试）" if retry else "") + "。用 --restart 从头开始。")  # fmt: skip
    done = set(state.done) if state else set()
    failed = set(state.failed) if state else set()
    unsaved = 0
    prefetched: dict = {}
    archives: dict[str, str] = {}
    template = _learn_template([u for u in pending if u not in done], fetcher, prefetched, say)

    def save() -> None:
        nonlocal unsaved
        if state is not None and unsaved:
            state.done = sorted(done)
            state.failed = sorted(failed - done)
            state.pending = [u for u in state.pending if u not in done]
            state.save(update_fields=["done", "failed", "pending", "updated_at"])
            unsaved = 0

    def finish(url: str, status: str = "", joined: tuple[str, ...] = ()) -> None:
        nonlocal unsaved
        if status == "failed":
            failed.add(url)  # stays pending: the next run tries it again
        else:
            done.update((url, *joined))
        unsaved += 1
        if unsaved >= SAVE_EVERY:  # re-importing a few pages after a crash costs nothing: imports are idempotent
            save()

    try:
        for url in pending:
            if url in done:
                continue
            joined: list[str] = []

            def load(url: str = url, joined: list[str] = joined):
                source = page_source(url, fetcher, prefetched.pop(url, None))
                source.template = template
                source.category_parents = lambda link: (
                    category_parents(link, fetcher=fetcher, names=archives) if _host(link) == _host(start) else []
                )
                joined += [more_url for more_url, _, _ in source.more]
                return source

            yield Item(url, load, done=lambda status="", url=url, joined=joined: finish(url, status, tuple(joined)))
    finally:  # also when the operator interrupts the import
        save()
