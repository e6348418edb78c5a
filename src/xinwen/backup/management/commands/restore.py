"""`xinwen restore FILE`: verify an archive of `xinwen backup`, then restore it into this empty site."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connections

from xinwen.backup.progress import run_with_progress
from xinwen.backup.services import site_restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `xinwen backup` into an empty site (database un-migrated or freshly migrated, "
        "no media files). Every checksum is verified before anything is written. Stop the site first."
    )
    requires_system_checks = []  # checks may read the database that is about to be replaced

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `xinwen backup`")

    def handle(self, *args, file, **options):
        connections.close_all()  # the database is replaced underneath Django
        result = run_with_progress(self.stderr, site_restore, path=Path(file))
        rows = sum(result.tables.values())
        self.stdout.write(
            f"已恢复（备份来自 xinwen {result.xinwen_version}）：{len(result.tables)} 张表 {rows} 行"
            f"（文章 {result.tables.get('news_article', 0)} 篇），媒体文件 {result.media_files} 个，"
            f"用时 {result.seconds:.1f} 秒。校验和全部一致。若本版本更新，请运行 xinwen migrate。"
        )
