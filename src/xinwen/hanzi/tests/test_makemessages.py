"""`xinwen makemessages`: every msgid of the Jinja2 templates reaches the catalogues, and no translation is lost."""

from __future__ import annotations

import ast
import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import engines

from xinwen.hanzi.management.commands.makemessages import jinja2_gettext_source
from xinwen.hanzi.tests.test_catalogues import CATALOGUES, PACKAGE, parse_po

GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


@pytest.fixture
def gettext_tools():
    """GNU gettext, which Django's makemessages runs: a clear failure without it (CI installs it)."""
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"makemessages needs GNU gettext ({', '.join(missing)} missing): apt-get install gettext", pytrace=False)


def jinja2_settings(settings, template_dirs: list[Path]) -> None:
    """The project's Jinja2 engine (its environment and extensions), reading templates from `template_dirs` only."""
    templates = copy.deepcopy(settings.TEMPLATES)
    jinja2 = next(engine for engine in templates if engine["NAME"] == "jinja2")
    jinja2.update(DIRS=[str(d) for d in template_dirs], APP_DIRS=False)
    settings.TEMPLATES = templates


def read_po(path: Path) -> tuple[dict[tuple[str | None, str], dict], list[str]]:
    """(msgctxt, msgid) → the entry's fields and comment lines; and the obsolete (#~) lines."""
    entries, obsolete = {}, []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict = {"comments": []}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                obsolete.append(line)
            elif line.startswith("#"):
                fields["comments"].append(line)
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, literal = line.partition(" ")
                fields[key] = ast.literal_eval(literal)
        if "msgid" in fields:
            entries[fields.get("msgctxt"), fields["msgid"]] = fields
    return entries, obsolete


@pytest.mark.parametrize(
    "template, python",
    [
        ('{{ _("Home") }}', "_('Home')\n"),
        ('<p>{{ _("共 %(n)s 条", n=count) }}</p>', "_('共 %(n)s 条')\n"),
        ('{{ ngettext("%(num)s article", "%(num)s articles", count) }}', "ngettext('%(num)s article', '%(num)s articles')\n"),
        ('{{ pgettext("verb", "Open") }}', "pgettext('verb', 'Open')\n"),
        ("{% trans name=user %}Hello {{ name }}{% endtrans %}", "gettext('Hello %(name)s')\n"),
        ('\n\n{{ _("Third line") }} {{ _("It\'s \\"quoted\\"") }}', "\n\n_('Third line'); _('It\\'s \"quoted\"')\n"),
        ("{{ _(title) }}", "\n"),  # not a literal: nothing to extract
    ],
)
def test_template_strings_become_gettext_calls_on_their_line(template, python):
    assert jinja2_gettext_source(engines["jinja2"].env, template) == python


def test_a_template_that_does_not_parse_is_named():
    with pytest.raises(CommandError, match=r"^news/broken\.html:2: .*must parse"):
        jinja2_gettext_source(engines["jinja2"].env, '{{ _("ok") }}\n{% if %}', "news/broken.html")


CATALOGUE = r"""# A test catalogue.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

# 首页 is what the site calls itself.
msgid "Home"
msgstr "首页"

#, python-format
msgid "共 %(n)s 条"
msgstr "合计 %(n)s 条"
"""

TEMPLATE = """{{ _("Home") }}
<p>{{ _("共 %(n)s 条", n=count) }}</p>
<p>{{ ngettext("%(num)s article", "%(num)s articles", count) }}</p>
<button>{{ pgettext("verb", "Open") }}</button>
"""


def test_strings_with_values_plurals_and_contexts_are_merged(tmp_path, settings, monkeypatch, gettext_tools):
    (tmp_path / "jinja2").mkdir()
    (tmp_path / "jinja2" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "views.py").write_text('from django.utils.translation import gettext\nTITLE = gettext("From Python")\n')
    (tmp_path / "templates" / "admin").mkdir(parents=True)
    (tmp_path / "templates" / "page.html").write_text('{% load i18n %}{% translate "From a Django template" %}\n')
    (tmp_path / "templates" / "admin" / "login.html").write_text('{% load i18n %}{% translate "Log in" %}\n')
    po = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(CATALOGUE, encoding="utf-8")
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    jinja2_settings(settings, [tmp_path / "jinja2"])
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["zh_Hans"], verbosity=0)

    entries, obsolete = read_po(po)
    assert obsolete == []
    home = entries[None, "Home"]
    assert home["msgstr"] == "首页"
    assert home["comments"] == ["# 首页 is what the site calls itself.", "#: jinja2/page.html:1"]
    with_value = entries[None, "共 %(n)s 条"]
    assert with_value["msgstr"] == "合计 %(n)s 条"
    assert "#: jinja2/page.html:2" in with_value["comments"]
    plural = entries[None, "%(num)s article"]
    assert (plural["msgid_plural"], plural["msgstr[0]"]) == ("%(num)s articles", "")
    assert "#: jinja2/page.html:3" in plural["comments"]
    assert entries["verb", "Open"]["comments"][0] == "#: jinja2/page.html:4"
    # Django's own extraction still runs; the admin's overridden login keeps the admin's catalogue.
    assert (None, "From Python") in entries
    assert (None, "From a Django template") in entries
    assert (None, "Log in") not in entries


def test_on_the_project_it_keeps_every_message_and_translation(tmp_path, settings, monkeypatch, gettext_tools):
    """The real package and catalogues: nothing turns obsolete, nothing new turns up, no translation changes.

    A new msgid here is a template or Python string the catalogues lack: run
    `xinwen makemessages -a` in src/xinwen, translate it in both, then `xinwen compilemessages`.
    """
    package = tmp_path / "xinwen"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "var", "*.mo"))
    real_dirs = [Path(d) for d in engines["jinja2"].template_dirs]
    jinja2_settings(settings, [package / d.relative_to(PACKAGE) for d in real_dirs if d.is_relative_to(PACKAGE)])
    settings.LOCALE_PATHS = [str(package / "locale")]
    monkeypatch.chdir(package)

    call_command("makemessages", all=True, verbosity=0)

    for name in CATALOGUES:
        result = package / "locale" / name / "LC_MESSAGES" / "django.po"
        assert read_po(result)[1] == [], f"{name}: entries marked obsolete"
        assert parse_po(result) | {"": ""} == parse_po(PACKAGE / "locale" / name / "LC_MESSAGES" / "django.po") | {"": ""}


def test_the_xinwen_command_is_this_one_without_settings_in_the_environment(tmp_path):
    """Without DEBUG or SECRET_KEY, Django would quietly run its own makemessages and mark entries obsolete."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env["VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "-m", "xinwen", "makemessages", "--help"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "Jinja2's own extractor" in " ".join(result.stdout.split())
