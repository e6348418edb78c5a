"""`xinwen convert --to zh-tw [FILE ...]`: convert text or HTML files (or standard input) to a script."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from xinwen.hanzi.convert import EMPTY_GLOSSARY, convert, convert_html
from xinwen.hanzi.selectors import current_glossary
from xinwen.hanzi.variants import VARIANTS


class Command(BaseCommand):
    help = "Convert Chinese text to zh-hans, zh-hant, zh-tw or zh-hk with OpenCC and the site glossary."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="files to convert (standard input when none)")
        parser.add_argument("--to", required=True, choices=sorted(VARIANTS), dest="target")
        parser.add_argument("--from", choices=sorted(VARIANTS)[:2], dest="source", default=None,
                            help="script of the input (zh-hans or zh-hant); detected when omitted")
        parser.add_argument("--html", action="store_true", help="convert text nodes only, keep markup byte-identical")
        parser.add_argument("--no-glossary", action="store_true", help="ignore the site glossary")

    def handle(self, *args, files, target, source, html, no_glossary, **options):
        glossary = EMPTY_GLOSSARY
        if not no_glossary:
            try:
                _version, glossary = current_glossary()
            except DatabaseError:
                self.stderr.write("xinwen convert: no database yet (run `xinwen migrate`); converting without the glossary")
        function = convert_html if html else convert
        texts = []
        if not files:
            texts.append(sys.stdin.read())
        for name in files:
            try:
                with open(name, encoding="utf-8") as handle:
                    texts.append(handle.read())
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {name}: {exc}") from exc
        for text in texts:
            self.stdout.write(function(text, target, source=source, glossary=glossary), ending="")
