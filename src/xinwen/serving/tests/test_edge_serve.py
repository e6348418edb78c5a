"""`XINWEN_ROLE=edge xinwen serve`, as README's 静态发布 section starts the public side's app process.

Real processes: a site migrated as the CMS, then the edge role's `xinwen serve` on it,
asked over HTTP for what nginx sends it and for what it must not have.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from xinwen.serving.tests.test_serve_memory import _free_port, _get


def test_the_edge_role_starts_the_production_server_without_a_back_office(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "XINWEN_ROLE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="xinwen.settings", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0", DEBUG="0", VAR_DIR=str(tmp_path), LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1",
    )  # fmt: skip
    subprocess.run([sys.executable, "-m", "xinwen", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    port = _free_port()
    log = tmp_path / "edge.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env={**env, "XINWEN_ROLE": "edge"}, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        search = url + "/search/?q=" + urllib.parse.quote("数字化转型")
        deadline = time.monotonic() + 60
        while True:
            try:
                status = _get(search)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, Path(log).read_text(errors="replace")
                time.sleep(0.2)
        assert status == 200
        assert _get(url + "/zh-tw/search/?q=" + urllib.parse.quote("數位")) == 200
        assert _get(url + "/api/v1/articles") == 200
        assert _get(url + "/admin/") == 404
        assert _get(url + "/admin/login/") == 404
        assert _get(url + "/") == 404  # pages are files on the public side
    finally:
        server.terminate()
        server.wait(timeout=30)
