"""pypinyin loaded through hanzi/pinyin_data.py reads exactly as pypinyin as published, in less memory.

Each side runs in its own fresh interpreter, since whichever imports pypinyin first decides
how its dictionary is held for the rest of the process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from xinwen.hanzi.pinyin_data import phrases_load

# Every 40th phrase of the dictionary joined into text (so phrases meet across their
# boundaries and the segmenter must choose), heteronyms asked for on some, plus sentences
# whose readings depend on the phrase chosen.
_READ = r"""
import importlib.util, json, re, sys
from pathlib import Path
if sys.argv[1] == "compact":
    from xinwen.hanzi.pinyin_data import pypinyin
    library = pypinyin()
else:
    import pypinyin as library
from pypinyin import constants
places = importlib.util.find_spec("pypinyin").submodule_search_locations
phrases = list(json.loads(Path(places[0], "phrases_dict.json").read_text(encoding="utf-8")))[::40]
texts = ["".join(phrases[i : i + 7]) for i in range(0, len(phrases), 7)]
texts += ["银行行长在重庆长大，行走在重重山路上。", "銀行行長在重慶長大", "了解了他的长处和长相"]
out = {
    "tone": [library.pinyin(t, style=library.Style.TONE) for t in texts],
    "heteronym": [library.pinyin(t, style=library.Style.TONE, heteronym=True) for t in texts[::5]],
    "plain": [library.lazy_pinyin(t) for t in texts[::3]],
    "shared": type(next(iter(constants.PHRASES_DICT.values()))[0]).__name__,
    "rss_kb": int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)),
}
print(json.dumps(out, ensure_ascii=False))
"""


def _data_file() -> Path:
    import importlib.util

    return Path(importlib.util.find_spec("pypinyin").submodule_search_locations[0]) / "phrases_dict.json"


def _run(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _READ, mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_compact_dictionary_holds_every_phrase_as_published():
    published = json.loads(_data_file().read_text(encoding="utf-8"))
    compact = phrases_load(_data_file())
    assert compact is not None and len(compact) == len(published) > 40_000
    assert {phrase: [list(item) for item in readings] for phrase, readings in compact.items()} == published
    # Every reading is one shared object: 银 in 银行 and in 银行行员 is the same tuple.
    assert compact["银行"][0] is compact["银行行员"][0]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmRSS from /proc")
def test_readings_equal_pypinyin_as_published_in_less_memory():
    published, compact = _run("published"), _run("compact")
    assert compact["shared"] == "tuple" and published["shared"] == "list"  # the compact path was taken
    for key in ("tone", "heteronym", "plain"):
        assert compact[key] == published[key], key
    assert len(compact["tone"]) > 150
    # About 56 MB as published against about 36 MB; the bound leaves room for other builds.
    assert compact["rss_kb"] <= published["rss_kb"] - 12 * 1024, (compact["rss_kb"], published["rss_kb"])


@pytest.mark.parametrize(
    "text",
    ['{"银行": [["yín"], ["háng"]], "行长": [["háng"], ["zhǎng"]]', '["银行"]', '{"银行": "yín háng"}', '{"银行": [[1]]}', ""],
    ids=["cut-short", "not-an-object", "reading-not-a-list", "syllable-not-text", "empty"],
)
def test_a_file_of_another_shape_leaves_pypinyin_to_load_it(tmp_path, text):
    path = tmp_path / "phrases_dict.json"
    path.write_text(text, encoding="utf-8")
    assert phrases_load(path) is None


def test_reads_any_json_layout(tmp_path):
    path = tmp_path / "phrases_dict.json"
    path.write_text('{"银行":[["yín"],["háng","xíng"]] ,\n "重庆" : [ ["chóng"], ["qìng"] ] }', encoding="utf-8")
    assert phrases_load(path) == {"银行": [("yín",), ("háng", "xíng")], "重庆": [("chóng",), ("qìng",)]}
    assert phrases_load(tmp_path / "missing.json") is None
