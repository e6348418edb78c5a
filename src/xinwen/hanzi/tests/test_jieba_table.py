"""The mapped jieba dictionary cuts exactly as rjieba (jieba-rs) cuts, and a worker answering a search never loads rjieba.

rjieba is the counterpart: thousands of generated texts (dictionary words, word tails,
single Han characters, ASCII letters and digits that jieba joins, symbols it keeps in
words, whitespace of several kinds, full-width and supplementary-plane characters), then the
same with a few hundred site terms added, whose suggested frequencies must agree too.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
import rjieba

from xinwen.hanzi import jieba_table, mapped
from xinwen.hanzi.jieba_table import FORMAT, Dictionary, build

ODD = ["a", "B", "5", "12", "x1", "C++", ".", "%", "-", " ", "\r\n", "\n", "\u3000", "，", "。", "\x1c", "\xa0", "é",
       "ü", "#", "&", "_", "Ａ", "\U00020000", "銀", "〇", "ab c", "3.5%", "\t"]  # fmt: skip


@pytest.fixture(scope="module")
def words() -> list[str]:
    with jieba_table._dict_file().open(encoding="utf-8") as lines:
        return [line.split()[0] for line in lines if line.strip()]


def _texts(words: list[str], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(0, 10)):
            pick = rnd.random()
            part = rnd.choice(words) if pick < 0.6 else rnd.choice(ODD) if pick < 0.8 else chr(rnd.randint(0x4E00, 0x9FFF))
            if len(part) > 1 and rnd.random() < 0.3:
                part = part[rnd.randint(0, len(part) - 1) :]  # a word's tail: the graph must find its own way
            parts.append(part)
        texts.append("".join(parts))
    return texts


def test_cuts_as_rjieba_cuts(words):
    engine, table = rjieba.Jieba(), Dictionary(jieba_table.table())
    texts = _texts(words, 6000, seed=3) + ["我们中出了一个叛徒", "东方智联集团推进网站数字化转型", "5G基站和C++编程", ""]
    assert [table.cut(text) for text in texts] == [engine.cut(text, False) for text in texts]
    assert table.cut("南京市长江大桥") == engine.cut("南京市长江大桥", False)


def test_site_terms_get_rjiebas_frequencies_and_cut_alike(words):
    rnd = random.Random(5)
    terms = sorted({rnd.choice(words)[:3] + rnd.choice(words) for _ in range(150)} | {"东方智联", "数字化转型", "c++编程", "AB测试"})
    engine, table = rjieba.Jieba(), Dictionary(jieba_table.table())
    for term in terms:
        assert table.add_word(term, None, None) == engine.add_word(term, None, None), term
    texts = _texts(words, 1500, seed=6) + ["".join(rnd.sample(terms, 3)) for _ in range(800)]
    assert [table.cut(text) for text in texts] == [engine.cut(text, False) for text in texts]
    for word in ("东方智联", "东方", "数字化", "银行", "xyz", "东方智"):
        assert table.has_word(word) == engine.has_word(word), word


def test_the_table_is_a_file_of_jiebas_whole_dictionary(tmp_path, words):
    path = tmp_path / "jieba.table"
    build(path)
    table = mapped.Table(path, FORMAT)
    assert table.header["words"] == len(set(words)) > 340_000
    dictionary = Dictionary(table)
    assert dictionary.has_word("数字化") and not dictionary.has_word("数字化转")
    assert path.stat().st_size < 20 * 1024 * 1024  # rjieba holds it as about 50 MB a process
    with pytest.raises(ValueError, match="without the HMM"):
        dictionary.cut("你好", True)


_SEARCH = r"""
import json, sys
import django
django.setup()
from xinwen.hanzi.segment import Segmenter
from xinwen.search.query import parse_query
segmenter = Segmenter(["东方智联"])
query = parse_query("东方智联 数字化转型", segmenter)
print(json.dumps({"terms": [[t.text for t in form.include] for form in query.forms], "rjieba": "rjieba" in sys.modules}, ensure_ascii=False))
"""


def test_answering_a_query_never_loads_rjieba(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinwen.settings"}
    done = subprocess.run([sys.executable, "-c", _SEARCH], env=env, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["rjieba"] is False
    assert found["terms"][0][0] == "东方智联"  # the site's term stays one word


def test_an_article_indexed_by_either_engine_gets_the_same_words(words):
    from xinwen.hanzi.segment import Segmenter, normalise

    rnd = random.Random(9)
    terms = ["东方智联", "数字化转型", "c++编程"]
    body = normalise("，".join("".join(rnd.choice(words) for _ in range(rnd.randint(3, 12))) for _ in range(120)) + "东方智联推进数字化转型，c++编程5G")
    table, fast = Segmenter(terms), Segmenter(terms).load_rjieba()
    assert table._jieba is None and fast._jieba is not None
    found = table.words(body)
    assert len(body) > 2000 and found == fast.words(body)
    assert [table.subwords(word) for word in found] == [fast.subwords(word) for word in found]
    assert table.tokens(body) == fast.tokens(body)
