"""What the benchmarks share: a throw-away site's environment, starting and waiting for servers, wrk's beacon.

The scripts in bench/ run as `python bench/<name>.py`, so this module is importable as
`harness` from each of them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = [
    "site_env",
    "in_process_site",
    "free_port",
    "demo_site",
    "migrated_site",
    "xinwen",
    "wait_until_serving",
    "BEACON_INIT_LUA",
    "progress",
    "require_tools",
    "postgres_database",
    "redis_reachable",
    "goals_report",
    "write_results",
]

BENCH = Path(__file__).resolve().parent
# Where the benches create (and drop) their PostgreSQL databases: a server they may create databases on.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Debian package names of the tools the benches drive.
TOOLS = {"wrk": "wrk", "nginx": "nginx-light"}

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


def in_process_site(prefix: str, **extra: str) -> str:
    """Point this process at a new throw-away site and set Django up; returns its VAR_DIR.

    `extra` adds to its environment (DATABASE_URL for a PostgreSQL row).
    """
    var_dir = tempfile.mkdtemp(prefix=prefix)
    os.environ.clear()
    os.environ.update(site_env(var_dir, **extra))
    import django

    django.setup()
    return var_dir


def cpu_times() -> dict[int, tuple[str, int, float]]:
    """pid → (command, parent pid, CPU seconds so far) for every process on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    return found


_GIVEN: set[int] = set()


def free_port() -> int:
    """A port for a server this bench starts: free now, never handed out before in this process.

    Below the kernel's ephemeral range: a port the kernel hands out (bind to 0) can go to a
    client connection's own end (any request this bench makes) before the server that was
    meant to listen on it starts, and a probe would then reach the wrong server.
    """
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    while True:
        port = 10000 + secrets.randbelow(max(low - 10000, 1000))
        if port in _GIVEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port


