"""Posts split over several pages: which links of a page are its own pages 2, 3, … (to be joined into one article).

WordPress paginates a post with <!--nextpage--> as /slug/2/ or ?p=105&page=2; DedeCMS
and EmpireCMS write 123_2.html beside 123.html; government site groups (TRS) write
t20230518_9188_1.html for page 2. Only links of those shapes to the page's
own address count, so a list's "下一页" never pulls another article in.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

__all__ = ["continuation_number", "continuation_urls", "first_pages", "probed_page", "MAX_PAGES"]

MAX_PAGES = 20  # a post of more pages than this is no news article
_TRS = re.compile(r"/t\d{8}_\d+$")
_LINK = re.compile(rb"""<a\b[^>]*?\bhref\s*=\s*["']([^"'<>]{1,500})["']""", re.I)


def continuation_number(link: str, base: str) -> int | None:
    """N when `link` is page N (≥ 2) of the post at `base`, else None."""
    one, other = urlsplit(base), urlsplit(link)
    if (one.scheme, one.netloc.lower()) != (other.scheme, other.netloc.lower()):
        return None
    number = None
    if one.path == other.path and one.query != other.query:
        mine, theirs = dict(parse_qsl(one.query)), dict(parse_qsl(other.query))
        page = theirs.pop("page", "") or theirs.pop("paged", "")
        if page.isdigit() and theirs == {k: v for k, v in mine.items() if k not in ("page", "paged")}:
            number = int(page)
    elif one.query == other.query:
        stem, dot, suffix = one.path.rpartition(".")
        if dot and "/" not in suffix:  # /a/123.html → /a/123_2.html, or WordPress's /news/123.html/2
            match = re.fullmatch(re.escape(stem) + r"_(\d{1,3})\." + re.escape(suffix), other.path) or re.fullmatch(
                re.escape(one.path) + r"/(\d{1,3})/?", other.path
            )
        else:  # /2018/03/15/slug/ → /2018/03/15/slug/2/
            match = re.fullmatch(re.escape(one.path.rstrip("/")) + r"/(\d{1,3})/?", other.path)
        number = int(match.group(1)) if match else None
        if number is not None and _TRS.search(stem):
            number += 1  # a government site-group (TRS) page t20230518_9188.html continues as …_1.html
    return number if number is not None and 2 <= number <= MAX_PAGES else None


def continuation_urls(data: bytes, base: str) -> list[str]:
    """The page's own further pages, in order (2, 3, …), as absolute URLs."""
    found: dict[int, str] = {}
    for match in _LINK.finditer(data):
        href = match.group(1).decode("utf-8", "replace").strip().replace("&amp;", "&")
        if href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        number = continuation_number(url, base)
        if number is not None:
            found.setdefault(number, url)
    return [found[n] for n in sorted(found)]


def first_pages(url: str) -> list[str]:
    """The addresses whose page 2, 3, … `url` could be (to leave such pages out of a crawl's article list)."""
    parts = urlsplit(url)
    bases = []
    path = re.sub(r"_(\d{1,3})(\.\w+)$", r"\2", parts.path)
    if path != parts.path:
        bases.append(parts._replace(path=path).geturl())
    path = re.sub(r"/\d{1,3}/?$", "/", parts.path)
    if path != parts.path:
        bases += [parts._replace(path=path).geturl(), parts._replace(path=path.rstrip("/")).geturl()]
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("page", "paged")]
    if parts.query and len(query) != len(parse_qsl(parts.query)):
        bases.append(parts._replace(query="&".join(f"{k}={v}" for k, v in query)).geturl())
    return [base for base in bases if continuation_number(url, base) is not None]


# A block theme (Twenty Twenty-Three) prints no links to a post's pages 2, 3, …: its post content block.
_BLOCK_THEME_POST = re.compile(rb"""<body[^>]*\bclass=["'][^"']*\bsingle\b[^>]*>.*?\bwp-block-post-content\b""", re.S)


def probed_page(data: bytes, base: str, number: int) -> str:
    """The address page `number` of a WordPress block-theme post would have ("" for other pages).

    Such a theme links no further pages, so the crawl asks for them: WordPress answers
    page N of a split post itself and redirects a page number the post does not have.
    """
    if not _BLOCK_THEME_POST.search(data[:200_000]):
        return ""
    parts = urlsplit(base)
    if parts.query:
        return ""
    path = parts.path if parts.path.endswith((".html", ".htm")) else parts.path.rstrip("/")
    return parts._replace(path=f"{path}/{number}" + ("" if path.endswith((".html", ".htm")) else "/")).geturl()
