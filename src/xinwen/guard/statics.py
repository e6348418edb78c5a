"""Static files as the release shipped them: what the site serves at each /static/ URL, and the published tree.

A hijacker who cannot touch the templates appends to a style sheet or a script the
pages already load (a `document.title` rewrite in site.js, a hidden link block in CSS
content). The pages then look untouched to every fetch, so the guard compares the bytes
served at each same-origin static URL the pages reference with the file the installed
release holds (the staticfiles finders, which WhiteNoise serves from; STATIC_ROOT only
for a file no finder has), by SHA-256. When static publishing is in use (PUBLISH_DIR),
the published tree is verified against its signed manifest (publishing/manifest.py):
every file added, changed or missing is a finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from xinwen.assets import plain_name
from xinwen.guard.inspect import Problem

__all__ = ["static_path", "shipped_digest", "static_problems", "published_problems"]

# (url) → (HTTP status, body bytes)
BytesFetcher = Callable[[str], tuple[int, bytes]]
PROFILE = "desktop"


def static_path(url: str, *, site_host: str) -> str | None:
    """The path below STATIC_URL of a same-site URL, None for any other URL."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower().removeprefix("www.") != site_host:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    rel = unquote(parts.path[len(prefix) :])
    if not rel or ".." in rel.split("/"):
        return None
    return rel


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def shipped_digest(rel: str) -> str | None:
    """SHA-256 of the release's file for `rel`, None when the release has no such file.

    A fingerprinted name (news/site.3f2a9b0c1d2e.css, xinwen/assets.py) is its plain file:
    the site serves that file's bytes under any fingerprint of it, so those are compared.
    """
    found = finders.find(rel) or finders.find(plain_name(rel))
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return _sha256(Path(found))
    collected = Path(settings.STATIC_ROOT) / rel
    return _sha256(collected) if collected.is_file() else None


def static_problems(urls: Iterable[str], *, site_host: str, fetch_bytes: BytesFetcher) -> list[Problem]:
    """A finding for each static URL whose served bytes are not the release's file.

    `static-modified`: the file exists in the release and the site serves other bytes;
    `static-unshipped`: pages load a static file the release does not have at all.
    A URL that does not answer 200 is left to the page checks (a missing file is no hijack).
    """
    found = []
    for url in sorted(set(urls)):
        rel = static_path(url, site_host=site_host)
        if rel is None:
            continue
        status, data = fetch_bytes(url.split("#", 1)[0])
        if status != 200:
            continue
        served = hashlib.sha256(data).hexdigest()
        shipped = shipped_digest(rel)
        if shipped is None:
            found.append(Problem(url, PROFILE, "static-unshipped", f"发布版本中没有 {rel}（实际内容 SHA-256 {served[:16]}…，{len(data)} 字节）"))
        elif shipped != served:
            found.append(Problem(url, PROFILE, "static-modified", f"{rel} 与发布版本不同（发布 SHA-256 {shipped[:16]}…，实际 {served[:16]}…，{len(data)} 字节）"))
    return found


_CHANGE = {"added": "多出", "changed": "被改动", "missing": "缺少"}


def published_problems(*, base_url: str) -> list[Problem]:
    """Findings for the published tree (PUBLISH_DIR) against its signed manifest; none when static publishing is off."""
    # The guard reads publishing's verifier, never its writers: the manifest is the release's own record.
    from xinwen.publishing.errors import ManifestError
    from xinwen.publishing.files import locked
    from xinwen.publishing.manifest import load_public_key, tree_verify

    target = getattr(settings, "PUBLISH_DIR", "")
    if not target:
        return []
    target = Path(target).absolute()
    base = base_url.rstrip("/")
    if not target.exists():
        return [Problem(base + "/", "manifest", "published-file-changed", "静态发布目录不存在，无法与签名清单比对")]
    try:
        # Under the tree's lock: an incremental publish rewrites files and then re-signs.
        with locked(target):
            differences = tree_verify(target.resolve(), load_public_key())
    except ManifestError as exc:
        return [Problem(base + "/", "manifest", "published-file-changed", str(exc)[:300])]
    return [
        Problem(f"{base}/{d.path}", "manifest", "published-file-changed", f"{_CHANGE.get(d.kind, d.kind)}：{d.path}（与签名清单不符）")
        for d in differences
    ]
