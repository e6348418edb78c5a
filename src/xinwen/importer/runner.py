"""Run an import over many items: each page alone, reported, and never able to stop the rest.

Used by `xinwen import`, the demo and the benchmark. A page that fails (broken
HTML, unknown encoding, binary junk, too large, a timeout) becomes a "failed" row
of the report with the reason; everything else goes on.

Pages are written in batches of BATCH_SIZE (news.services.article_import_batch): each
page keeps its own transaction, but the search index, the page cache and the static
publisher hear of a batch's articles at once when it ends (issue 17: per-article
notices were a third of an import's time).
"""

from __future__ import annotations

import csv
import json
import logging
import signal
import threading
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError

from xinwen.importer.confidence import FIELD_LABELS, HOLD_BELOW
from xinwen.importer.errors import ImportFailed
from xinwen.importer.models import ImportRecord
from xinwen.importer.pipeline import Source, page_prepare
from xinwen.importer.services import ImportOptions, category_pick, category_resolve, legacy_page_import, ref_hash
from xinwen.importer.sources import Item
from xinwen.news import services as content
from xinwen.news.statistics import article_statistics_refresh

__all__ = ["Summary", "import_run", "write_report", "confidence_text", "seed_import", "REPORT_FIELDS", "SEED_PAGE", "SEED_URL"]

log = logging.getLogger(__name__)
BATCH_SIZE = 100  # pages whose notices are delivered together; readers see an import's articles a batch at a time
REPORT_FIELDS = ["status", "ref", "error", "title", "rejected_title", "category", "publish_at", "view_count", "source",
                 "author", "editor", "encoding", "script", "body_chars", "images", "attachments", "repaired",
                 "flagged", "hold", "confidence", "old_path", "article_id"]  # fmt: skip


class PageTimeout(ImportFailed):
    """Processing one page took longer than the limit."""

    code = "timeout"


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    rows: list[dict] = field(default_factory=list)
    interrupted: bool = False  # the operator pressed Ctrl-C: what was done is kept, a crawl resumes


@contextmanager
def _time_limit(seconds: float):
    """Abort a page whose processing hangs (a pathological page); only possible in the main thread."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise PageTimeout(f"处理超过 {seconds:g} 秒，已跳过。")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _one(item: Item, *, options: ImportOptions, tz: tzinfo, dry_run: bool, page_timeout: float) -> dict:
    with _time_limit(page_timeout):
        source = item.load()
        page = page_prepare(source, tz=tz)
        row = page.report()
        if dry_run:
            path = category_pick(page)
            try:
                category = category_resolve(path=path, options=options, create=False)
                row["category"] = str(category) if category.pk else f"{' > '.join(path)}（将创建）"
            except ImportFailed as exc:  # the preview still shows what was found; a real run would stop here
                row["category"] = f"{' > '.join(path) or '—'}（未解决：{exc}）"
            exists = ImportRecord.objects.filter(ref_hash=ref_hash(page.ref)).exists()
            row["status"] = "would-update" if exists else "would-create"
            return row
        result = legacy_page_import(page=page, options=options)
    row.update(status=result.action, article_id=result.article.pk)
    return row


def import_run(
    items: Iterable[Item], *, options: ImportOptions, tz: tzinfo, dry_run: bool = False, page_timeout: float = 60.0,
    progress=None,
) -> Summary:  # fmt: skip
    """Import every item; return per-page rows and counts by status."""
    summary = Summary()
    iterator = iter(items)
    going = True
    try:
        while going:
            with content.article_import_batch():
                for _ in range(BATCH_SIZE):
                    item = next(iterator, None)
                    going = item is not None and _run_item(
                        item, summary, options=options, tz=tz, dry_run=dry_run, page_timeout=page_timeout, progress=progress
                    )
                    if not going:
                        break
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # a crawl saves its progress here
    if not dry_run:
        article_statistics_refresh()  # the lists' indexes are chosen by them (news/statistics.py)
    return summary


def _run_item(item: Item, summary: Summary, *, options, tz, dry_run, page_timeout, progress) -> bool:
    """One item into the summary; False when the operator interrupted it (its page is not counted)."""
    try:
        row = _one(item, options=options, tz=tz, dry_run=dry_run, page_timeout=page_timeout)
    except ImportFailed as exc:
        # A home, list or about page is no failure: the report says it was recognised and left out.
        row = {"status": "skipped" if exc.code == "skipped" else "failed", "ref": item.ref, "error": str(exc)}
    except DatabaseError as exc:
        log.exception("database error importing %s", item.ref)
        row = {"status": "failed", "ref": item.ref, "error": f"数据库错误：{exc}"}
    except Exception as exc:  # one broken page must never end a long import
        log.exception("unexpected error importing %s", item.ref)
        row = {"status": "failed", "ref": item.ref, "error": f"内部错误（{type(exc).__name__}）：{exc}"}
    except KeyboardInterrupt:
        summary.interrupted = True
        return False
    item.done(row["status"])
    summary.counts[row["status"]] += 1
    summary.rows.append(row)
    if progress is not None:
        progress(row)
    return True


def confidence_text(fields: dict) -> str:
    """标题 1.0；发布时间 0.9（…）: one line for a CSV cell or the console."""
    parts = []
    for name, label in FIELD_LABELS.items():
        if name in (fields or {}):
            item = fields[name]
            parts.append(f"{label} {item['score']:.1f}" + (f"（{item['evidence']}）" if item["score"] < HOLD_BELOW else ""))
    return "；".join(parts)


def write_report(rows: list[dict], path: Path, *, fmt: str = "") -> None:
    """Write the per-page report as JSON (a list of rows) or CSV (one row a page), by `fmt` or the file's suffix."""
    fmt = fmt or path.suffix.lstrip(".").lower() or "json"
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel opens Chinese CSV correctly
            writer = csv.DictWriter(handle, fieldnames=REPORT_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "；".join(v) if isinstance(v, list) else confidence_text(v) if k == "confidence" else v
                                 for k, v in row.items()})  # fmt: skip
    else:
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


# The product's sample of a damaged legacy page: hijacked <title>, body machine-converted with leaked pinyin.
SEED_PAGE = Path(__file__).resolve().parent / "fixtures" / "seed-page.html"
# Where it lived on the old site (its previous/next links are /news/1187.html and /news/1189.html).
SEED_URL = "https://www.example.org/news/1188.html"


def seed_import(*, category) -> str:
    """Import the sample page as any legacy page is imported; return created, updated or unchanged."""
    item = Item(SEED_URL, lambda: Source(ref=SEED_URL, kind="html", data=SEED_PAGE.read_bytes(), url=SEED_URL))
    options = ImportOptions(default_category=category, download_media=False)
    row = import_run([item], options=options, tz=ZoneInfo(settings.TIME_ZONE), page_timeout=0).rows[0]
    if row["status"] == "failed":
        raise ImportFailed(f"示例页面导入失败：{row['error']}")
    return row["status"]
