"""A fresh `xinwen serve` worker shares what the server loaded before forking: its own memory stays small.

Real processes: a throw-away SQLite site, `xinwen serve` with one worker, pages in two
scripts, a `?ruby=1` page and a search, then the worker's USS (what it alone holds) and
PSS from /proc/PID/smaps_rollup. Loading everything in the worker instead (as before
serving/prefork.py) made its USS about 200 MB.

And what a serving worker never loads at all: the libraries of the back office, the
publisher and the guard.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from xinwen.serving.prefork import on_glibc
from xinwen.serving.tests.conftest import get, serving

# USS, PSS and RSS measured: 27, 58 and 94 MB, with OpenCC read from its mapped table
# (hanzi/opencc_table.py); with the opencc library's own dictionaries (XINWEN_OPENCC=library)
# 25, 77 and 135 MB. A worker building its own search segmenter instead of using the
# parent's (its own copy of jieba's dictionary) measured 49 MB of USS; with pypinyin's
# dictionaries and rjieba loaded before forking (before the mapped tables of hanzi/mapped.py)
# the PSS was about 110 MB and the RSS over 200.
USS_BOUND_MB = 40
PSS_BOUND_MB = 70  # one worker shares with one parent: half of the shared pages count here
RSS_BOUND_MB = 115  # everything the worker maps, shared or not (bench/memory.py's goal: 150)

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{pid}$", status, re.M):
                found.append(int(entry))
    return found


def _memory_mb(pid: int) -> dict[str, float]:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
    return {"pss": kb["Pss"] / 1024, "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, "rss": kb["Rss"] / 1024}


def test_fresh_worker_holds_little_of_its_own(site_env, tmp_path):
    with serving(site_env, tmp_path) as (url, server):
        assert get(url + "/") == 200
        assert get(url + "/zh-tw/") == 200
        assert get(url + "/sitemap/?ruby=1") == 200
        assert get(url + "/search/?q=" + urllib.parse.quote("数字化转型")) == 200
        (worker,) = _children(server.pid)
        size = _memory_mb(worker)
        assert size["uss"] <= USS_BOUND_MB, f"the worker alone holds {size}"
        assert size["pss"] <= PSS_BOUND_MB, f"the worker's share: {size}"
        assert size["rss"] <= RSS_BOUND_MB, f"all the worker maps: {size}"


# Four threads allocating at once, each holding what it allocated, then malloc's own report of
# its arenas (malloc_info's <heap> elements). glibc only.
_ARENAS = """
import ctypes, sys, threading
libc = ctypes.CDLL(None)
if sys.argv[1] == "one":
    from xinwen.serving.prefork import one_malloc_arena
    assert one_malloc_arena()
ready = threading.Barrier(4)
kept = []
def allocate():
    ready.wait()
    kept.append([bytes(4096 + n) for n in range(2000)])  # above pymalloc's 512 bytes: malloc's
    ready.wait()
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads: thread.start()
for thread in threads: thread.join()
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
stream = libc.fopen(sys.argv[2].encode(), b"w")
libc.malloc_info(0, stream)
libc.fclose(stream)
"""


def test_glibc_is_recognised_where_the_interpreter_was_linked_against_it():
    """on_glibc() decides both the arena setting and the next test's skip: a wrong False would hide both."""
    import platform

    assert on_glibc() == (platform.libc_ver()[0] == "glibc")


@pytest.mark.skipif(not on_glibc(), reason="glibc")
def test_worker_threads_allocate_from_one_malloc_arena(tmp_path):
    heaps = {}
    for mode in ("default", "one"):
        report = tmp_path / f"{mode}.xml"
        subprocess.run([sys.executable, "-c", _ARENAS, mode, str(report)], check=True, timeout=60)
        heaps[mode] = len(re.findall(r"<heap nr=", report.read_text()))
    assert heaps["default"] > 1, heaps  # without it, each allocating thread gets an arena of its own
    assert heaps["one"] == 1, heaps


# Libraries only the back office, the publisher or the guard use. A serving worker imports
# every app (the admin registers the guard's and the editor's modules), so each must be
# imported where it is used: together about 60 MB that every worker would otherwise hold.
BACK_OFFICE_ONLY = ("zxcvbn", "PIL", "lxml", "segno", "tqdm", "urllib3", "cryptography", "redis", "pypinyin", "rjieba")

_LOADED = """
import json, sys
import django
django.setup()
import xinwen.wsgi
from xinwen.serving.prefork import preload
preload(("pinyin", "search"))
from django.test import Client
client = Client()
paths = ("/", "/zh-tw/", "/article/999999/", "/api/articles", "/search/?q=东方智联+数字化转型", "/zh-tw/search/?q=網站")
answers = [client.get(path, HTTP_HOST="127.0.0.1").status_code for path in paths]
from xinwen.hanzi.render import variant_html
ruby = variant_html("<p>银行</p>", "zh-tw", source="zh-hans", ruby=True)  # what an article's ?ruby=1 page shows
print(json.dumps({"answers": answers, "ruby": ruby, "loaded": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def test_serving_worker_loads_no_back_office_library(site_env):
    done = subprocess.run([sys.executable, "-c", _LOADED], env=site_env, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["answers"][:2] == [200, 200] and found["answers"][2] == 404, found["answers"]
    assert found["answers"][4:] == [200, 200], found["answers"]  # searches: cut by the mapped dictionary, not rjieba
    assert "django" in found["loaded"]
    # OpenCC's dictionaries come from the mapped table (XINWEN_OPENCC=table): the library's own copy
    # of them is about 47 MB in every process.
    assert "opencc" not in found["loaded"]
    # Readings come from the pinyin table (built by a child process), never from pypinyin itself.
    assert found["ruby"] == "<p><ruby>銀<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby></p>", found["ruby"]
    assert not set(BACK_OFFICE_ONLY) & set(found["loaded"]), "loaded by a serving worker"
