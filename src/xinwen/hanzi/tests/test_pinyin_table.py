"""The pinyin table reads exactly as pypinyin as published, and a process that reads it never loads pypinyin.

pypinyin is the counterpart: every one of its phrases (joined seven at a time, so that they
meet across their boundaries and the forward match must choose), every character with all
its readings, and random mixtures of phrases, cut phrases, characters without a reading,
letters, digits and punctuation, in each mode xinwen uses.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pypinyin
import pytest
from pypinyin import Style, constants

from xinwen.hanzi import mapped, pinyin_table
from xinwen.hanzi.pinyin_table import FORMAT, NORMAL, Readings, build, lazy_pinyin, pinyin

PHRASES = sorted(constants.PHRASES_DICT)
CHARS = [chr(number) for number in sorted(constants.PINYIN_DICT)]
# 〇, a private-use character pypinyin counts as Han, a compatibility ideograph with and one
# without a reading, an Extension B character, and things that are not Han at all.
ODD = ["〇", "\ue815", "\ufa18", "\uf900", "\U00020000", "\U0002a6d6", "a", "5G", "，", " ", "銀", ""]


def _mixtures(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(0, 12)):
            pick = rnd.random()
            part = rnd.choice(PHRASES) if pick < 0.5 else rnd.choice(CHARS) if pick < 0.85 else rnd.choice(ODD)
            if len(part) > 1 and rnd.random() < 0.3:
                part = part[: rnd.randint(1, len(part) - 1)]  # a phrase's start only: a prefix, not a phrase
            parts.append(part)
        texts.append("".join(parts))
    return texts


def test_every_phrase_reads_as_pypinyin_reads_it():
    texts = ["".join(PHRASES[i : i + 7]) for i in range(0, len(PHRASES), 7)]
    assert len(texts) > 6_000
    assert [pinyin(t) for t in texts] == [pypinyin.pinyin(t, style=Style.TONE) for t in texts]
    # Heteronyms too: 朝阳 (zhāo or cháo) keeps both readings of its first character.
    sample = texts[::5]
    assert [pinyin(t, heteronym=True) for t in sample] == [pypinyin.pinyin(t, heteronym=True) for t in sample]
    assert pinyin("朝阳", heteronym=True) == [["zhāo", "cháo"], ["yáng"]]


def test_every_character_keeps_all_its_readings():
    ours = [pinyin(char, heteronym=True, errors="ignore") for char in CHARS]
    assert ours == [pypinyin.pinyin(char, heteronym=True, errors="ignore") for char in CHARS]
    assert pinyin("行", heteronym=True)[0][:2] == ["xíng", "háng"]


@pytest.mark.parametrize("seed", [1, 2])
def test_mixed_text_in_every_mode_reads_as_pypinyin_reads_it(seed):
    spaced = lambda chars: [f" {chars} "]  # noqa: E731
    kept = lambda chars: [chars]  # noqa: E731  as hanzi.pinyin.pinyin_slug asks
    for text in _mixtures(600, seed):
        assert pinyin(text) == pypinyin.pinyin(text), text
        assert pinyin(text, errors="ignore") == pypinyin.pinyin(text, errors="ignore"), text
        assert pinyin(text, heteronym=True) == pypinyin.pinyin(text, heteronym=True), text
        for errors in ("default", spaced, kept):
            assert lazy_pinyin(text, errors=errors) == pypinyin.lazy_pinyin(text, errors=errors), text
        assert lazy_pinyin(text, style=NORMAL) == pypinyin.lazy_pinyin(text, style=Style.NORMAL), text


def test_a_run_that_only_starts_phrases_reads_character_by_character():
    # pypinyin's forward match: when all that is left is the start of a phrase and none of
    # it is a phrase, each character gets its own reading, even if a phrase begins inside.
    start = next(p[:2] for p in PHRASES if len(p) > 3 and p[:2] not in constants.PHRASES_DICT and p[:3] not in constants.PHRASES_DICT)
    assert pinyin(start) == pypinyin.pinyin(start)
    assert lazy_pinyin("绿色", errors="default") == ["lv", "se"]


def test_a_file_that_is_not_a_table_is_refused(tmp_path):
    path = tmp_path / "other.table"
    path.write_bytes(b"NOTATABLE" + bytes(64))
    with pytest.raises(ValueError, match="not a table of format"):
        mapped.Table(path, FORMAT)


def test_a_damaged_table_is_built_again(tmp_path, monkeypatch):
    path = tmp_path / "pinyin.table"
    path.write_bytes(b"\0" * 10)
    monkeypatch.setattr(pinyin_table, "table_path", lambda: path)
    monkeypatch.setattr(pinyin_table, "_table", None)
    assert pinyin_table.table().char("银") == ["yín"]
    assert path.read_bytes().startswith(mapped.MAGIC)


def test_building_a_table_removes_the_tables_of_other_versions(tmp_path, monkeypatch):
    path = tmp_path / f"pinyin-9.9.9-{FORMAT}.table"
    older = tmp_path / f"pinyin-0.1.0-{FORMAT}.table"
    older.write_bytes(b"an old version's table")
    killed = tmp_path / f".pinyin-0.1.0-{FORMAT}.table.4194306"  # its builder was killed mid-write (above any pid_max: no builder here uses these names)
    killed.write_bytes(b"half")
    os.utime(killed, (0, 0))
    building = tmp_path / f".pinyin-9.9.9-{FORMAT}.table.4194305"  # another process writing now
    building.write_bytes(b"half")
    other_kind = tmp_path / "jieba-0.42.1-1.table"
    other_kind.write_bytes(b"the segmenter's table")
    monkeypatch.setattr(pinyin_table, "table_path", lambda: path)
    monkeypatch.setattr(pinyin_table, "_table", None)
    assert pinyin_table.table().char("银") == ["yín"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, building.name, other_kind.name])


def test_a_folder_that_cannot_be_written_gets_a_private_copy(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(pinyin_table, "table_path", lambda: blocked / "pinyin.table")
    monkeypatch.setattr(pinyin_table, "_table", None)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the private copy goes
    assert pinyin_table.table().phrase("重庆") == [["chóng"], ["qìng"]]
    assert "could not build" in caplog.text and not (blocked / "pinyin.table").exists()
    assert list(tmp_path.glob("xinwen-table-*/pinyin.table"))


def test_the_table_holds_every_reading_in_a_few_megabytes(tmp_path):
    path = tmp_path / "pinyin.table"
    build(path)
    table = Readings(mapped.Table(path, FORMAT))
    assert table.version == pypinyin.__version__
    assert table.phrase("银行") == [["yín"], ["háng"]]
    assert table.phrase("银") is None and table.char("银") == ["yín"]
    assert table.cut("银行行长在重庆") == ["银行", "行长", "在", "重庆"]
    assert path.stat().st_size < 6 * 1024 * 1024  # pypinyin holds the same as about 33 MB of objects


_READER = r"""
import json, sys
from xinwen.hanzi.pinyin import readings, pinyin_slug
print(json.dumps({
    "readings": readings("銀行行長在重慶"),
    "slugs": [pinyin_slug("数字化转型"), pinyin_slug("新聞中心")],
    "pypinyin": "pypinyin" in sys.modules,
}, ensure_ascii=False))
"""


def test_a_reader_never_imports_pypinyin_and_the_table_is_built_once(tmp_path):
    # XINWEN_TABLES empty: the default place, the site's VAR_DIR/cache.
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinwen.settings", "XINWEN_TABLES": ""}
    first = subprocess.run([sys.executable, "-c", _READER], env=env, capture_output=True, text=True, check=True)
    found = json.loads(first.stdout)
    assert found["readings"] == [["銀", "yín"], ["行", "háng"], ["行", "háng"], ["長", "zhǎng"], ["在", "zài"], ["重", "chóng"], ["慶", "qìng"]]
    assert found["slugs"] == ["shu-zi-hua-zhuan-xing", "xin-wen-zhong-xin"]
    assert found["pypinyin"] is False  # the table was built by a child process, which alone imported it
    tables = list(Path(tmp_path, "cache").glob("pinyin-*.table"))
    assert len(tables) == 1
    built = tables[0].stat().st_mtime_ns
    subprocess.run([sys.executable, "-c", _READER], env=env, capture_output=True, text=True, check=True)
    assert tables[0].stat().st_mtime_ns == built  # the second process reads the same file
