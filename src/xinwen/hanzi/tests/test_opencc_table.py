"""OpenCC read from the mapped table converts exactly as the opencc library does.

The counterpart is the installed opencc itself (`opencc.OpenCC(config).convert`), on every
key of every dictionary a configuration uses (joined a few at a time, so that phrases meet
at their edges), on random mixtures of keys, their starts, single characters, punctuation,
ASCII, NUL and characters beyond the Basic Multilingual Plane, on text aimed at ideographic
description sequences, and on the demo site's own articles in both scripts.
"""

from __future__ import annotations

import ast
import os
import random
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from xinwen.hanzi import mapped, opencc_table
from xinwen.hanzi.opencc_table import CONFIGS

IDCS = "⿰⿱⿲⿳⿴⿻⿾⿿"
ODD = ["a", "Z", "1", " ", "\n", "，", "。", "\u3000", "\x00", "é", "𠀀", "𪚥", "丽", "兀", "⿰", "⿱", "⿲", "⿾", "⿿"]


@lru_cache(maxsize=None)
def _keys(config: str) -> tuple[str, ...]:
    nodes = opencc_table._nodes(opencc_table._spec(config))
    files = opencc_table._dictionaries({name for node in nodes for name in opencc_table._files(node)})
    return tuple(sorted({key for entries in files.values() for key in entries}))


def _differences(config: str, texts: list[str]) -> list[tuple[str, str, str]]:
    library, table = opencc.OpenCC(config), opencc_table.converter(config)
    found = []
    for text in texts:
        expected, got = library.convert(text), table.convert(text)
        if expected != got:
            found.append((text, expected, got))
    return found


@pytest.mark.parametrize("config", CONFIGS)
def test_every_key_converts_as_opencc_does_where_phrases_meet(config):
    keys = list(_keys(config))
    random.Random(config).shuffle(keys)
    texts, at, sizes = [], 0, random.Random(1)
    while at < len(keys):
        size = sizes.randint(2, 7)
        texts.append("".join(keys[at : at + size]))
        at += size
    assert len(texts) > 60
    assert _differences(config, texts) == []


@pytest.mark.parametrize("config", CONFIGS)
def test_random_mixtures_convert_as_opencc_does(config):
    keys = _keys(config)
    chars = sorted({char for key in keys for char in key})
    pick = random.Random(f"mixture {config}")
    texts = [""]
    for _ in range(4000):
        parts = []
        for _ in range(pick.randint(1, 12)):
            roll = pick.random()
            if roll < 0.3:
                parts.append(pick.choice(keys))
            elif roll < 0.5:
                key = pick.choice(keys)
                parts.append(key[: pick.randint(1, len(key))])  # a start of a key that may go nowhere
            elif roll < 0.75:
                parts.append(pick.choice(chars))
            else:
                parts.append(pick.choice(ODD))
        texts.append("".join(parts))
    assert _differences(config, texts) == []


def _tree(depth: int, leaf: str = "发") -> str:
    return leaf if depth == 0 else "⿰" + _tree(depth - 1, leaf) + _tree(depth - 1, leaf)


@pytest.mark.parametrize("config", CONFIGS)
def test_ideographic_description_sequences_are_copied_whole_as_opencc_copies_them(config):
    keys = _keys(config)
    chars = sorted({char for key in keys for char in key})
    pick = random.Random(f"ids {config}")
    texts = ["⿰发发", "发⿰发发发", "⿰发", "⿰⿱发发发发", "⿲发发发发", "⿾发发", "⿿发", "⿰发\x00发", "a⿰ 发发",
             "头发⿰发\x00展发", "⿰" * 20 + "发" * 21, "⿰" * 70 + "發" * 71,  # deeper than opencc reads
             "⿰发" + _tree(4), "⿰发" + _tree(5), "⿰发" + _tree(5, "發")]  # 33 and 65 code points  # fmt: skip
    for _ in range(3000):
        parts = []
        for _ in range(pick.randint(1, 10)):
            roll = pick.random()
            parts.append(pick.choice(IDCS) if roll < 0.35 else pick.choice(chars) if roll < 0.7
                         else pick.choice(keys) if roll < 0.85 else pick.choice(ODD))  # fmt: skip
        texts.append("".join(parts))
    assert _differences(config, texts) == []


def _demo_texts() -> list[str]:
    """Every string of the demo site's content that holds a Han character."""
    found = []
    for name in ("demo.py", "demo_content.py", "demo_sections.py", "demo_pictures.py"):
        tree = ast.parse((Path(__file__).parents[2] / "site" / name).read_text(encoding="utf-8"))
        found += [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and any("\u4e00" <= char <= "\u9fff" for char in node.value)]  # fmt: skip
    return found


