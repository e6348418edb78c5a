"""What a served page shows, and what is wrong with it: pure functions over fetched HTML.

`page_shape` reads the parts a hijacker changes (title, links, scripts, iframes, visible
text); `cloaking` compares the same page fetched as different visitors; `page_problems`
compares one fetch with what the site published. Each problem is a `Problem` with a kind
scripts can match on and evidence a person can read.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from xinwen.guard.matcher import BLOCK, Matcher
from xinwen.hanzi.segment import fold
from xinwen.hanzi.spam import remove_injected_blocks, similar

__all__ = ["Fetched", "Shape", "Problem", "page_shape", "cloaking", "page_problems", "KINDS"]

KINDS = {
    "unreachable": "无法访问",
    "cloaking-redirect": "对不同访问者跳转不同（伪装）",
    "cloaking-title": "对不同访问者标题不同（伪装）",
    "cloaking-links": "对不同访问者链接不同（伪装）",
    "cloaking-scripts": "对不同访问者脚本不同（伪装）",
    "unexpected-redirect": "意外跳转",
    "foreign-title": "标题与发布的文章不符",
    "injected-script": "被植入的脚本",
    "injected-iframe": "被植入的 iframe",
    "injected-link": "被植入的外部链接",
    "hidden-links": "隐藏的链接块",
    "spam-words": "页面含有禁止发布的词",
    "unpublished-page": "系统未发布却能访问的页面",
    "static-modified": "静态文件与发布版本不同",
    "static-unshipped": "页面引用了发布版本中没有的静态文件",
    "published-file-changed": "静态发布的文件与签名清单不符",
}


@dataclass(frozen=True)
class Fetched:
    url: str
    profile: str
    status: int
    location: str  # the redirect target, "" when none
    html: str


@dataclass(frozen=True)
class Shape:
    title: str
    links: frozenset[str]  # absolute URLs of <a href>
    scripts: frozenset[str]  # absolute src, or "inline:<sha1 of the code>"
    iframes: frozenset[str]
    text: str  # visible text of <body>
    assets: frozenset[str] = frozenset()  # absolute href of every <link> (style sheets, icons)


@dataclass(frozen=True)
class Problem:
    url: str
    profile: str
    kind: str
    evidence: str

    def line(self) -> str:
        return f"{self.url}\t{self.profile}\t{self.kind}\t{self.evidence}"


# Structured data is inline by design (JSON-LD); it is data, never run.
_DATA_SCRIPTS = {"application/ld+json", "application/json", "importmap"}


def _root(markup: str):
    from lxml import html as lxml_html  # the guard's parser: the admin imports this module in every worker

    try:
        return lxml_html.document_fromstring(markup or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return lxml_html.document_fromstring("<html></html>")


def page_shape(markup: str, base_url: str) -> Shape:
    root = _root(markup)
    title = " ".join((root.findtext(".//title") or "").split())
    links = frozenset(urljoin(base_url, a.get("href").strip()) for a in root.iter("a") if a.get("href"))
    scripts = set()
    for script in root.iter("script"):
        if script.get("src"):
            scripts.add(urljoin(base_url, script.get("src").strip()))
        elif (script.get("type") or "").strip().lower() not in _DATA_SCRIPTS:
            scripts.add("inline:" + hashlib.sha1((script.text or "").encode()).hexdigest()[:12])
    iframes = frozenset(urljoin(base_url, f.get("src") or "") for f in root.iter("iframe", "frame", "object", "embed"))
    body = root.find("body")
    text = " ".join(body.text_content().split()) if body is not None else ""
    assets = frozenset(urljoin(base_url, link.get("href").strip()) for link in root.iter("link") if link.get("href"))
    return Shape(title, links, frozenset(scripts), iframes, text, assets)


def _difference(a: frozenset[str], b: frozenset[str]) -> str:
    extra, missing = sorted(b - a), sorted(a - b)
    parts = [f"多出 {', '.join(extra[:3])}" if extra else "", f"缺少 {', '.join(missing[:3])}" if missing else ""]
    return "；".join(p for p in parts if p)


def cloaking(url: str, fetched: dict[str, Fetched], shapes: dict[str, Shape], *, baseline: str) -> list[Problem]:
    """Problems where a profile was served something else than the baseline profile (a desktop browser)."""
    base, base_shape = fetched[baseline], shapes.get(baseline)
    found = []
    for profile, page in fetched.items():
        if profile == baseline:
            continue
        if (page.status, page.location) != (base.status, base.location):
            found.append(Problem(url, profile, "cloaking-redirect", f"{page.status} {page.location or ''}".strip() + f"（{baseline}：{base.status} {base.location}）".replace(" ）", "）")))
            continue
        shape = shapes.get(profile)
        if shape is None or base_shape is None:
            continue
        if shape.title != base_shape.title:
            found.append(Problem(url, profile, "cloaking-title", f"「{shape.title[:80]}」（{baseline}：「{base_shape.title[:80]}」）"))
        if shape.links != base_shape.links:
            found.append(Problem(url, profile, "cloaking-links", _difference(base_shape.links, shape.links)))
        if shape.scripts != base_shape.scripts:
            found.append(Problem(url, profile, "cloaking-scripts", _difference(base_shape.scripts, shape.scripts)))
    return found


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def page_problems(
    page: Fetched,
    shape: Shape,
    *,
    site_host: str,
    expected_title: str | None,
    allowed_hosts: frozenset[str],
    matcher: Matcher,
) -> list[Problem]:
    """What is wrong with one fetched page compared with what the site published.

    `expected_title`: the published article's (or section's) title in the page's script,
    None when the page has no one title to hold it to. `allowed_hosts`: hosts the published
    content links to (article bodies, sources).
    """
    found: list[Problem] = []
    url, profile = page.url, page.profile

    def add(kind: str, evidence: str) -> None:
        found.append(Problem(url, profile, kind, evidence))

    for script in sorted(shape.scripts):
        if script.startswith("inline:"):
            add("injected-script", f"内联脚本 {script}（本站公开页面没有内联脚本）")
        elif _host(script) != site_host:
            add("injected-script", script)
    for frame in sorted(shape.iframes):
        add("injected-iframe", frame)
    foreign = sorted({link for link in shape.links if urlsplit(link).scheme in ("http", "https") and _host(link) not in allowed_hosts | {site_host}})
    if foreign:
        add("injected-link", "、".join(foreign[:5]) + (f" 等 {len(foreign)} 个" if len(foreign) > 5 else ""))
    blocks = remove_injected_blocks(copy.deepcopy(_root(page.html)), host=site_host)
    for block in blocks:
        add("hidden-links", f"{block.reason}：{block.text[:60]}（{block.links} 个链接）")
    if expected_title is not None and shape.title:
        expected = fold(expected_title)
        if expected not in fold(shape.title) and similar(expected_title, shape.title) < 0.5:
            add("foreign-title", f"「{shape.title[:100]}」（发布的是「{expected_title[:60]}」）")
    words = sorted({hit.word for hit in matcher.find(shape.title) + matcher.find(shape.text) if hit.action == BLOCK})
    if words:
        add("spam-words", "、".join(words[:8]))
    return found
