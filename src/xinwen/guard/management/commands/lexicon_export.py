"""xinwen lexicon_export [NAME ...]: back-office lexicons as the plain text lexicon_import reads."""

from django.core.management.base import BaseCommand, CommandError

from xinwen.guard import services
from xinwen.guard.lexicon import builtin_sections, format_text
from xinwen.guard.models import Lexicon


class Command(BaseCommand):
    help = "把词库导出为纯文本（默认全部；--builtin 导出内置词库）。"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="词库名称，留空为全部")
        parser.add_argument("--builtin", action="store_true", help="导出内置词库")

    def handle(self, *args, names, builtin, **options):
        if builtin:
            self.stdout.write(format_text(builtin_sections(), title="xinwen 内置词库"), ending="")
            return
        lexicons = Lexicon.objects.all()
        if names:
            lexicons = lexicons.filter(name__in=names)
            missing = set(names) - set(lexicons.values_list("name", flat=True))
            if missing:
                raise CommandError(f"没有这些词库：{'、'.join(sorted(missing))}")
        self.stdout.write(services.lexicon_export(lexicons=lexicons), ending="")
