"""Generation stamps: has something changed since this worker last looked? Read in microseconds, by every worker.

A worker keeps what every page needs (the category tree, the glossary version) in memory
under the stamp it read; a change notice bumps the stamp, and each worker reloads on its
next request. The stamp lives where every worker of the site sees it: in Redis when the
site has one (several app servers share it), else in a file under VAR_DIR (the workers of
one machine). `read()` returns None when the stamp cannot be read (Redis down): callers
then load from the database, as without a stamp.

Within one request (`OneReadingMiddleware`, first in MIDDLEWARE) each stamp is read once: a
page asks for the tree, the settings and the glossary about twenty times, which was twenty
Redis round trips per page, and the page is then rendered from one consistent set of them.
A bump within the request is seen by the request's next read.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from django.conf import settings

__all__ = ["read", "bump", "kept", "forget", "one_reading", "OneReadingMiddleware"]

_KEY = "stamp:{}"
_MISSING = object()
# The stamps read so far by the request this thread serves (None outside a request).
_reading: ContextVar[dict[str, str | None] | None] = ContextVar("xinwen_stamps_reading", default=None)


def _shared() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def _path(name: str) -> Path:
    return _stamp_path(str(settings.VAR_DIR), name)


@lru_cache(maxsize=64)
def _stamp_path(var_dir: str, name: str) -> Path:
    # A page reads several stamps; building the same Path each time was half the cost of a read.
    return Path(var_dir) / "stamps" / name


def read(name: str) -> str | None:
    reading = _reading.get()
    if reading is None:
        return _read(name)
    value = reading.get(name, _MISSING)
    if value is _MISSING:
        # The first read of a request also reads every other stamp this worker keeps, in one
        # round trip where they are in Redis: the page will ask for them next.
        names = [name, *(other for other in list(_kept) if other != name and other not in reading)]
        reading.update(_read_many(names))
        value = reading[name]
    return value


def _read_many(names: list[str]) -> dict[str, str | None]:
    if not _shared() or len(names) == 1:
        return {name: _read(name) for name in names}
    from django.core.cache import cache

    keys = {name: _KEY.format(name) for name in names}
    found = cache.get_many(list(keys.values()))
    return {name: found[key] if key in found else _read(name) for name, key in keys.items()}


def _read(name: str) -> str | None:
    if _shared():
        from django.core.cache import cache

        value = cache.get(_KEY.format(name))
        if value is None:  # never bumped, or Redis is down: set one, and trust it only if it sticks
            bump(name)
            value = cache.get(_KEY.format(name))
        return value
    try:
        st = os.stat(_path(name))
    except FileNotFoundError:
        bump(name)
        try:
            st = os.stat(_path(name))
        except OSError:
            return None
    except OSError:
        return None
    # A bump replaces the file: a new inode, whatever the clock's resolution.
    return f"{st.st_ino}.{st.st_mtime_ns}.{st.st_size}"


def bump(name: str) -> None:
    """Every worker's next read() of `name` differs from every earlier one."""
    token = secrets.token_hex(8)
    reading = _reading.get()
    if reading is not None:
        reading.pop(name, None)
    if _shared():
        from django.core.cache import cache

        cache.set(_KEY.format(name), token, None)
        return
    path = _path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{name}.{token}")
        temporary.write_text(token)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only VAR_DIR: read() then answers None and callers load from the database


_kept: dict[str, tuple[str, object]] = {}


def kept(name: str, load):
    """`load()`, called once per worker per bump of stamp `name` (every call without a stamp)."""
    stamp = read(name)
    entry = _kept.get(name)
    if stamp is not None and entry is not None and entry[0] == stamp:
        return entry[1]
    value = load()
    if stamp is not None:
        _kept[name] = (stamp, value)
    return value


@contextmanager
def one_reading():
    """Within the block, each stamp is read once (and again after this thread bumps it)."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


class OneReadingMiddleware:
    """Each request reads each stamp once (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_reading():
            return self.get_response(request)


def forget() -> None:
    """Drop everything this process keeps, so each next `kept()` loads again.

    For tests: a rolled-back database leaves the stamps as they were, and a test that moves
    the stamps elsewhere (REDIS_URL switched off) would otherwise meet an earlier test's values.
    """
    _kept.clear()
