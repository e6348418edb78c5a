"""Test settings come from the environment like everywhere else; these are the test defaults."""

import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 40 + "-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("HTTPS", "0")
# The page cache would make one test's pages another test's answers; its own tests switch it on.
os.environ.setdefault("PAGE_CACHE", "0")
# The server's scheduled guard pass would fetch a test server's pages behind the tests' backs.
os.environ.setdefault("GUARD_SCHEDULE_MINUTES", "0")
# A VAR_DIR and cache prefix of this test process's own. The generation stamps
# (xinwen/stamps.py) live there: with a folder shared by every test run of the checkout,
# another run's tests bumped them and this one reloaded its category tree, site settings and
# glossary version mid-test, so the query-count tests failed whenever two runs overlapped.
_own_var_dir = None
if "VAR_DIR" not in os.environ:
    _own_var_dir = os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="xinwen-test-var-")
os.environ.setdefault("CACHE_PREFIX", f"xinwen-test-{os.getpid()}")
# The pinyin and jieba table files (hanzi/mapped.py), built once for the whole run instead
# of once in each test site's VAR_DIR: every `xinwen serve` a test starts would build both.
_own_tables = None
if "XINWEN_TABLES" not in os.environ:
    _own_tables = os.environ["XINWEN_TABLES"] = tempfile.mkdtemp(prefix="xinwen-test-tables-")

import django  # noqa: E402

django.setup()


def pytest_configure(config):
    """XINWEN_TEST_CLOCK=HH:MM runs the whole suite with today's clock at that UTC time (ticking).

    Dates that depend on the time of day (a UTC date against the site's local date) only
    disagree for part of the day; CI sets a time where they do, so such a test fails in
    every run instead of in the evening only.
    """
    clock = os.environ.get("XINWEN_TEST_CLOCK", "").strip()
    if not clock:
        return
    from datetime import datetime, timezone

    import time_machine

    hour, _, minute = clock.partition(":")
    target = datetime.now(timezone.utc).replace(hour=int(hour), minute=int(minute or 0), second=0, microsecond=0)
    traveller = time_machine.travel(target, tick=True)
    traveller.start()
    config._xinwen_clock = traveller
    print(f"xinwen tests: clock set to {target.isoformat()} (XINWEN_TEST_CLOCK={clock})")


def pytest_unconfigure(config):
    for own in (_own_var_dir, _own_tables):
        if own:
            shutil.rmtree(own, ignore_errors=True)


def pytest_report_header(config):
    from django.conf import settings
    from django.utils import timezone

    return f"xinwen: TIME_ZONE={settings.TIME_ZONE}, local time {timezone.localtime():%Y-%m-%d %H:%M %Z}"
