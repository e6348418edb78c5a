"""`xinwen makemessages`: Django's, with the public Jinja2 templates read by Jinja2's own extractor.

Django's makemessages reads every .html file as a Django template, so in the readers'
templates (jinja2/ folders) it found only the plain `_("…")` and missed the strings with
values (`_("共 %(n)s 条", n=count)`), ngettext and pgettext; merging then marked their
hand-added entries obsolete (#~). Here a Jinja2 template is handed to xgettext as a Python
file holding one gettext/ngettext/pgettext call per msgid, on the template's own line, so
Django's machinery does the rest as for its own templates: the `#:` locations name the
template, and msgmerge keeps every translation and comment of the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.utils.functional import cached_property
from jinja2 import Environment, TemplateSyntaxError

# How many leading string arguments of each gettext function are catalogue text.
STRING_ARGUMENTS = {"_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


def jinja2_gettext_source(env: Environment, source: str, name: str = "<template>") -> str:
    """Python source with a gettext call per msgid of the Jinja2 template `source`, each on the template's line.

    xgettext reads it with the keywords Django gives it (pgettext:1c,2, npgettext:1c,2,3;
    _, gettext and ngettext:1,2 are its defaults). A call whose text is not a literal
    (`_(title)`) has nothing to extract and is left out, as Jinja2's extractor leaves it.
    """
    try:
        found = list(env.extract_translations(source))
    except TemplateSyntaxError as exc:
        raise CommandError(
            f"{name}:{exc.lineno}: {exc.message} (the template must parse before its strings can be read)"
        ) from exc
    lines = [[] for _ in range(source.count("\n") + 1)]
    for lineno, function, message in found:
        strings = message if isinstance(message, tuple) else (message,)
        strings = strings[: STRING_ARGUMENTS[function]]
        if len(strings) == STRING_ARGUMENTS[function] and all(isinstance(s, str) for s in strings):
            lines[lineno - 1].append(f"{function}({', '.join(map(repr, strings))})")
    return "\n".join("; ".join(calls) for calls in lines) + "\n"


class BuildFile(makemessages.BuildFile):
    @cached_property
    def jinja2_env(self) -> Environment | None:
        """The project's Jinja2 environment when this file is in one of its template folders, else None."""
        if self.domain != "django":
            return None
        path = Path(self.path).resolve()
        for engine in engines.all():
            if isinstance(engine, Jinja2) and any(path.is_relative_to(Path(d).resolve()) for d in engine.template_dirs):
                return engine.env
        return None

    def preprocess(self):
        if self.jinja2_env is None or not self.is_templatized:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(jinja2_gettext_source(self.jinja2_env, source, self.path), encoding="utf-8")


class Command(makemessages.Command):
    help = makemessages.Command.help + " Jinja2 templates are read with Jinja2's own extractor."
    build_file_class = BuildFile

    # Templates that override the admin's (editorial/templates/admin/) keep the admin's own
    # strings, which django.contrib.admin's catalogue translates: ours would hold them untranslated.
    # Tests hold no UI strings; the importer's test pages in GBK and Big5 only drew decoding errors.
    ignored = ["templates/admin", "*/templates/admin", "tests"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *self.ignored]
        return super().handle(*args, **options)
