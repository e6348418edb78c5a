"""`xinwen publish`: build the static site, rewrite what changed, roll back, or verify a served tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinwen.publishing import manifest, push, services
from xinwen.publishing.errors import ManifestError, PublishError
from xinwen.publishing.manifest import InvalidManifest

# --verify: 0 the tree matches its signed manifest, 3 it does not, 2 it cannot be checked.
EXIT_DIFFERENT = 3
EXIT_CANNOT = 2


class Command(BaseCommand):
    help = "把公开站点发布为静态文件（--to DIR），只重写变化的文件（--changed），回退（--rollback），推送（--push），或校验（--verify DIR）。"

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="发布目录：成为指向当前发布版本的符号链接")
        parser.add_argument("--changed", action="store_true", help="只重写上次发布之后变化的文件")
        parser.add_argument("--keep", type=int, default=services.DEFAULT_KEEP, help="保留的发布版本数（默认 5）")
        parser.add_argument("--rollback", action="store_true", help="切回上一个发布版本")
        parser.add_argument("--verify", type=Path, metavar="DIR", help="按签名清单校验 DIR 中的文件")
        parser.add_argument("--key", type=Path, help="校验用的 Ed25519 公钥（PEM）；默认用本站的公钥")
        parser.add_argument(
            "--push",
            action="append",
            default=[],
            metavar="TARGET",
            help="发布后用 rsync 推送到 TARGET（本地路径、host:路径 经 SSH、或 rsync://）；可重复",
        )
        parser.add_argument("--push-only", action="store_true", help="不构建，只推送当前发布版本")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="完整发布的并行进程数（默认为 CPU 核数）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, to=None, changed=False, keep=5, rollback=False, verify=None, key=None, no_progress=False, **options):
        targets, push_only, jobs = options["push"], options["push_only"], options["jobs"]
        if verify is not None:
            return self._verify(verify, key)
        if to is None:
            raise CommandError("请用 --to DIR 指定发布目录，或用 --verify DIR 校验。", returncode=EXIT_CANNOT)
        progress = not no_progress and options.get("verbosity", 1) > 0
        try:
            if push_only and not targets:
                raise PublishError("--push-only 需要至少一个 --push TARGET。")
            if jobs < 1:
                raise PublishError("--jobs 至少为 1。")
            if rollback:
                release = services.release_rollback(target=to)
                self.stdout.write(f"已回退到发布版本 {release.name}")
            elif changed and not push_only:
                self._report(services.site_publish_changed(target=to, progress=progress))
            elif not push_only:
                self._report(services.site_publish(target=to, keep=keep, progress=progress, jobs=jobs))
            for result in push.tree_push(tree=to, targets=targets):
                self.stdout.write(f"已推送到 {result.target}：传输 {result.sent} 个文件")
        except (PublishError, ManifestError) as exc:
            raise CommandError(str(exc), returncode=EXIT_CANNOT) from exc

    def _report(self, report):
        kind = "完整发布" if report.full else "增量发布"
        self.stdout.write(
            f"{kind}：{report.pages} 个页面，写入 {len(report.written)} 个文件，删除 {len(report.removed)} 个；版本 {report.release.name}"
        )

    def _verify(self, root: Path, key_path: Path | None):
        if not root.is_dir():
            raise CommandError(f"{root} 不是目录。", returncode=EXIT_CANNOT)
        try:
            trusted = manifest.load_public_key(key_path)
            if key_path is not None and trusted is None:
                raise CommandError(f"公钥文件 {key_path} 不存在。", returncode=EXIT_CANNOT)
            if trusted is None:
                self.stderr.write("注意：没有受信任的公钥（--key），只能用清单自带的公钥校验。")
            differences = manifest.tree_verify(root.resolve(), trusted)
        except InvalidManifest as exc:
            self.stdout.write(str(exc))
            sys.exit(EXIT_DIFFERENT)
        except ManifestError as exc:
            raise CommandError(str(exc), returncode=EXIT_CANNOT) from exc
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            sys.exit(EXIT_DIFFERENT)
        self.stdout.write("校验通过：文件与签名清单一致。")
