"""`xinwen convert`: files or standard input to a script, with the site glossary, and clear errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import VARIANT_IDS

SOURCE = "软件与鼠标的信息，范晓明吃面条。"


def convert(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("convert", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def source_file(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target, expected",
    [
        ("zh-hans", SOURCE),
        ("zh-hant", "軟件與鼠標的信息，範曉明吃麵條。"),
        ("zh-tw", "軟體與滑鼠的資訊，範曉明吃麵條。"),
        ("zh-hk", "軟件與鼠標的信息，範曉明吃麪條。"),
    ],
    ids=VARIANT_IDS,
)
def test_converts_a_file(source_file, target, expected):
    assert convert("--to", target, str(source_file)) == expected


@pytest.mark.django_db
def test_converts_several_files_in_order(tmp_path, source_file):
    other = tmp_path / "other.txt"
    other.write_text("\n头发\n", encoding="utf-8")

    assert convert("--to", "zh-tw", str(source_file), str(other)) == "軟體與滑鼠的資訊，範曉明吃麵條。\n頭髮\n"


@pytest.mark.django_db
def test_reads_standard_input_without_files(monkeypatch):
    assert convert("--to", "zh-tw", stdin="头发\n", monkeypatch=monkeypatch) == "頭髮\n"


@pytest.mark.django_db
def test_traditional_input_converts_back(tmp_path):
    path = tmp_path / "tw.txt"
    path.write_text("本公司的軟體透過網路提供資訊服務。", encoding="utf-8")

    assert convert("--to", "zh-hans", str(path)) == "本公司的软件透过网络提供信息服务。"
    assert convert("--to", "zh-hans", "--from", "zh-hans", str(path)) == "本公司的軟體透過網路提供資訊服務。"


@pytest.mark.django_db
def test_html_mode_converts_text_nodes_and_keeps_markup(tmp_path):
    html = '<p class="lead" title="头发"><a href="/头发/">头发</a><code>头发</code></p>\n'
    path = tmp_path / "body.html"
    path.write_text(html, encoding="utf-8")

    converted = convert("--to", "zh-tw", "--html", str(path))
    as_text = convert("--to", "zh-tw", str(path))

    assert converted == '<p class="lead" title="头发"><a href="/头发/">頭髮</a><code>头发</code></p>\n'
    assert as_text == '<p class="lead" title="頭髮"><a href="/頭髮/">頭髮</a><code>頭髮</code></p>\n'


@pytest.mark.django_db
def test_applies_the_site_glossary(source_file):
    GlossaryTerm.objects.create(term="范晓明", mode=GlossaryTerm.Mode.KEEP)
    GlossaryTerm.objects.create(term="鼠标", mode=GlossaryTerm.Mode.FORCE, zh_tw="滑鼠墊")

    assert convert("--to", "zh-tw", str(source_file)) == "軟體與滑鼠墊的資訊，范晓明吃麵條。"
    assert convert("--to", "zh-tw", "--no-glossary", str(source_file)) == "軟體與滑鼠的資訊，範曉明吃麵條。"


@pytest.mark.django_db
def test_unknown_target_names_the_choices(source_file):
    with pytest.raises(CommandError, match=r"invalid choice: 'zh-xx' \(choose from .*zh-hans.*zh-tw"):
        convert("--to", "zh-xx", str(source_file))


@pytest.mark.django_db
def test_missing_and_undecodable_files_are_clear_errors(tmp_path):
    binary = tmp_path / "gbk.txt"
    binary.write_bytes("头发".encode("gbk"))

    with pytest.raises(CommandError, match=r"cannot read .*missing\.txt: .*No such file"):
        convert("--to", "zh-tw", str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match=r"cannot read .*gbk\.txt: 'utf-8' codec can't decode"):
        convert("--to", "zh-tw", str(binary))


# --- the real command line ------------------------------------------------------------------


def run_cli(*args: str, tmp_path, stdin: str = "") -> subprocess.CompletedProcess:
    """`python -m xinwen convert ...` as an operator runs it: own settings, no test database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "REDIS_URL"}}
    env.update(
        SECRET_KEY="cli-test-" + "s3cr3t" * 10,
        ALLOWED_HOSTS="localhost",
        HTTPS="0",
        VAR_DIR=str(tmp_path / "var"),
        PYTHONIOENCODING="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "xinwen", "convert", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_command_line_converts_standard_input_before_any_migration(tmp_path):
    result = run_cli("--to", "zh-tw", tmp_path=tmp_path, stdin="软件与鼠标的信息\n")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "軟體與滑鼠的資訊\n"
    # Without a database there is no glossary: said once, plainly, and the text is still converted.
    assert "no database yet (run `xinwen migrate`)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--to", "zh-xx"], 2, "invalid choice: 'zh-xx'"),
        (["--to", "zh-tw", "no-such-file.txt"], 1, "cannot read no-such-file.txt"),
    ],
    ids=["unknown target", "missing file"],
)
def test_command_line_errors_exit_non_zero_without_a_traceback(tmp_path, args, code, message):
    result = run_cli(*args, tmp_path=tmp_path)

    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
