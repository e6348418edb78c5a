"""Static files under fingerprinted names, compressed, with no collectstatic step to forget.

`{% static "news/site.css" %}` prints /static/news/site.3f2a9b0c1d2e.css: twelve hex digits
of the file's content (MD5, as Django's ManifestStaticFilesStorage names them). A new
release of a file is a new name, so the name can be cached for a year (`immutable`), and
a reader never mixes an old stylesheet with a new page.

- `FingerprintedStorage` (STORAGES["staticfiles"]) gives templates those names, computed
  once per process from the staticfiles finders (first finder wins, as for collectstatic).
  `collectstatic` also writes the fingerprinted copies with .gz and .br twins into
  STATIC_ROOT, for a reverse proxy that serves /static/ itself.
- `StaticFiles` (in MIDDLEWARE instead of WhiteNoise's own) serves them straight from the
  installed package: each fingerprinted name with `immutable` caching and its gzip and
  brotli twins, written once per content under VAR_DIR/static-twins. The plain names keep
  working with WhiteNoise's short lifetime. A fingerprint that is no longer current (a
  page stored before a deploy) gets today's file with the short lifetime, never a 404.

With DEBUG the plain names are used, so an edited file shows on the next reload.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.base import ContentFile
from whitenoise.middleware import WhiteNoiseMiddleware

from xinwen.publishing.files import with_twins

__all__ = ["fingerprints", "fingerprinted", "plain_name", "static_sources", "FingerprintedStorage", "StaticFiles", "HASHED", "IGNORE"]

log = logging.getLogger(__name__)

# "news/site.3f2a9b0c1d2e.css" → stem "news/site", ext ".css"
HASHED = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{12}(?P<ext>\.[A-Za-z0-9]+)$")


def fingerprinted(name: str, content: bytes) -> str:
    """`name` with twelve hex digits of `content`'s MD5 before its extension; unchanged without one.

    Source maps keep their names: a script names its map itself, and only a debugger loads it.
    """
    base, dot, ext = name.rpartition(".")
    if not dot or not base or "/" in ext or ext == "map":
        return name
    return f"{base}.{hashlib.md5(content, usedforsecurity=False).hexdigest()[:12]}.{ext}"


# collectstatic's default ignore patterns: files it would never copy get no name either.
IGNORE = ["CVS", ".*", "*~"]


def plain_name(name: str) -> str:
    """`name` without its fingerprint (news/site.3f2a9b0c1d2e.css → news/site.css); other names unchanged."""
    match = HASHED.match(name)
    return match["stem"] + match["ext"] if match else name


def static_sources() -> dict[str, tuple[object, str]]:
    """name → (storage, path) of every static file, first finder wins (as collectstatic gathers them)."""
    found: dict[str, tuple[object, str]] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORE):
            prefix = getattr(storage, "prefix", None) or ""
            name = "/".join(p for p in (prefix.strip("/"), path.replace(os.sep, "/")) if p)
            found.setdefault(name, (storage, path))
    return found


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, tuple[str, str]]:
    """name → (fingerprinted name, file path) of every static file this process serves."""
    names = {}
    for name, (storage, path) in static_sources().items():
        with storage.open(path) as handle:
            names[name] = (fingerprinted(name, handle.read()), storage.path(path))
    return names


def fingerprints() -> dict[str, str]:
    """name → fingerprinted name of every static file this process serves."""
    return {name: hashed for name, (hashed, _path) in _catalogue().items()}


class FingerprintedStorage(StaticFilesStorage):
    """URLs with the content's fingerprint (not with DEBUG); collectstatic writes those copies too."""

    def url(self, name):
        if name and not settings.DEBUG and (entry := _catalogue().get(name)):
            name = entry[0]
        return super().url(name)

    def post_process(self, paths, dry_run=False, **options):
        """After collectstatic copied the plain files: the fingerprinted copies and their twins."""
        if dry_run:
            return
        for name in paths:
            with self.open(name) as handle:
                data = handle.read()
            hashed = fingerprinted(name, data)
            if hashed == name:
                yield name, name, False
                continue
            for target, payload in with_twins(hashed, data):
                if self.exists(target):
                    self.delete(target)
                self._save(target, ContentFile(payload))
            yield name, hashed, True


def _twin_root() -> Path:
    return Path(settings.VAR_DIR) / "static-twins"


def _prepared(hashed: str, source: str) -> str:
    """A path of the file under its fingerprinted name with .gz/.br beside it; the source itself if none can be written."""
    target = _twin_root() / hashed
    if target.is_file():
        return str(target)  # written by an earlier start (twins first, the file last): the name is the content
    try:
        data = Path(source).read_bytes()
        target.parent.mkdir(parents=True, exist_ok=True)
        for file_name, payload in with_twins(target.name, data):
            temporary = target.with_name(f".{file_name}.{os.getpid()}")
            temporary.write_bytes(payload)
            os.replace(temporary, target.with_name(file_name))
        return str(target)
    except OSError as exc:  # a read-only VAR_DIR: served uncompressed from the package
        log.warning("static twins not written for %s: %s", hashed, exc)
        return source


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise with the fingerprinted names of FingerprintedStorage (see the module docstring)."""

    def add_files_from_finders(self):
        super().add_files_from_finders()
        for name, (hashed, source) in _catalogue().items():
            plain, url = self.static_prefix + name, self.static_prefix + hashed
            if hashed == name or url in self.files or plain not in self.files:
                continue  # no extension, already in STATIC_ROOT (collectstatic), or not served
            self.files[url] = self.get_static_file(_prepared(hashed, source), url)

    def __call__(self, request):
        path = request.path_info
        if not self.autorefresh and path not in self.files and (plain := plain_name(path)) != path:
            # An older (or made-up) fingerprint of a file that exists: today's file, short-lived.
            current = self.files.get(plain)
            if current is not None:
                return self.serve(current, request)
        return super().__call__(request)
