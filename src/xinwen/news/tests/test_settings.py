"""Configuration from the environment, checked in fresh processes the way a server starts."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid

import pytest

STRONG_KEY = secrets.token_urlsafe(50)
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.DEBUG, settings.CACHES['default']['BACKEND'])"
)


def run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run python with only the variables given: nothing leaks in from the developer's shell."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "DJANGO_SETTINGS_MODULE": "xinwen.settings",
        "VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def production(**overrides: str) -> dict[str, str]:
    return {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "news.example.org", **overrides}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(None, id="unset"),
        pytest.param("", id="empty"),
        pytest.param("too-short-secret", id="short"),
        pytest.param("django-insecure-" + secrets.token_urlsafe(50), id="django-insecure"),
        pytest.param("a" * 64, id="one-character"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    env = {"ALLOWED_HOSTS": "news.example.org"}
    if key is not None:
        env["SECRET_KEY"] = key

    result = run(tmp_path, "-m", "xinwen", "check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # tells the operator how to make one
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "dev-secret-key").exists()


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run(tmp_path, "-m", "xinwen", "check", SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
    assert "export ALLOWED_HOSTS=" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(tmp_path, "-m", "xinwen", "check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_setup_is_flagged_by_the_deploy_check(tmp_path):
    """The check is not vacuous: turning HTTPS off in production is reported."""
    result = run(tmp_path, "-m", "xinwen", "check", "--deploy", "--fail-level", "WARNING", **production(HTTPS="0"))

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_debug_runs_without_configuration_and_keeps_its_key(tmp_path):
    first = run(tmp_path, "-c", PRINT_SETTINGS, DEBUG="1")
    key_file = tmp_path / "var" / "dev-secret-key"
    key = key_file.read_text()
    second = run(tmp_path, "-c", PRINT_SETTINGS, DEBUG="1")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert len(key) >= 50
    assert key_file.read_text() == key  # logins survive a restart


def test_defaults_are_chinese_and_shanghai_time(tmp_path):
    result = run(tmp_path, "-c", PRINT_SETTINGS, **production())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Asia/Shanghai", "zh-hans", "False", "django.core.cache.backends.locmem.LocMemCache",
    ]  # fmt: skip


def test_time_zone_comes_from_the_environment(tmp_path):
    result = run(tmp_path, "-c", PRINT_SETTINGS, **production(TIME_ZONE="Asia/Taipei"))

    assert result.stdout.split()[0] == "Asia/Taipei"


def test_redis_cache_is_shared_between_processes(tmp_path):
    """Several app processes behind a proxy see one cache when REDIS_URL is set."""
    env = production(REDIS_URL="redis://127.0.0.1:6379/0", CACHE_PREFIX=f"xinwen-test-{uuid.uuid4().hex}")
    value = f"缓存值-{uuid.uuid4().hex}"
    setup = "import django; django.setup(); from django.core.cache import cache, caches; "
    write = f"print(type(caches['default']).__name__); cache.set('probe', {value!r}, 60); print(cache.get('probe'))"

    writer = run(tmp_path, "-c", setup + write, **env)
    reader = run(tmp_path, "-c", setup + "print(cache.get('probe')); cache.delete('probe')", **env)

    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.split() == ["ResilientRedisCache", value]  # Django's RedisCache, degrading when Redis is down
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == value
