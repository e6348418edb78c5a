"""From the bytes of one legacy page to a repaired, flagged article ready to store (no database here).

decode → strip code-page garbage and leaked pinyin from every text node → parse →
drop injected link blocks → extract → judge the page (machine conversion? hijacked
title?) → convert back to Simplified when it was machine-converted → report lost
characters. Every step that changes or doubts something adds a `Flag`; the page's
report says what was extracted, repaired and flagged, and why.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from html import escape
from urllib.parse import urlsplit

from xinwen.hanzi import repair as hz
from xinwen.hanzi import spam
from xinwen.hanzi.convert import detect_script
from xinwen.hanzi.markup import map_text_nodes
from xinwen.hanzi.variants import SIMPLIFIED
from xinwen.importer import confidence, headline, metadata
from xinwen.importer.boilerplate import Boilerplate
from xinwen.importer.encoding import decode_page
from xinwen.importer.errors import ImportFailed, NotAnArticle, SkippedPage
from xinwen.importer.extract import Extracted, body_media, extract_page, parse_html
from xinwen.importer.pagekind import PASSWORD_REASON, password_form
from xinwen.importer.legacy import legacy_key

__all__ = ["Source", "Flag", "Page", "page_prepare"]

# What each kind of finding is called in flags and reports.
FLAG_LABELS = {
    "hijack": "网页被劫持",
    "leaked_pinyin": "拼音泄漏",
    "machine_conversion": "机器繁简转换",
    "truncated_annotation": "截断的注音",
    "misaligned": "GBK 错位乱码",
    "mojibake": "编码乱码",
    "lost_chars": "丢失的字",
    "extraction": "提取不完整",
    "listing": "栏目与标签",
}


_TAG = re.compile(r"<[^>]*>")


def strip_tags(html: str) -> str:
    """Text of trusted, already parsed markup (a regex suffices here; Django's parser costs 10x)."""
    return _TAG.sub("", html or "")


@dataclass
class Source:
    """One page as a source yields it: raw bytes (html or text) or a structured feed/WXR entry."""

    ref: str  # the import reference: the page's URL (file:// for local files without --base-url)
    kind: str  # "html", "text" or "entry"
    data: bytes = b""
    url: str = ""  # where relative links resolve ("" for none)
    http_charset: str = ""
    entry: dict | None = None
    local_dir: str = ""  # folder of a local file, for its relative images and attachments
    more: list[tuple[str, bytes, str]] = field(default_factory=list)  # pages 2, 3, … of a split post: (url, bytes, charset)
    template: Boilerplate | None = None  # what the site's template repeats, learned over a crawl (see `boilerplate`)
    # A category's parents by its archive URL (a crawl reads the parents' archive pages); None: not known.
    category_parents: Callable[[str], list[str]] | None = None


@dataclass
class Flag:
    kind: str
    message: str
    repaired: bool
    hold: bool = False  # keep the article out of public view until an editor accepts it
    detail: dict = field(default_factory=dict)


_UNHASHED = {"flags", "local_dir", "confidence"}  # what a re-import may change without the page changing
_LATER = {"also_in", "tags"}  # added later: counted only when set, so a page read as before keeps its hash


@dataclass
class Page:
    ref: str
    old_path: str
    kind: str
    encoding: str = ""
    alt_path: str = ""  # the old short address (/?p=105) when the old path is a pretty permalink
    title: str = ""
    rejected_title: str = ""
    category_path: list[str] = field(default_factory=list)
    category_choices: list[str] = field(default_factory=list)  # a feed item's categories: the first known one wins
    also_in: list[list[str]] = field(default_factory=list)  # paths of further categories it was listed in (同时发布到)
    tags: list[str] = field(default_factory=list)  # its 标签 on the old site
    source_name: str = ""
    author: str = ""
    editor: str = ""
    publish_at: datetime | None = None
    view_count: int = 0
    summary: str = ""
    body_html: str = ""
    images: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)
    script: str = ""
    local_dir: str = ""
    flags: list[Flag] = field(default_factory=list)
    confidence: dict = field(default_factory=dict)  # field -> {"score": 0..1, "evidence": why} (see `confidence`)

    @property
    def content_hash(self) -> str:
        # The values as they are: JSON writes a tuple as a list, as asdict's copy would, but
        # asdict also deep-copied the flags and confidence only for them to be dropped.
        data = {f.name: value for f in fields(self) if f.name not in _UNHASHED
                and ((value := getattr(self, f.name)) or f.name not in _LATER)}  # fmt: skip
        return hashlib.sha256(json.dumps(data, default=str, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @property
    def hold(self) -> bool:
        return any(flag.hold for flag in self.flags)

    def report(self) -> dict:
        """What was extracted, repaired and flagged, and why: one row of the --dry-run report."""
        return {
            "ref": self.ref,
            "old_path": self.old_path,
            "encoding": self.encoding,
            "title": self.title,
            "rejected_title": self.rejected_title,
            "category": " > ".join(self.category_path),
            "also_in": [" > ".join(path) for path in self.also_in],
            "tags": self.tags,
            "source": self.source_name,
            "author": self.author,
            "editor": self.editor,
            "publish_at": self.publish_at.isoformat() if self.publish_at else "",
            "view_count": self.view_count,
            "script": self.script,
            "body_chars": len(strip_tags(self.body_html)),
            "images": len(self.images),
            "attachments": len(self.attachments),
            "repaired": [f"{FLAG_LABELS.get(f.kind, f.kind)}：{f.message}" for f in self.flags if f.repaired],
            "flagged": [f"{FLAG_LABELS.get(f.kind, f.kind)}：{f.message}" for f in self.flags if not f.repaired or f.hold],
            "hold": self.hold,
            "confidence": self.confidence,
        }


_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _unref(match: re.Match) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code in (0x26, 0x3C, 0x3E, 0x22, 0x27) or code < 0x20 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)  # markup characters stay escaped
    return chr(code)


class _Findings:
    """Collects hanzi findings from many text fields and turns them into one flag per kind."""

    def __init__(self) -> None:
        self.items: list[hz.Finding] = []

    def fix(self, text: str) -> str:
        if "&#" in text:
            # Pages in Big5 or GB2312 carry what their code page lacks as &#257; (ā): read it before repairing.
            text = _NUMERIC_REF.sub(_unref, text)
        result = hz.strip_damage(text)
        self.items += result.findings
        return result.text

    def count(self, *kinds: str) -> int:
        return sum(1 for f in self.items if f.kind in kinds)

    def flags(self) -> list[Flag]:
        flags = []
        for kind in ("leaked_pinyin", "truncated_annotation", "misaligned", "mojibake", "lost_chars"):
            found = [f for f in self.items if f.kind == kind]
            if not found:
                continue
            open_ = [f for f in found if not f.repaired]
            samples = [f"“{f.snippet}”" + (f"（{f.note}）" if f.note else "") for f in (open_ or found)[:5]]
            if open_:
                message = f"{len(open_)} 处无法自动修复，请人工核对：" + "、".join(samples)
            else:
                message = f"已修复 {len(found)} 处，例如 " + "、".join(samples[:3])
            flags.append(Flag(kind, message, repaired=not open_, hold=bool(open_), detail={"count": len(found)}))
        return flags


def _fields_text(found: Extracted) -> str:
    return f"{found.heading}\n{strip_tags(found.body_html)}"


def _text_page(text: str) -> Extracted:
    """A plain-text extraction (as seed-page.txt): <title> line, breadcrumb, heading, info line, paragraphs."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise NotAnArticle("文本文件是空的。")
    found = Extracted()
    crumb = next((i for i, line in enumerate(lines[:8]) if metadata.is_breadcrumb(line)), None)
    start = 0
    if crumb is not None:
        if crumb > 0:
            found.title_tag = lines[0]
        start = crumb + 1
    elif len(lines) > 2 and spam.title_verdict(lines[0], heading=lines[1]).spam:
        found.title_tag, start = lines[0], 1
    info_at = next((i for i in range(start, min(start + 4, len(lines))) if metadata.count_labels(lines[i]) >= 2), None)
    heading_at = next((i for i in range(start, len(lines)) if i != info_at and metadata.count_labels(lines[i]) < 2), None)
    if heading_at is None:
        raise NotAnArticle("文本文件里找不到标题。")
    found.heading = lines[heading_at]
    if crumb is not None:
        found.breadcrumb = metadata.breadcrumb_items(lines[crumb], title=found.heading)
    if info_at is not None:
        found.info = metadata.parse_info_line(lines[info_at])
    body_from = max(heading_at, info_at if info_at is not None else -1) + 1
    paragraphs = [line for line in lines[body_from:] if not metadata.is_chrome_line(line)]
    editor = metadata.editor_note(paragraphs[-1]) if paragraphs else ""
    if editor and len(paragraphs[-1]) < 60:
        found.info.editor = found.info.editor or editor
        paragraphs.pop()
    found.body_html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    if not found.body_html:
        raise NotAnArticle("文本文件里找不到正文。")
    return found


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no text has them; lxml refuses them


def _entry_page(entry: dict) -> Extracted:
    found = Extracted(heading=_CONTROL.sub("", entry.get("title", "")).strip(), description=_CONTROL.sub("", entry.get("summary", "")))
    found.body_html = _CONTROL.sub("", entry.get("body_html", ""))
    categories = list(entry.get("categories", []))
    # A WXR entry carries its category's whole path (parents first); a feed only names categories and tags.
    found.breadcrumb = categories if entry.get("hold_reason") is not None else categories[:1]
    found.info = metadata.InfoLine(author=entry.get("author", ""), published=entry.get("published", ""))
    found.also_in = [list(path) for path in entry.get("also_in", [])]  # a WXR post's further categories, each a path
    found.tags = list(entry.get("tags", []))
    if not found.heading or not strip_tags(found.body_html).strip():
        raise NotAnArticle("条目缺少标题或正文。")
    if password_form(found.body_html):  # an RSS item of a protected post carries the form, never the text
        raise SkippedPage(f"不是文章，已跳过：{PASSWORD_REASON}")
    # Inline images and linked files are carried over like a crawled page's; so are files attached to the post.
    found.images, found.attachments = body_media(found.body_html, entry.get("link", ""))
    linked = {url for url, _ in found.attachments}
    found.attachments += [(url, title) for url, title in entry.get("attachments", []) if url not in linked]
    return found


def _join_pages(found: Extracted, source: Source, findings: "_Findings", flags: list) -> None:
    """Append pages 2, 3, … of a split post to its first page: one article, nothing dropped."""
    for number, (url, data, charset) in enumerate(source.more, start=2):
        try:
            text, _ = decode_page(data, http_charset=charset)
            more = extract_page(parse_html(map_text_nodes(text, findings.fix)), url=url, address=url, template=source.template)
        except ImportFailed as exc:
            flags.append(Flag("extraction", f"第 {number} 页未能读取（{exc}）：文章可能不完整", repaired=False, hold=True))
            continue
        found.body_html += more.body_html
        found.images += [src for src in more.images if src not in found.images]
        found.attachments += [pair for pair in more.attachments if pair not in found.attachments]


def page_prepare(source: Source, *, tz: tzinfo) -> Page:
    """Decode, extract, repair and judge one page; raise ImportFailed when it cannot be an article."""
    findings = _Findings()
    flags: list[Flag] = []
    encoding = ""
    host = urlsplit(source.url).hostname or ""
    hijack: list[str] = []
    if source.kind == "html":
        text, encoding = decode_page(source.data, http_charset=source.http_charset)
        root = parse_html(map_text_nodes(text, findings.fix))
        hijack += [f"跳转脚本：{code[:60]}" for code in spam.hijack_scripts(root)]
        injected = spam.remove_injected_blocks(root, host=host)
        found = extract_page(root, url=source.url, address=source.url or source.ref, template=source.template)
        _join_pages(found, source, findings, flags)
        if source.category_parents and found.category_link and len(found.breadcrumb) == 1:
            found.breadcrumb = [*map(findings.fix, source.category_parents(found.category_link)), *found.breadcrumb]
        if source.category_parents:
            found.also_in = [[*map(findings.fix, source.category_parents(link)), *path] if link else path
                             for path, link in zip(found.also_in, found.also_in_links)]  # fmt: skip
    elif source.kind == "text":
        text, encoding = decode_page(source.data)
        found = _text_page(findings.fix(text))
        injected = []
    else:
        found = _entry_page(source.entry or {})
        if (source.entry or {}).get("hold_reason"):
            flags.append(Flag("extraction", source.entry["hold_reason"], repaired=False, hold=True))
        found.heading = findings.fix(found.heading)
        found.body_html = map_text_nodes(found.body_html, findings.fix)
        found.body_html, injected = spam.strip_injected_links(found.body_html, host=host)
    hijack += [f"{block.reason}（{block.links} 个链接）：{block.text[:40]}" for block in injected]

    # Judge the page as a whole, so title, body and breadcrumb are all treated alike.
    page_text = _fields_text(found)
    script = detect_script(page_text)
    # A misaligned "?yàn)" is no evidence by itself: its character may be lost with its reading.
    leaks = findings.count("leaked_pinyin", "truncated_annotation")
    verdict = hz.conversion_verdict(page_text, leaks=leaks, script=script)
    title_tag = findings.fix(found.title_tag)
    names = [*found.breadcrumb, found.site_name, "首页", "首頁"]
    # A machine-converted body was Simplified: its Simplified <title> is no mismatch.
    body_script = SIMPLIFIED if verdict.machine_converted else script
    title_check = spam.title_verdict(title_tag, heading=found.heading, body_script=body_script, site_names=names)
    rejected = ""
    if title_tag and title_check.spam:
        rejected = found.title_tag
        hijack.insert(0, f"标题「{found.title_tag[:60]}」已拒绝：" + "；".join(title_check.reasons))
    title = found.heading or ("" if title_check.spam else (spam.title_segments(title_tag) or [""])[0])
    if not title:
        raise NotAnArticle("页面只有被劫持的 <title>，找不到文章自己的标题。")
    title_score = found.title_score if found.heading else headline.score(
        headline.Candidate(text=title, tag="meta"), support=[title_tag], nav=set(found.breadcrumb)
    )
    if title_score < headline.GOOD_ENOUGH:
        message = f"标题无法确定：最可能的标题「{title[:60]}」像栏目名、导航或摘要，请核对后发布"
        flags.append(Flag("extraction", message, repaired=False, hold=True))
    if source.kind == "entry" and spam.black_keywords(title)[0]:
        hijack.insert(0, f"标题含黑词：{title[:60]}")
        flags.append(Flag("hijack", "；".join(hijack), repaired=False, hold=True))
        hijack = []

    convert = hz.simplify if verdict.machine_converted else (lambda value: value)
    if verdict.machine_converted:
        flags.append(Flag("machine_conversion", "；".join(verdict.reasons) + "；已转换回简体", repaired=True))
        script = detect_script(convert(page_text)) or script

    def clean(value: str) -> str:
        return convert(findings.fix(value)) if value else ""

    title = clean(title)
    filled = hz.fill_lost_chars(title, clean(title_tag) if not title_check.spam else clean(found.og_title))
    title = filled.text
    findings.items += filled.findings
    body = map_text_nodes(found.body_html, convert) if verdict.machine_converted else found.body_html
    findings.items += hz.find_lost_chars(title)
    findings.items += [f for node in re.split(r"<[^>]+>", body) for f in hz.find_lost_chars(node)]

    summary = clean(found.description)
    plain_body = " ".join(strip_tags(body).split())
    if summary and (spam.black_keywords(summary)[0] or plain_body.startswith(summary.rstrip("…. ")[:20])):
        summary = ""  # a hijacker's description, or the CMS's own cut of the body: the body says it better
    if hijack:
        flags.insert(0, Flag("hijack", "；".join(hijack), repaired=True))
    flags += findings.flags()
    info = found.info
    publish_at = metadata.parse_datetime(info.published, tz)
    if publish_at is None:
        # Never the import time: a wrong date misleads readers and reorders the whole news list.
        flags.append(Flag("extraction", "没有找到发布时间，请填写原发布时间后发布", repaired=False, hold=True))
    date_from = "export" if source.kind == "entry" else found.date_from
    is_feed_item = source.kind == "entry" and source.entry is not None and "hold_reason" not in source.entry
    sure = {
        "title": confidence.title_confidence(title_score, title=title, candidates=[found.title_tag, found.og_title]),
        "date": confidence.date_confidence(publish_at, source=date_from, raw=info.published, now=datetime.now(tz)),
        "body": confidence.body_confidence(len(plain_body), images=len(found.images), exported=source.kind == "entry"),
    }
    for name in ("date", "body"):
        if not sure[name].certain and not (name == "date" and publish_at is None):  # no date at all is flagged above
            label = confidence.FIELD_LABELS[name]
            flags.append(Flag("extraction", f"{label}不确定：{sure[name].evidence}", repaired=False, hold=True))
    old_path = legacy_key(source.ref)
    short = found.shortlink or (source.entry or {}).get("shortlink", "")
    if source.kind == "entry" and (source.entry or {}).get("legacy_id") and urlsplit(source.ref).netloc:
        parts = urlsplit(source.ref)
        short = f"{parts.scheme}://{parts.netloc}/?p={source.entry['legacy_id']}"
    alt_path = legacy_key(short) if short else ""
    return Page(
        ref=source.ref,
        old_path=old_path,
        alt_path=alt_path if alt_path != old_path else "",
        kind=source.kind,
        encoding=encoding,
        title=title[:200],
        rejected_title=rejected[:500],
        category_path=[clean(item) for item in found.breadcrumb],
        # A feed item names categories and tags alike (a WXR entry, which has a hold_reason, gives its category's path).
        category_choices=[clean(c) for c in source.entry.get("categories", [])] if is_feed_item else [],
        also_in=[[clean(item) for item in path] for path in found.also_in if path],
        tags=[clean(name) for name in found.tags if clean(name)],
        source_name=clean(info.source)[:100],
        author=clean(info.author)[:100],
        editor=clean(info.editor)[:100],
        publish_at=publish_at,
        view_count=info.views or 0,
        summary=summary,
        body_html=body,
        images=found.images,
        attachments=found.attachments,
        script=script,
        local_dir=source.local_dir,
        flags=flags,
        confidence={name: {"score": c.score, "evidence": c.evidence} for name, c in sure.items()},
    )
