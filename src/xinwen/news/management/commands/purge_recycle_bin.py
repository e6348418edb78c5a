"""xinwen purge_recycle_bin: delete for good the articles longer than RECYCLE_BIN_DAYS in the recycle bin."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand

from xinwen.news.services import recycle_bin_purge_expired

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "彻底删除在回收站中超过 RECYCLE_BIN_DAYS 天的文章（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将被彻底删除的文章，不删除。")

    def handle(self, *args, dry_run=False, **options):
        titles = recycle_bin_purge_expired(dry_run=dry_run)
        verb = "将彻底删除" if dry_run else "已彻底删除"
        for title in titles:
            self.stdout.write(f"{verb}：{title}")
        self.stdout.write(f"{verb} {len(titles)} 篇（回收站保留 {settings.RECYCLE_BIN_DAYS} 天）。")
