"""`xinwen import`: bring a legacy news center over, repairing what it finds; safe to run again."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xinwen.importer.crawl import crawl_items
from xinwen.importer.fetch import Fetcher
from xinwen.importer.runner import confidence_text, import_run, write_report
from xinwen.importer.services import DEFAULT_SECTION, ImportOptions
from xinwen.importer.sources import MAX_FEED_PAGES, items_for
from xinwen.news.models import Article, Category

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "导入旧站新闻：HTML/文本文件、文件夹、网址、RSS/Atom、WordPress WXR 导出，或 --crawl 抓取同一网站。"
        "以原网址为导入引用，重复导入只会更新，不会重复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="*", help="files, folders, URLs, RSS/Atom feeds or WXR files")
        parser.add_argument("--crawl", action="append", default=[], metavar="URL",
                            help="crawl this site (same host, robots.txt honoured) from its sitemap.xml or list pages")  # fmt: skip
        parser.add_argument("--base-url", default="", help="the old site's address for local files (import reference, redirects)")
        parser.add_argument("--category", default="", metavar="SLUG", help="category for pages whose breadcrumb matches none")
        parser.add_argument("--create-categories", action="store_true", help="create categories named by breadcrumbs")
        parser.add_argument("--status", choices=["published", "draft"], default="published",
                            help="status of new articles (flagged articles that need a look wait in review)")  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="extract, repair and report; write nothing")
        parser.add_argument("--report", default="", metavar="FILE", help="write the per-page report to FILE (.json or .csv)")
        parser.add_argument("--report-format", choices=["json", "csv"], default="", help="report format (default: by suffix)")
        parser.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
        parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a server (default 15)")
        parser.add_argument("--page-timeout", type=float, default=60.0, help="seconds one page may take to process")
        parser.add_argument("--max-mb", type=float, default=10.0, help="largest page or file to read, in MB (default 10)")
        parser.add_argument("--max-pages", type=int, default=0, help="stop a crawl after this many pages")
        parser.add_argument("--restart", action="store_true", help="start a crawl afresh instead of resuming it")
        parser.add_argument("--include", action="append", default=[], metavar="PATTERN",
                            help="crawl only URLs matching (path and query; /news/* or a path prefix); default: under the start URL")  # fmt: skip
        parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN", help="never crawl URLs matching")
        parser.add_argument("--default-section", default=DEFAULT_SECTION, metavar="NAME",
                            help=f"with --create-categories: the category for pages without a breadcrumb (default {DEFAULT_SECTION})")  # fmt: skip
        parser.add_argument("--feed-pages", type=int, default=MAX_FEED_PAGES, help=f"feed pages to follow (default {MAX_FEED_PAGES})")
        parser.add_argument("--offline", action="store_true", help="no network: local files only")
        parser.add_argument("--no-media", action="store_true", help="do not download images and attachments")
        parser.add_argument("--ignore-robots", action="store_true", help="ignore robots.txt (only for your own site)")
        parser.add_argument("--force", action="store_true", help="rewrite articles even when unchanged or edited since")
        parser.add_argument("--user", default="", help="account the audit log names (needs the editor role)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        if not opts["inputs"] and not opts["crawl"]:
            raise CommandError("请给出要导入的文件、文件夹或网址，或用 --crawl 指定要抓取的网站。")
        default_category = None
        if opts["category"]:
            default_category = Category.objects.filter(slug=opts["category"]).first()
            if default_category is None:
                raise CommandError(f"栏目 {opts['category']!r} 不存在；可用的栏目：{', '.join(Category.objects.values_list('slug', flat=True)) or '（还没有栏目）'}")
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"没有账号 {opts['user']!r}。")
        max_bytes = int(opts["max_mb"] * 1024 * 1024)
        local_roots = {}
        if opts["base_url"]:
            folders = [Path(p).resolve() for p in opts["inputs"] if Path(p).is_dir()]
            local_roots = {opts["base_url"].rstrip("/") + "/": folders[0]} if folders else {}
        fetcher = Fetcher(timeout=opts["timeout"], delay=opts["delay"], max_bytes=max_bytes,
                          respect_robots=not opts["ignore_robots"], local_roots=local_roots)  # fmt: skip
        tz = ZoneInfo(settings.TIME_ZONE)
        network = None if opts["offline"] else fetcher

        if opts["crawl"] and network is None:
            raise CommandError("--crawl 需要网络，不能与 --offline 同时使用。")
        warnings: list[str] = []
        bar = None

        def say(text: str) -> None:
            (bar.write if bar is not None else self.stdout.write)(text)

        def items():
            yield from items_for(opts["inputs"], tz=tz, fetcher=network, base_url=opts["base_url"], max_bytes=max_bytes,
                                 warnings=warnings, feed_pages=opts["feed_pages"])  # fmt: skip
            for start in opts["crawl"]:
                yield from crawl_items(start, fetcher=fetcher, max_pages=opts["max_pages"], restart=opts["restart"],
                                       dry_run=opts["dry_run"], include=opts["include"], exclude=opts["exclude"], say=say)  # fmt: skip

        options = ImportOptions(
            default_category=default_category,
            create_categories=opts["create_categories"],
            publish=opts["status"] == "published",
            download_media=not opts["no_media"],
            force=opts["force"],
            user=user,
            fetch_media=fetcher.media,
            default_section=opts["default_section"].strip(),
        )
        if not opts["no_progress"] and opts["verbosity"] > 0:
            from tqdm import tqdm

            bar = tqdm(desc="导入", unit="页", file=sys.stderr, disable=None, dynamic_ncols=True)
        dry = opts["dry_run"]

        def progress(row: dict) -> None:
            if bar is not None:
                bar.update(1)
            if dry or row["status"] == "failed" or opts["verbosity"] > 1 or row.get("flagged"):
                self._print_row(row, bar)

        try:
            summary = import_run(items(), options=options, tz=tz, dry_run=dry, page_timeout=opts["page_timeout"], progress=progress)
        finally:
            if bar is not None:
                bar.close()
        rows = summary.rows + [{"status": "warning", "ref": "", "error": text} for text in warnings]
        for text in warnings:
            self.stdout.write(f"⚠ {text}")
        if opts["report"]:
            write_report(rows, Path(opts["report"]), fmt=opts["report_format"])
        counts = summary.counts
        names = {"created": "新建", "updated": "更新", "unchanged": "未变", "kept": "已人工修改未覆盖", "failed": "失败",
                 "skipped": "跳过（不是文章）", "would-create": "将新建", "would-update": "将更新"}  # fmt: skip
        parts = "，".join(f"{names.get(k, k)} {v}" for k, v in counts.items()) or "没有找到页面"
        if summary.interrupted:
            hint = "再次运行同一命令即可从中断处继续（--restart 从头开始）。" if opts["crawl"] else "再次运行同一命令即可：已导入的页面不会重复。"
            self.stdout.write(f"已中断：{parts}。{hint}")
        else:
            self.stdout.write(("【试运行，未写入】" if dry else "") + f"导入完成：{parts}。")
        if opts["report"]:
            self.stdout.write(f"报告已写入 {opts['report']}")

    def _print_row(self, row: dict, bar) -> None:
        write = bar.write if bar is not None else self.stdout.write
        if row["status"] in ("failed", "skipped"):
            mark, label = ("✗", "失败") if row["status"] == "failed" else ("–", "跳过")
            write(f"{mark} {row['ref']}\n    {label}：{row['error']}")
            return
        lines = [f"• {row['ref']}  [{row['status']}]",
                 f"    标题：{row['title']}  栏目：{row['category'] or '—'}  发布：{row['publish_at'] or '—'}  浏览：{row['view_count']}",
                 f"    来源：{row['source'] or '—'}  作者：{row['author'] or '—'}  责任编辑：{row['editor'] or '—'}  编码：{row['encoding'] or '—'}"]  # fmt: skip
        if row.get("confidence"):
            lines.append(f"    可信度：{confidence_text(row['confidence'])}")
        lines += [f"    已修复 {text}" for text in row["repaired"]]
        lines += [f"    需审核 {text}" for text in row["flagged"]]
        write("\n".join(lines))
