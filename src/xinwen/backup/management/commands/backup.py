"""`xinwen backup FILE`: the database, the media files and a manifest in one archive (.tar or .tar.gz)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinwen.backup.progress import run_with_progress
from xinwen.backup.services import site_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one checked archive (FILE.tar or FILE.tar.gz)."
    requires_system_checks = []  # a backup must work on a site whose configuration has warnings

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write; .tar.gz or .tgz compresses it")

    def handle(self, *args, file, **options):
        path = Path(file)
        if path.is_dir():
            raise CommandError(f"{path} 是一个目录：请给出备份文件名，例如 {path / 'xinwen-backup.tar.gz'}。")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        result = run_with_progress(self.stderr, site_backup, path=path)
        rows = sum(result.tables.values())
        self.stdout.write(
            f"已备份到 {result.path}：{result.size / 1e6:.1f} MB，{len(result.tables)} 张表 {rows} 行"
            f"（文章 {result.tables.get('news_article', 0)} 篇），媒体文件 {result.media_files} 个"
            f"（{result.media_bytes / 1e6:.1f} MB），用时 {result.seconds:.1f} 秒。"
        )
