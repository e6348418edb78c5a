"""The UI string catalogues: complete, compiled, and each in its own script."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

from xinwen.hanzi.convert import detect_script

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"
CATALOGUES = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant"}


def parse_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (no plurals or contexts: the catalogues use neither)."""
    entries: dict[str, str] = {}
    current: dict[str, list[str]] = {}
    key = None

    def flush():
        if "msgid" in current:
            entries["".join(current["msgid"])] = "".join(current.get("msgstr", []))

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid_plural", "msgctxt", "msgstr[")):
            raise AssertionError(f"{path}: {line.split()[0]} is not expected in xinwen's catalogues")
        elif line.startswith(("msgid ", "msgstr ")):
            key, _, literal = line.partition(" ")
            current[key] = [ast.literal_eval(literal)]
        elif line.startswith('"'):
            assert key, f"{path}: continuation line without msgid/msgstr: {line}"
            current[key].append(ast.literal_eval(line))
    return entries


def messages(name: str) -> dict[str, str]:
    return {k: v for k, v in parse_po(LOCALE / name / "LC_MESSAGES" / "django.po").items() if k}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_message_is_translated(name):
    entries = messages(name)

    assert len(entries) >= 30
    assert [msgid for msgid, msgstr in entries.items() if not msgstr.strip()] == []


def test_both_catalogues_have_the_same_messages():
    assert set(messages("zh_Hans")) == set(messages("zh_Hant"))


@pytest.mark.parametrize("name", CATALOGUES)
def test_compiled_catalogue_matches_its_source(name):
    directory = LOCALE / name / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    # Run `xinwen compilemessages` in src/xinwen when this fails.
    assert {k: v for k, v in compiled._catalog.items() if k} == messages(name)
    assert compiled.info().get("content-type") == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("name", CATALOGUES)
def test_placeholders_survive_translation(name):
    placeholder = re.compile(r"%\(\w+\)s")
    for msgid, msgstr in messages(name).items():
        assert sorted(placeholder.findall(msgstr)) == sorted(placeholder.findall(msgid)), msgid


@pytest.mark.parametrize("name, foreign", [("zh_Hant", "zh-hans"), ("zh_Hans", "zh-hant")])
def test_catalogue_is_written_in_its_own_script(name, foreign):
    """No character of the other script only: 发 in a Traditional catalogue, 發 in a Simplified one."""
    wrong = {
        msgid: "".join(sorted({char for char in msgstr if detect_script(char) == foreign}))
        for msgid, msgstr in messages(name).items()
    }
    assert {msgid: chars for msgid, chars in wrong.items() if chars} == {}


def template_messages(root: Path = PACKAGE) -> set[str]:
    """The msgids of _("…") in the public (Jinja2) templates under `root`, as Jinja2's own extractor reads them."""
    from django.template import engines

    env = engines["jinja2"].env
    found = set()
    for path in root.rglob("jinja2/**/*.html"):
        for _, _, message in env.extract_translations(path.read_text(encoding="utf-8")):
            found.add(message[0] if isinstance(message, tuple) else message)  # _("…", name=value) gives a tuple
    return found


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_template_string_is_in_the_catalogue(name):
    used = template_messages()

    assert len(used) >= 30
    assert used - set(messages(name)) == set()
