"""Fixtures for the browser tests: Debian's chromium and a real xinwen server process.

The server runs as in production (`xinwen serve`: granian, DEBUG off) on a database of its own, prepared
with the commands an operator runs (`migrate`, `demo --no-server`). pytest-django's test
database is never involved: these tests speak HTTP only and request no `db` fixture.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
START_TIMEOUT = 30  # seconds for the server to answer its first request

# The demo's accounts that review in some sections (site/demo_sections.py): they need a second factor.
SECTION_REVIEWERS = ("chushen", "fushen", "zhongshen")

# Settings a developer's shell may carry that must not leak into the throw-away server.
NOT_INHERITED = {"DATABASE_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT", "SITE_URL", "CSRF_TRUSTED_ORIGINS"}


# The last TOTP time step each server accepted from the editor: django-otp refuses a step twice.
_USED_STEPS: dict[str, int] = {}


def _wall_time() -> float:
    """The real clock: a server process is never moved by XINWEN_TEST_CLOCK, whatever the tests' clock says."""
    try:
        import time_machine

        if time_machine.escape_hatch.is_travelling():
            return time_machine.escape_hatch.time.time()
    except ImportError:
        pass
    return time.time()


@dataclass(frozen=True)
class Server:
    url: str
    editor_password: str
    log: Path
    editor_otp_key: str = ""  # hex key of the editor's authenticator device (set up by the fixture)
    passwords: dict = field(default_factory=dict)  # every demo account's password, as `xinwen demo` printed them
    otp_keys: dict = field(default_factory=dict)  # hex keys of the section reviewers' authenticator devices

    def code(self, username: str) -> str:
        """The current TOTP code of `username`'s device (each device refuses a time step twice)."""
        from django_otp.oath import TOTP

        key = f"{self.url}#{username}"
        last = _USED_STEPS.get(key, -1)
        while int(_wall_time()) // 30 + 1 <= last:
            time.sleep(0.5)
        now = int(_wall_time()) // 30
        use = max(now, last + 1)
        _USED_STEPS[key] = use
        token = TOTP(bytes.fromhex(self.otp_keys[username]), step=30, t0=0, digits=6, drift=use - now)
        token.time = _wall_time()
        return f"{token.token():06d}"

    def editor_code(self) -> str:
        """The editor's current TOTP code, as the authenticator app would show it.

        Logins within one 30-second step use the next step's code (the server accepts one step
        ahead); a third waits for the clock.
        """
        from django_otp.oath import TOTP

        last = _USED_STEPS.get(self.url, -1)
        while int(_wall_time()) // 30 + 1 <= last:
            time.sleep(0.5)
        now = int(_wall_time()) // 30
        use = max(now, last + 1)
        _USED_STEPS[self.url] = use
        token = TOTP(bytes.fromhex(self.editor_otp_key), step=30, t0=0, digits=6, drift=use - now)
        token.time = _wall_time()  # the server's clock, even when the tests run at another time of day
        return f"{token.token():06d}"

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"


def _no_browser(reason: str) -> None:
    # CI exports XINWEN_REQUIRE_BROWSER=1 so that a missing browser fails instead of going green.
    if os.environ.get("XINWEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (XINWEN_REQUIRE_BROWSER=1: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright; Playwright's own browsers are never downloaded."""
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright Python package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def xinwen_server(tmp_path_factory) -> Iterator[Server]:
    """A production-mode server on a free port with the demo content and accounts loaded."""
    var_dir = tmp_path_factory.mktemp("xinwen-e2e")
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DEBUG="0",
        VAR_DIR=str(var_dir),  # on SQLite this is also where the fresh database file goes
        CACHE_PREFIX=f"xinwen-e2e-{secrets.token_hex(4)}",  # a shared Redis (CI) must not mix caches
        PYTHONUNBUFFERED="1",
    )
    with _own_database(os.environ.get("DATABASE_URL", "")) as database_url:
        if database_url:
            env["DATABASE_URL"] = database_url
        _manage(env, var_dir, "migrate", "--no-input", "--verbosity", "0")
        demo_output = _manage(env, var_dir, "demo", "--no-server")
        match = re.search(r"账号 editor / 密码 (\S+)", demo_output)
        if not match:
            pytest.fail(f"`xinwen demo` printed no password for the editor account:\n{demo_output}", pytrace=False)

        # The editor (and the demo's section reviewers) have bound an authenticator app, whose secret the tests hold.
        otp_key = secrets.token_hex(20)
        otp_keys = {name: secrets.token_hex(20) for name in SECTION_REVIEWERS}
        devices = [("editor", otp_key), *otp_keys.items()]
        _manage(
            env,
            var_dir,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "from django_otp.plugins.otp_totp.models import TOTPDevice; "
            f"[TOTPDevice.objects.create(user=get_user_model().objects.get(username=u), name='e2e', key=k, confirmed=True) for u, k in {devices!r}]",
        )

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
        server = Server(
            url=f"http://127.0.0.1:{port}",
            editor_password=match.group(1),
            log=log,
            editor_otp_key=otp_key,
            passwords=dict(re.findall(r"账号 (\w+) / 密码 (\S+)", demo_output)),
            otp_keys=otp_keys,
        )
        try:
            _wait_until_serving(process, server)
            yield server
        finally:
            process.terminate()  # `serve` exec'd granian, so this is granian's main process
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def screenshots(request) -> Path:
    """test-artifacts/screenshots/ at the repository root, where a person can look at the pages."""
    folder = request.config.rootpath / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the server log to the report of a failed test that used the server."""
    report = yield
    server = item.funcargs.get("xinwen_server") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, Server):
        report.sections.append(("xinwen server log", server.log_text()[-20_000:]))
    return report


@contextmanager
def _own_database(url: str) -> Iterator[str | None]:
    """Yield the URL of a new, empty PostgreSQL database beside `url` and drop it afterwards.

    Without a PostgreSQL URL this yields None: the server then uses SQLite in its tmp VAR_DIR,
    which is just as fresh.
    """
    parts = urlsplit(url)
    if not url or parts.scheme.startswith("sqlite"):
        yield None
        return
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        pytest.fail(f"the browser tests run on SQLite or PostgreSQL, not on DATABASE_URL={url!r}", pytrace=False)
    import psycopg
    from psycopg import sql

    name = f"xinwen_e2e_{secrets.token_hex(4)}"
    maintenance = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _manage(env: dict[str, str], cwd: Path, *args: str) -> str:
    """Run one `xinwen` command in the server's environment and return what it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "xinwen", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180
    )
    if result.returncode != 0:
        pytest.fail(
            f"`xinwen {' '.join(args)}` failed with exit code {result.returncode}:\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen, server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the xinwen server exited with code {process.returncode} before answering:\n{server.log_text()}",
                pytrace=False,
            )
        # Trust an answer only once the server says it bound the port: another program could hold it.
        if f"Listening at: {server.url}" in server.log_text():
            try:
                with urllib.request.urlopen(f"{server.url}/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:  # URLError, HTTPError and refused connections
                pass
        time.sleep(0.2)
    pytest.fail(
        f"the xinwen server did not answer {server.url}/ within {START_TIMEOUT} s:\n{server.log_text()}", pytrace=False
    )
