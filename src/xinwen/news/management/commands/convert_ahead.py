"""xinwen convert_ahead: convert every public body into every script ahead of its readers, with progress."""

import time

from django.core.management.base import BaseCommand

from xinwen.news.ahead import convert_all
from xinwen.progress import Progress


class Command(BaseCommand):
    help = (
        "把所有公开文章的正文预先转换为各个版本（繁体、台湾、香港），读者首次打开时不再现场转换。"
        "修改简繁词表后（文章较多时）运行一次；可重复运行，随时可停。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="每批文章数（默认 200）")

    def handle(self, *args, batch_size=200, **options):
        started = time.monotonic()
        count = convert_all(progress=Progress(self.stderr, label="转换"), batch_size=max(batch_size, 1))
        self.stdout.write(f"已预先转换 {count} 篇文章的正文，用时 {time.monotonic() - started:.1f} 秒。")
