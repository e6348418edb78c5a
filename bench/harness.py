"""What the benchmarks share: a throw-away site's environment, starting and waiting for servers, wrk's beacon.

The scripts in bench/ run as `python bench/<name>.py`, so this module is importable as
`harness` from each of them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["site_env", "in_process_site", "free_port", "xinwen", "wait_until_serving", "BEACON_INIT_LUA"]

# A beacon as beacon.js sends it; each script adds its own request() for the client addresses.
BEACON_INIT_LUA = r"""
function init(args)
  wrk.method = "POST"
  wrk.body = "article=" .. args[1]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8"
  wrk.headers["User-Agent"] = args[2]
  wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
  wrk.headers["Sec-Fetch-Mode"] = "cors"
  wrk.headers["Sec-Fetch-Dest"] = "empty"
end
"""


def site_env(var_dir: str | Path, **extra: str) -> dict[str, str]:
    """The environment of a throw-away site in `var_dir`: SQLite, no Redis, production settings."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="xinwen.settings",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="testserver",
        HTTPS="0",
        VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def in_process_site(prefix: str) -> str:
    """Point this process at a new throw-away site and set Django up; returns its VAR_DIR."""
    var_dir = tempfile.mkdtemp(prefix=prefix)
    os.environ.clear()
    os.environ.update(site_env(var_dir))
    import django

    django.setup()
    return var_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def xinwen(env: dict, cwd: Path, *args: str) -> str:
    """Run an `xinwen` command for the site in `env`; its standard output, or exit with its errors."""
    result = subprocess.run([sys.executable, "-m", "xinwen", *args], env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"`xinwen {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_until_serving(process: subprocess.Popen, url: str, log: Path, *, timeout: float = 60) -> None:
    """Return once `url` answers at all (an HTTP error is an answer); exit with the log if the server dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')}")
