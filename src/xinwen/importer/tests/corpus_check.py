"""Read the corpus manifest and check one prepared page against what it must become."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.html import strip_tags

from xinwen.importer.pipeline import Page, page_prepare
from xinwen.importer.sources import items_for

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
TZ = ZoneInfo("Asia/Shanghai")


def visible(html: str) -> str:
    return re.sub(r"\s+", "", unescape(strip_tags(html)))


def prepare(entry: dict) -> list[Page]:
    items = list(items_for([str(CORPUS / entry["file"])], tz=TZ, fetcher=None, base_url="", max_bytes=10 << 20))
    pages = []
    for item in items:
        source = item.load()
        if entry.get("base_url"):
            source.ref = source.url = entry["base_url"]
        pages.append(page_prepare(source, tz=TZ))
    return pages


def problems(entry: dict, page: Page) -> list[str]:
    """What differs between the page and the manifest's expectations (empty when all is well)."""
    found = []

    def check(name, actual, expected):
        if actual != expected:
            found.append(f"{name}: {actual!r} != {expected!r}")

    check("title", page.title, entry["title"])
    check("category", (page.category_path or [""])[-1], entry["category"])
    check("date", page.publish_at.date().isoformat() if page.publish_at else "", entry["date"])
    check("views", page.view_count, entry["views"])
    for name, attr in (("source", "source_name"), ("author", "author"), ("editor", "editor")):
        check(name, getattr(page, attr), entry[name])
    check("script", page.script, entry["script"])
    kinds = {flag.kind for flag in page.flags}
    for kind in entry["flags"]:
        if kind not in kinds:
            found.append(f"missing flag {kind} (has {sorted(kinds)})")
    for kind in entry["not_flags"]:
        if kind in kinds:
            found.append(f"unexpected flag {kind}: {[f.message for f in page.flags if f.kind == kind]}")
    body = visible(page.body_html)
    for text in entry.get("body_contains", []) + entry.get("unchanged_body", []):
        if re.sub(r"\s+", "", text) not in body:
            found.append(f"body lacks {text[:20]!r}")
    for text in entry.get("body_not_contains", []):
        if text in page.body_html:
            found.append(f"body still has {text!r}")
    if "hold" in entry:
        check("hold", page.hold, entry["hold"])
    if "rejected_title" in entry:
        check("rejected_title", page.rejected_title, entry["rejected_title"])
    if re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", page.body_html + page.title):
        found.append("pinyin left in the text")
    return found
