"""xinwen lexicon_import NAME FILE: words from a plain-text file into a back-office lexicon (idempotent)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinwen.guard import services
from xinwen.guard.lexicon import ACTIONS, CATEGORIES, LexiconFormatError


class Command(BaseCommand):
    help = "从纯文本文件导入词库（每行一个词，# 为注释，[分类 处理] 分节）；可重复运行。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("name", help="词库名称")
        parser.add_argument("file", help="UTF-8 文本文件，- 为标准输入")
        parser.add_argument("--category", default="自定义", choices=CATEGORIES)
        parser.add_argument("--action", default="需要确认", choices=list(ACTIONS))
        parser.add_argument("--replace", action="store_true", help="删除文件中没有的词")

    def handle(self, *args, name, file, category, action, replace, **options):
        try:
            text = (options.get("stdin") or sys.stdin).read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"读不了 {file}：{exc}") from exc
        try:
            summaries = services.lexicon_import(name=name, text=text, category=category, action=ACTIONS[action], replace=replace)
        except (LexiconFormatError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for s in summaries:
            self.stdout.write(f"{s.lexicon}: +{s.added} -{s.removed} = {s.total}")
