"""xinwen linkcheck: are the external links of published articles still alive? Exit 0 none broken, 3 some, 2 not run.

One line per broken link (article id, URL, what is wrong; tab-separated) on standard
output, a summary on standard error; the results are kept for the back office's 死链报告.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from xinwen.guard import services
from xinwen.guard.linkcheck import check_links, external_links

CLEAN, FOUND, NOT_RUN = 0, 3, 2


class Command(BaseCommand):
    help = "检查已发布文章中的外部链接是否仍可访问（每个网站限速、遵守 robots.txt），结果见后台「死链报告」。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=None, help="同一网站两次请求的最短间隔秒数（默认 LINKCHECK_INTERVAL）")
        parser.add_argument("--timeout", type=float, default=None, help="每个请求的超时秒数（默认 LINKCHECK_TIMEOUT）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出，不保存结果")

    def handle(self, *args, interval, timeout, dry_run, **options):
        interval = settings.LINKCHECK_INTERVAL if interval is None else interval
        timeout = settings.LINKCHECK_TIMEOUT if timeout is None else timeout
        if interval < 0 or timeout <= 0:
            self.stderr.write("--interval 不能为负数，--timeout 必须大于 0。")
            sys.exit(NOT_RUN)
        try:
            links = external_links()
        except DatabaseError as exc:
            self.stderr.write(f"无法读取文章：{exc}")
            sys.exit(NOT_RUN)
        results, requests = check_links(links, interval=interval, timeout=timeout)
        broken = [r for r in results if r.broken]
        for result in broken:
            for article_id in links[result.url]:
                self.stdout.write(f"{article_id}\t{result.url}\t{result.error}")
        if not dry_run:
            services.linkcheck_store(links=links, results=results, now=timezone.now())
        skipped = sum(r.skipped for r in results)
        self.stderr.write(
            f"检查了 {len(results)} 个外部链接（{requests} 次请求），"
            + (f"{len(broken)} 个失效" if broken else "未发现失效链接")
            + (f"，{skipped} 个因 robots.txt 未检查" if skipped else "")
            + "。"
        )
        sys.exit(FOUND if broken else CLEAN)
