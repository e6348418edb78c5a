"""Pushing a published tree to public web servers with rsync: a local path, `host:path` over SSH, or rsync://.

Two passes per target, so a reader of the public copy never meets a link to a page that
is not there yet, nor a page that was deleted while something still linked to it:
  1. every new and changed file, except the manifest, and nothing deleted; with
     --delay-updates rsync renames them into place together at the end of the pass;
  2. the manifest, then the deletion of files the release no longer has (--delete-after).
The tree's lock is held meanwhile, so no incremental publish changes it between passes.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from xinwen.publishing import files
from xinwen.publishing.errors import PublishError
from xinwen.publishing.manifest import MANIFEST

__all__ = ["PushResult", "tree_push", "push_new", "push_rest"]

log = logging.getLogger(__name__)

RSYNC = "rsync"
TIMEOUT = 3600  # seconds for one pass; --timeout below bounds a stalled connection
_COMMON = ["--recursive", "--links", "--perms", "--times", "--omit-dir-times", "--timeout=120", "--stats"]


@dataclass(frozen=True)
class PushResult:
    target: str
    sent: int  # files transferred in both passes


def _source(tree: Path) -> str:
    release = files.current_release(Path(tree).absolute())
    if release is None:
        raise PublishError(f"{tree} 不是发布目录：先运行 xinwen publish --to {tree}。")
    return f"{release}/"


def _rsync(args: list[str], target: str) -> int:
    if shutil.which(RSYNC) is None:
        raise PublishError("没有找到 rsync：请安装它（apt-get install rsync）。")
    done = subprocess.run([RSYNC, *_COMMON, *args], capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        raise PublishError(f"推送到 {target} 失败（rsync 退出码 {done.returncode}）：{_reason(done.stderr)}")
    for line in done.stdout.splitlines():
        if line.startswith("Number of regular files transferred:"):
            return int(line.split(":")[1].strip().replace(",", ""))
    return 0


_CAUSES = ("verification failed", "denied", "refused", "could not resolve", "timed out", "no route", "unknown module", "no such file")


def _reason(stderr: str) -> str:
    """Why rsync failed, in a line: ssh's or the daemon's own cause when it gave one, then rsync's summary.

    ssh's banners (a changed host key prints a box of @) are no reason; rsync's last line
    alone ("unexplained error (code 255)") does not say what to fix.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip().strip("@").strip()]
    if not lines:
        return "?"
    cause = next((line for line in lines if any(word in line.lower() for word in _CAUSES)), lines[0])
    return cause if cause == lines[-1] else f"{cause} / {lines[-1]}"


def _destination(target: str) -> str:
    return target if target.endswith("/") else target + "/"


def push_new(tree: Path, target: str) -> int:
    """Pass 1: new and changed files into place, the manifest left out, nothing deleted."""
    return _rsync(["--delay-updates", f"--exclude=/{MANIFEST}", _source(tree), _destination(target)], target)


def push_rest(tree: Path, target: str) -> int:
    """Pass 2: the manifest, and the files the release no longer has deleted after it."""
    return _rsync(["--delete-after", _source(tree), _destination(target)], target)


def tree_push(*, tree: Path, targets: list[str]) -> list[PushResult]:
    """Copy the current release of `tree` to each target in two passes (see the module's docstring)."""
    results = []
    with files.locked(Path(tree).absolute()):
        for target in targets:
            if target.startswith("/"):
                Path(target).mkdir(parents=True, exist_ok=True)
            sent = push_new(tree, target)
            sent += push_rest(tree, target)
            log.info("pushed %s files to %s", sent, target)
            results.append(PushResult(target=target, sent=sent))
    return results
