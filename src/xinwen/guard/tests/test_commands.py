"""lexicon_import / lexicon_export: plain text in and out, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from xinwen.guard.lexicon import builtin_sections, parse_text
from xinwen.guard.models import Lexicon

pytestmark = pytest.mark.django_db


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {} if stdin is None else {"stdin": io.StringIO(stdin)}
    call_command(*args, stdout=out, **extra)
    return out.getvalue()


def test_import_is_idempotent_and_export_reads_back(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\ufeff[赌博 禁止发布]\n某某娱乐\n某某棋牌\n[自定义 仅提示]\n内部代号\n", encoding="utf-8")
    first = run("lexicon_import", "本单位", str(path))
    again = run("lexicon_import", "本单位", str(path))
    assert "本单位（赌博·禁止发布）: +2 -0 = 2" in first and "+0 -0 = 2" in again
    assert Lexicon.objects.get(name="本单位（自定义·仅提示）").action == "note"
    exported = run("lexicon_export")
    assert {(s.category, s.action, tuple(s.words)) for s in parse_text(exported)} == {
        ("赌博", "block", ("某某娱乐", "某某棋牌")),
        ("自定义", "note", ("内部代号",)),
    }


def test_replace_drops_words_the_file_no_longer_lists():
    run("lexicon_import", "名单", "-", "--action", "禁止发布", stdin="甲公司\n乙公司\n")
    out = run("lexicon_import", "名单", "-", "--replace", stdin="甲公司\n")
    assert "+0 -1 = 1" in out


def test_a_malformed_file_is_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="第 2 行"):
        run("lexicon_import", "名单", "-", stdin="甲公司\n[不存在的分类 禁止发布]\n")
    assert not Lexicon.objects.exists()


def test_the_builtin_lexicon_exports_as_text():
    text = run("lexicon_export", "--builtin")
    assert [s.words for s in parse_text(text)] == [s.words for s in builtin_sections()]
