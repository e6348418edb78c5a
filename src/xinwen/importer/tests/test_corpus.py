"""The whole pipeline on the corpus: every damage pattern, in GBK, Big5 and UTF-8, and clean pages left as written."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from xinwen.hanzi.convert import detect_script
from xinwen.importer.errors import ImportFailed
from xinwen.importer.models import ImportRecord
from xinwen.importer.tests.corpus_check import CORPUS, MANIFEST, prepare, problems
from xinwen.news.models import Article

DAMAGE = {"leaked_pinyin", "machine_conversion", "truncated_annotation", "misaligned", "mojibake", "lost_chars", "hijack"}


def test_the_corpus_is_large_and_covers_every_pattern_in_every_encoding():
    assert len(MANIFEST) >= 30
    flagged = {kind for entry in MANIFEST for kind in entry.get("flags", [])}
    assert DAMAGE <= flagged
    encodings = {part for entry in MANIFEST for part in ("gbk", "gb2312", "big5", "utf-8") if part in entry["file"]}
    assert encodings == {"gbk", "gb2312", "big5", "utf-8"}
    clean = [e for e in MANIFEST if e["file"].startswith("clean-")]
    assert {e["script"] for e in clean} == {"zh-hans", "zh-hant"} and len(clean) >= 9
    assert any("hk_" in e["file"] for e in clean) and any("tw_" in e["file"] for e in clean)


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_page_becomes_what_it_should(entry):
    if entry.get("fail"):
        with pytest.raises(ImportFailed) as failure:
            prepare(entry)
        assert failure.value.code == entry["fail"]
        assert str(failure.value)  # a reason a person can act on
        return
    pages = prepare(entry)

    assert len(pages) == entry.get("entries", 1)
    assert problems(entry, pages[0]) == []
    if entry["script"] == "zh-hans":
        assert detect_script(pages[0].title + pages[0].body_html) in ("zh-hans", "")


@pytest.mark.django_db
def test_importing_the_corpus_folder_twice_creates_each_article_once(tree, tmp_path):
    out = io.StringIO()
    call_command("import", str(CORPUS), "--offline", "--create-categories", "--no-progress", "--report", str(tmp_path / "r.json"), stdout=out)
    rows = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    failed = [row for row in rows if row["status"] == "failed"]
    expected_articles = sum(e.get("entries", 1) for e in MANIFEST if not e.get("fail"))

    assert len(failed) == sum(1 for e in MANIFEST if e.get("fail"))
    assert Article.objects.count() == ImportRecord.objects.count() == expected_articles
    assert "失败 4" in out.getvalue()

    call_command("import", str(CORPUS), "--offline", "--create-categories", "--no-progress", stdout=io.StringIO())
    assert Article.objects.count() == expected_articles
    held = Article.objects.filter(status=Article.Status.REVIEW)
    assert set(held.values_list("import_record__ref", flat=True)) == {
        r["ref"] for r in rows if r.get("hold")
    } and held.exists()
