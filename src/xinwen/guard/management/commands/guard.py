"""xinwen guard: check what the site serves against what was published; exit 0 clean, 3 findings, 2 not run.

Scripts and monitoring depend on the contract: one line per finding (page, profile, kind,
evidence, tab-separated) on standard output, a summary on standard error, and the exit code.
Every pass is kept in the back office's 网站安全 history, and new findings are alerted.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from xinwen.guard.browser import BROWSER
from xinwen.guard.inspect import KINDS
from xinwen.guard.monitor import guard_pass
from xinwen.guard.patrol import PROFILES, PatrolError

CLEAN, FOUND, NOT_RUN = 0, 3, 2


class Command(BaseCommand):
    help = "以浏览器、手机、百度、谷歌、搜狗、360 蜘蛛等身份访问站点的每个公开页面，与发布的内容比对，报告伪装、植入和垃圾页面。"

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="站点地址（默认 SITE_URL）")
        parser.add_argument("--profiles", nargs="+", default=[*PROFILES, BROWSER], help=f"访问方式：{' '.join(PROFILES)} {BROWSER}")
        parser.add_argument("--no-browser", action="store_true", help="不用真实浏览器（Chromium）检查脚本运行后的页面")
        parser.add_argument("--timeout", type=float, default=10.0, help="每个请求的超时秒数")

    def handle(self, *args, base_url, profiles, no_browser, timeout, **options):
        base_url = (base_url or getattr(settings, "SITE_URL", "")).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            self.stderr.write("请用 --base-url 指定站点地址（如 https://www.example.org），或设置 SITE_URL。")
            sys.exit(NOT_RUN)
        if no_browser:
            profiles = [p for p in profiles if p != BROWSER]
        try:
            _run, report = guard_pass(base_url=base_url, profiles=profiles, timeout=timeout)
        except PatrolError as exc:
            self.stderr.write(str(exc))
            sys.exit(NOT_RUN)
        for problem in report.problems:
            self.stdout.write(problem.line())
        kinds = sorted({p.kind for p in report.problems})
        summary = "、".join(f"{KINDS.get(k, k)} {sum(1 for p in report.problems if p.kind == k)}" for k in kinds)
        self.stderr.write(
            f"检查了 {report.pages} 个页面，{report.requests} 次请求，用时 {report.seconds:.1f} 秒；"
            + (f"发现 {len(report.problems)} 个问题：{summary}。" if report.problems else "未发现问题。")
        )
        sys.exit(FOUND if report.problems else CLEAN)