def xinwen(env: dict, cwd: Path, *args: str) -> str:
    """Run an `xinwen` command for the site in `env`; its standard output, or exit with its errors."""
    result = subprocess.run([sys.executable, "-m", "xinwen", *args], env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"`xinwen {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# `make bench` and `make bench-quick` point this at a folder of their own, deleted when they
# end: a site one bench built (migrated, the demo, N generated articles) is copied from
# there by the next bench that asks for the same, instead of being built again (15-30 s
# each). A bench run by hand builds its own.
SITES = os.environ.get("XINWEN_BENCH_SITES", "")
_SITE_SKIP = {"pagecache"}  # stored pages: what serving adds, never part of a built site


@functools.lru_cache(maxsize=1)
def _source_digest() -> str:
    """A digest of everything that decides what a built site holds: xinwen's source and the generator."""
    import xinwen

    digest = hashlib.blake2b(digest_size=12)
    root = Path(xinwen.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and "tests" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for name in ("pages.py", "harness.py"):
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()


def _shared_site(env: dict, var_dir: Path, kind: str, build) -> dict:
    """Build a site with `build()` or, in a `make bench` run, copy the one an earlier bench built."""
    if not SITES or env.get("DATABASE_URL"):  # PostgreSQL sites are built for each bench
        return build()
    kept = Path(SITES) / f"{kind}-{_source_digest()}"
    if (kept / "site.json").exists():
        mode = Path(var_dir).stat().st_mode  # copytree copies the kept folder's mode too: nginx may need to enter this one
        shutil.copytree(kept, var_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("site.json"))
        os.chmod(var_dir, mode)
        progress(f"copied the {kind} site built earlier in this run")
        return json.loads((kept / "site.json").read_text())
    found = build()
    temp = Path(tempfile.mkdtemp(prefix=f".{kind}-", dir=SITES))
    shutil.copytree(var_dir, temp, dirs_exist_ok=True, ignore=lambda folder, names: _SITE_SKIP & set(names) if folder == str(var_dir) else ())
    (temp / "site.json").write_text(json.dumps(found))
    try:
        temp.rename(kept)
    except OSError:  # another bench kept the same site first
        shutil.rmtree(temp, ignore_errors=True)
    return found


def migrated_site(env: dict, var_dir: Path) -> None:
    """An empty, migrated site in `var_dir`."""

    def build() -> dict:
        xinwen(env, var_dir, "migrate", "--no-input", "--verbosity", "0")
        return {}

    _shared_site(env, var_dir, "migrated", build)


def demo_site(env: dict, var_dir: Path, articles: int = 0) -> dict[str, int]:
    """Migrate, load the demo, add `articles` generated articles (bench/pages.py) and convert them ahead; their first and last ids."""

    def build() -> dict:
        # Each layer is kept in a `make bench` run for the next bench that asks for it: an
        # empty migrated site, then the demo, then the generated articles.
        if not articles:
            migrated_site(env, var_dir)
            xinwen(env, var_dir, "demo", "--no-server")
            return {}
        demo_site(env, var_dir)
        generated = subprocess.run(
            [sys.executable, str(Path(__file__).parent / "pages.py"), "--generate", str(articles)],
            env=env, cwd=var_dir, capture_output=True, text=True,
        )  # fmt: skip
        if generated.returncode:
            raise SystemExit(f"generating articles failed:\n{generated.stderr}")
        # Bulk-inserted past the write path: convert their bodies ahead, as saving or importing them would have.
        xinwen(env, var_dir, "convert_ahead")
        return json.loads(generated.stdout.strip().splitlines()[-1])

    return _shared_site(env, var_dir, f"demo{articles}", build)


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


def progress(message: str) -> None:
    """One line per stage on stderr, so a long run shows where it is."""
    # UTC: a bench that sets Django up in its own process has the site's time zone as local time.
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def _tool_path(tool: str) -> str | None:
    return shutil.which(tool) or next((p for p in (f"/usr/sbin/{tool}", f"/sbin/{tool}") if Path(p).exists()), None)


def require_tools(*tools: str) -> dict[str, str]:
    """The paths of `tools`; when one is missing, exit non-zero with the command that installs it.

    A bench never installs anything itself: changing the machine's packages is the
    operator's decision (and a bench may run where apt-get would touch a shared host).
    """
    missing = [tool for tool in tools if not _tool_path(tool)]
    if missing:
        packages = " ".join(TOOLS.get(tool, tool) for tool in missing)
        raise SystemExit(
            f"{', '.join(missing)} not found: this bench needs {' and '.join(tools)}. "
            f"Install with `sudo apt-get install {packages}` (Debian/Ubuntu) and run the bench again."
        )
    return {tool: _tool_path(tool) for tool in tools}


def _with_database(url: str, name: str) -> str:
    head, _, tail = url.partition("?")
    return head.rsplit("/", 1)[0] + "/" + name + (f"?{tail}" if tail else "")


@contextlib.contextmanager
def postgres_database(label: str, server_url: str = POSTGRES_URL):
    """A new, empty PostgreSQL database for one bench, dropped afterwards; yields its URL.

    Yields None (the caller reports the row as skipped) when no PostgreSQL server answers.
    """
    import psycopg

    name = f"xinwen_bench_{label}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(server_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        progress(f"PostgreSQL not reachable at {server_url} ({str(exc).strip().splitlines()[0]}); set BENCH_POSTGRES_URL")
        yield None
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        progress(f"created PostgreSQL database {name}")
        try:
            yield _with_database(server_url, name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            progress(f"dropped PostgreSQL database {name}")


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def goals_report(goals: dict[str, tuple[bool | None, str]]) -> dict:
    """Print each goal with met / NOT met (None: not measured) and return them for the JSON results."""
    for goal, (met, detail) in goals.items():
        verdict = "not measured" if met is None else ("met" if met else "NOT met")
        print(f"goal {goal}: {verdict} ({detail})")
    return {goal: {"met": met, "detail": detail} for goal, (met, detail) in goals.items()}


def write_results(benchmark: str, data: dict) -> Path:
    """bench/results/<benchmark>-<UTC time>.json; returns the path."""
    folder = Path(os.environ.get("BENCH_RESULTS", BENCH / "results"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{benchmark}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}.json"
    payload = {"benchmark": benchmark, "cores": os.cpu_count(), "load_average": os.getloadavg(), **data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    print(f"results written to {path}")
    return path
