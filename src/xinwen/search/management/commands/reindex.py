"""`xinwen reindex [--dry-run] [--article ID ...]`: rebuild the search index, with progress on stderr."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from xinwen.progress import Progress
from xinwen.search.backends import SearchUnavailable
from xinwen.search.services import search_index_articles, search_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the published articles (safe to run at any time)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be indexed and removed; change nothing")
        parser.add_argument("--article", type=int, action="append", metavar="ID", help="reindex only this article (repeatable)")
        parser.add_argument("--batch-size", type=int, default=500, help="articles per transaction (default 500)")

    def handle(self, *args, dry_run, article, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            if article:
                if dry_run:
                    self.stdout.write(f"将更新 {len(set(article))} 篇文章的索引（未执行：--dry-run）。")
                    return
                indexed = search_index_articles(article_ids=article)
                self.stdout.write(f"已更新 {len(set(article))} 篇文章的索引：{indexed} 篇可搜索。")
                return
            started = time.monotonic()
            result = search_rebuild(dry_run=dry_run, progress=None if dry_run else Progress(self.stderr, label="索引"), batch_size=batch_size)
        except SearchUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if result.dry_run:
            self.stdout.write(f"将索引 {result.indexed} 篇文章，移除 {result.removed} 条过期索引（未执行：--dry-run）。")
        else:
            seconds = time.monotonic() - started
            self.stdout.write(f"已索引 {result.indexed} 篇文章，移除 {result.removed} 条过期索引，用时 {seconds:.1f} 秒。")
