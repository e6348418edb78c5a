"""`xinwen baidu_push`: send the queued article URLs that are due to Baidu (from cron, or --loop as a service)."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError

from xinwen.feeds import conf, worker
from xinwen.feeds.models import BaiduPush

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "把到期的文章网址推送给百度（普通收录 API）。可由 cron 定时运行，或加 --loop 常驻运行。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="常驻运行：有网址到期就推送，直到进程被停止。")
        parser.add_argument("--poll", type=float, default=60.0, help="常驻运行时最长的检查间隔（秒），默认 60。")
        parser.add_argument("--dry-run", action="store_true", help="只列出到期待推送的网址，不发送。")

    def handle(self, *args, loop: bool, poll: float, dry_run: bool, **options):
        if not conf.baidu_enabled():
            raise CommandError(
                "百度推送未启用：请设置 BAIDU_PUSH_TOKEN（搜索资源平台的推送口令）和 BAIDU_PUSH_SITE"
                "（或 SITE_URL，例如 https://news.example.org）。"
            )
        if dry_run:
            due = BaiduPush.objects.filter(status=BaiduPush.Status.PENDING).order_by("due_at", "id")
            for entry in due:
                self.stdout.write(f"{entry.due_at:%Y-%m-%d %H:%M}  {entry.url}")
            self.stdout.write(f"{due.count()} 个网址等待推送。")
            return
        if loop:
            log.info("Baidu push loop started (polling at most every %s s)", poll)
            try:
                worker.run_forever(poll=poll)
            except KeyboardInterrupt:
                pass
            return
        report = worker.run_until_idle()
        self.stdout.write(
            f"已推送 {len(report.sent)} 个，百度拒收 {len(report.rejected)} 个，"
            f"稍后重试 {len(report.retrying)} 个，放弃 {len(report.given_up)} 个。"
        )
        if report.error:
            self.stderr.write(f"推送失败：{report.error}")