@pytest.mark.parametrize("config", CONFIGS)
def test_the_demo_sites_articles_convert_as_opencc_converts_them(config):
    texts = _demo_texts()
    assert sum(map(len, texts)) > 5000
    if config.startswith(("t", "hk")):  # a Traditional source: the articles as OpenCC's s2t gives them
        s2t = opencc.OpenCC("s2t")
        texts = [s2t.convert(text) for text in texts]
    texts.append("\n".join(texts))  # and all of it at once
    assert _differences(config, texts) == []


def test_a_lone_surrogate_is_refused_as_opencc_refuses_it():
    with pytest.raises(UnicodeEncodeError):
        opencc.OpenCC("s2tw").convert("发\ud800")
    with pytest.raises(UnicodeEncodeError):
        opencc_table.converter("s2tw").convert("发\ud800")


def test_a_configuration_not_in_the_table_is_refused_by_name():
    with pytest.raises(ValueError, match="'jp2t' is not in the table.*XINWEN_OPENCC=library"):
        opencc_table.converter("jp2t")


def test_what_a_stage_remembers_is_bounded_however_many_characters_a_text_holds(monkeypatch):
    opencc_table.converter("s2twp")  # the table, built if this run has none yet
    monkeypatch.setattr(opencc_table._Stage, "_MEMO_MAX", 500)
    tables = opencc_table._Tables(mapped.Table(opencc_table.table_path(), opencc_table.FORMAT))
    s2twp = tables.converters["s2twp"]
    text = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 5000))  # 5,000 different characters
    assert s2twp.convert(text) == opencc.OpenCC("s2twp").convert(text)
    for stage in {*s2twp._stages, s2twp._segment}:
        assert len(stage._memo) <= 500 and len(stage.chars) <= 500


_WORKER = """
import sys
from xinwen.hanzi.convert import convert, opencc_backend
print(opencc_backend(), convert("头发和软件的发展", "zh-tw", source="zh-hans"), "opencc" in sys.modules)
"""


def test_a_process_converts_from_the_table_without_loading_opencc(tmp_path):
    """The table is built by a child process; the process that converts never imports the opencc library."""
    env = {**os.environ, "XINWEN_TABLES": str(tmp_path)}
    env.pop("XINWEN_OPENCC", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the library used outside a site: the environment decides
    done = subprocess.run([sys.executable, "-c", _WORKER], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["table", "頭髮和軟體的發展", "False"]
    assert [path.name for path in tmp_path.glob("opencc-*.table")] == [opencc_table.table_path().name]
    env["XINWEN_OPENCC"] = "library"
    done = subprocess.run([sys.executable, "-c", _WORKER], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["library", "頭髮和軟體的發展", "True"]


def test_a_site_refuses_an_unknown_opencc_backend():
    env = {**os.environ, "XINWEN_OPENCC": "marisa", "DJANGO_SETTINGS_MODULE": "xinwen.settings"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode != 0
    assert "XINWEN_OPENCC='marisa': use table (the default) or library." in done.stderr


def test_a_table_that_cannot_be_built_leaves_conversion_to_the_library(monkeypatch, caplog, tmp_path):
    """An opencc build without its opencc_dict tool (or a broken package) cannot make the table: pages
    still convert, with the library, and the log says so once."""
    import subprocess as subprocess_module

    from xinwen.hanzi import convert as convert_module

    def fails(builder, path):
        raise subprocess_module.CalledProcessError(1, ["opencc_dict"])

    monkeypatch.setenv("XINWEN_TABLES", str(tmp_path))  # no table built here yet
    monkeypatch.setattr(mapped, "_build", fails)
    monkeypatch.setattr(opencc_table, "_tables", None)
    monkeypatch.setattr(convert_module, "_said_unavailable", [])
    monkeypatch.setattr(convert_module, "opencc_backend", lambda: "table")

    with caplog.at_level("WARNING", logger="xinwen.hanzi"):
        first = convert_module.convert("头发和软件", "zh-tw", source="zh-hans")
        second = convert_module.convert("软件的发展", "zh-tw", source="zh-hans")

    assert (first, second) == ("頭髮和軟體", "軟體的發展")
    said = [r.getMessage() for r in caplog.records if "could not be built" in r.getMessage()]
    assert len(said) == 1 and "opencc library instead" in said[0]
