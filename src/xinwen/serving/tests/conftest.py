"""Real `xinwen serve` processes on a throw-away SQLite site, for the tests of this app."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def get(url: str) -> int:
    """The status of a GET (an HTTP error's too); OSError while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def site_env(tmp_path) -> dict[str, str]:
    """The environment of a migrated production-mode site in tmp_path (no PostgreSQL, Redis, preload or OpenCC setting of the caller's)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SERVE_PRELOAD", "XINWEN_ROLE", "XINWEN_OPENCC"}}
    env.update(
        DJANGO_SETTINGS_MODULE="xinwen.settings", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0", DEBUG="0", VAR_DIR=str(tmp_path), PAGE_CACHE="0", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1",
    )  # fmt: skip
    subprocess.run([sys.executable, "-m", "xinwen", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env


def serve_process(env: dict[str, str], cwd: Path, log: Path) -> tuple[str, subprocess.Popen]:
    """Start `xinwen serve` with one worker on a free port, its output in `log`; (base URL, process)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return f"http://127.0.0.1:{port}", server


@contextlib.contextmanager
def serving(env: dict[str, str], cwd: Path, *, ready: str = "/"):
    """`xinwen serve` with one worker; yields (base URL, process) once `ready` answers; stopped after."""
    log = cwd / "serve.log"
    url, server = serve_process(env, cwd, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(url + ready)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
