"""End to end: a real `xinwen serve` (2 workers, production settings) with the page cache on.

A reader's second request is a hit served by whichever worker answers; an editor's change,
made in another process through the editorial services, reaches the next anonymous reader.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import brotli
import pytest

from xinwen.e2e.conftest import NOT_INHERITED, Server, _free_port, _manage, _wait_until_serving

SHELL_FIRST_ARTICLE = """
import json
from xinwen.news.models import Article
a = Article.objects.published().order_by("-publish_at").first()
print(json.dumps({"id": a.pk, "title": a.title}))
"""

SHELL_EDIT = """
from django.contrib.auth import get_user_model
from xinwen.news import services
from xinwen.news.models import Article
a = Article.objects.get(pk={pk})
a.title = {title!r}
services.article_save(article=a, user=get_user_model().objects.get(username="editor"), changed_fields=["title"])
"""


@pytest.fixture(scope="module")
def cached_server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("xinwen-pagecache-e2e")
    # A site of its own: SQLite and the page cache's files in this VAR_DIR, never a shared
    # Redis or database (the database does not matter here; the other suites cover both).
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED | {"REDIS_URL", "PAGE_CACHE_DIR"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DEBUG="0",
        VAR_DIR=str(var_dir),
        PAGE_CACHE="1",
        PYTHONUNBUFFERED="1",
    )
    _manage(env, var_dir, "migrate", "--no-input", "--verbosity", "0")
    _manage(env, var_dir, "demo", "--no-server")
    port = _free_port()
    log = var_dir / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=var_dir,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", editor_password="", log=log)
    try:
        _wait_until_serving(process, server)
        yield server, env, var_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str, **headers):
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()  # headers: any server's spelling


def test_a_cached_page_and_an_editors_change_reaching_the_next_reader(cached_server):
    server, env, var_dir = cached_server
    article = json.loads(_manage(env, var_dir, "shell", "-c", SHELL_FIRST_ARTICLE).strip().splitlines()[-1])
    url = f"{server.url}/zh-tw/article/{article['id']}/"

    answers = [get(url)[1] for _ in range(4)]  # two workers, one store
    assert [h["X-Page-Cache"] for h in answers] == ["miss", "hit", "hit", "hit"]
    # Every reader gets the policy the miss was rendered with, and it names no nonce to reuse.
    policies = {h["Content-Security-Policy"] for h in answers}
    assert len(policies) == 1 and "script-src 'self';" in f"{policies.pop()};"
    status, headers, body = get(url, Accept_Encoding="gzip, deflate, br")
    assert headers["Content-Encoding"] == "br" and headers["Vary"] == "Accept-Encoding"
    page = brotli.decompress(body).decode()
    assert "浏览次数" in page or "瀏覽次數" in page  # the count the beacon updates in place
    _, headers, body = get(url, Accept_Encoding="gzip")
    assert gzip.decompress(body).decode() == page
    with pytest.raises(urllib.error.HTTPError) as not_modified:  # urllib reports a 304 as an error
        get(url, If_None_Match=headers["ETag"])
    assert not_modified.value.code == 304
    assert article["title"] in get(f"{server.url}/")[2].decode()
    assert get(f"{server.url}/")[1]["X-Page-Cache"] == "hit"

    _manage(env, var_dir, "shell", "-c", SHELL_EDIT.format(pk=article["id"], title="页面缓存测试：编辑后的标题"))

    status, headers, body = get(url)
    assert headers["X-Page-Cache"] == "miss"
    assert "頁面快取測試" in body.decode() or "頁面緩存測試" in body.decode()
    assert get(url)[1]["X-Page-Cache"] == "hit"
    assert "页面缓存测试：编辑后的标题" in get(f"{server.url}/")[2].decode()
