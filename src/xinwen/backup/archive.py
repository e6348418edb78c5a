"""The archive file: a tar of checksummed members and a manifest that lists them.

Layout (in this order, so a reader can stream it):

    database/xinwen.sqlite3 | database/xinwen.pgdump   the database snapshot
    media/<path>                                        every file of MEDIA_ROOT
    manifest.json                                       what was captured, with SHA-256 and size of each member
    manifest.json.sha256                                the SHA-256 of manifest.json itself

The checksums find damage (a flipped byte, a cut-off copy, a lost or added member, an edited
manifest); they are not a signature against someone who rewrites both manifest files, so
archives belong where only operators can write.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .errors import ArchiveCorrupt, BackupError

__all__ = ["MANIFEST", "MANIFEST_SUM", "FORMAT", "ArchiveWriter", "archive_unpack", "file_sha256"]

MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
FORMAT = "xinwen-backup/1"
CHUNK = 1024 * 1024

Progress = Callable[[int], None]  # called with the number of bytes just handled


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """A file wrapper that hashes what tarfile reads from it, so every byte is read once."""

    def __init__(self, handle, progress: Progress | None):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        if self.progress:
            self.progress(len(data))
        return data


def _write_mode(path: Path) -> str:
    name = path.name.lower()
    return "w:gz" if name.endswith((".tar.gz", ".tgz")) else "w"


class ArchiveWriter:
    """Write members to `<path>.partial` and move it to `path` only when the manifest is in.

    A backup that fails half-way therefore never leaves a file under the name a restore
    (or a nightly copy job) would pick up. The archive holds password hashes: mode 0600.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.members: dict[str, dict] = {}
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.raw = os.fdopen(fd, "wb")
        self.tar = tarfile.open(fileobj=self.raw, mode=_write_mode(self.path), format=tarfile.PAX_FORMAT)

    def _info(self, name: str, size: int, mtime: float) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(mtime)
        info.mode = 0o600
        return info

    def add_file(self, name: str, source: Path, *, progress: Progress | None = None) -> dict:
        """Add one file under `name`; returns its {sha256, size} as it went into the archive."""
        with open(source, "rb") as handle:
            stat = os.fstat(handle.fileno())
            reader = _HashingReader(handle, progress)
            # tarfile reads exactly `size` bytes and fails on a file that shrank meanwhile.
            self.tar.addfile(self._info(name, stat.st_size, stat.st_mtime), reader)
        entry = {"sha256": reader.digest.hexdigest(), "size": stat.st_size}
        self.members[name] = entry
        return entry

    def finish(self, manifest: dict) -> None:
        """Write the manifest (with every member's checksum) and its own checksum, then publish the file."""
        manifest = {**manifest, "members": self.members}
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        for name, payload in ((MANIFEST, data), (MANIFEST_SUM, (hashlib.sha256(data).hexdigest() + "\n").encode())):
            self.tar.addfile(self._info(name, len(payload), time.time()), io.BytesIO(payload))
        self.tar.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())  # on disk before it carries the final name
        self.raw.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        for closing in (self.tar.close, self.raw.close):
            try:
                closing()
            except Exception:  # noqa: BLE001 - the archive is thrown away; the first error is the one to report
                pass
        self.partial.unlink(missing_ok=True)


def _member_path(name: str) -> PurePosixPath:
    """The member's path if it is one a backup writes; anything else means a forged or damaged archive."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise ArchiveCorrupt(f"归档中有不安全的路径「{name}」，拒绝恢复。Unsafe path in the archive.")
    if name not in (MANIFEST, MANIFEST_SUM) and path.parts[0] not in ("database", "media"):
        raise ArchiveCorrupt(f"归档中有未知的成员「{name}」，这不是 xinwen 备份。Unknown member in the archive.")
    return path


def archive_unpack(path: Path, staging: Path, *, progress: Progress | None = None) -> dict:
    """Unpack `path` into `staging` and verify it completely; returns the manifest.

    Raises ArchiveCorrupt unless every member is listed in the manifest with the same
    SHA-256 and size, every listed member is present, and the manifest matches its own
    checksum. Only `staging` is written, so a bad archive leaves the site untouched.
    """
    found: dict[str, dict] = {}
    manifest_bytes = manifest_sum = None
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for info in tar:
                rel = _member_path(info.name)
                if info.name in found or (info.name == MANIFEST and manifest_bytes is not None):
                    raise ArchiveCorrupt(f"归档中「{info.name}」出现了两次。Duplicate member.")
                if not info.isreg():
                    raise ArchiveCorrupt(f"归档成员「{info.name}」不是普通文件，拒绝恢复。Not a regular file.")
                source = tar.extractfile(info)
                if info.name in (MANIFEST, MANIFEST_SUM):
                    data = source.read(4 * 1024 * 1024 + 1)
                    if info.name == MANIFEST:
                        manifest_bytes = data
                    else:
                        manifest_sum = data.decode("ascii", "replace").strip()
                    continue
                target = staging / Path(*rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                        if progress:
                            progress(len(chunk))
                found[info.name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ArchiveCorrupt(f"归档不完整或已损坏（{exc}）：没有恢复任何内容。The archive is truncated or damaged.") from exc
    except OSError as exc:
        raise BackupError(f"读取或解开归档失败（{exc}）。Could not read the archive.") from exc
    return _verify(manifest_bytes, manifest_sum, found)


def _verify(manifest_bytes: bytes | None, manifest_sum: str | None, found: dict[str, dict]) -> dict:
    if manifest_bytes is None or manifest_sum is None:
        raise ArchiveCorrupt("归档中缺少清单（manifest.json），可能不完整：没有恢复任何内容。The manifest is missing.")
    if hashlib.sha256(manifest_bytes).hexdigest() != manifest_sum:
        raise ArchiveCorrupt("清单（manifest.json）与它的校验和不符，已被修改或损坏：没有恢复任何内容。The manifest was altered.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise ArchiveCorrupt(f"清单无法解析（{exc}）。The manifest is not valid JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveCorrupt(f"这不是 {FORMAT} 格式的 xinwen 备份。Not an xinwen backup of a known format.")
    listed = manifest.get("members") or {}
    missing = sorted(set(listed) - set(found))
    if missing:
        raise ArchiveCorrupt(f"归档缺少 {len(missing)} 个成员（如「{missing[0]}」）：没有恢复任何内容。Members are missing.")
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveCorrupt(f"归档中有清单未列出的成员（如「{extra[0]}」）：没有恢复任何内容。Unlisted members.")
    for name, expected in sorted(listed.items()):
        actual = found[name]
        if actual["size"] != expected.get("size") or actual["sha256"] != expected.get("sha256"):
            raise ArchiveCorrupt(
                f"成员「{name}」的校验和不符（已损坏或被修改）：没有恢复任何内容。Checksum mismatch for {name}."
            )
    return manifest
