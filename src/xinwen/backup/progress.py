"""Progress of a backup or restore on stderr: a tqdm bar on a terminal, a line per tenth in a log."""

from __future__ import annotations

import time

from tqdm import tqdm

__all__ = ["Progress", "run_with_progress"]


class Progress:
    """Callable as (stage, done, total) in bytes; one bar per stage (the style of `xinwen reindex`)."""

    def __init__(self, stream):
        self.stream = stream
        # tqdm redraws with "\r": it writes to the raw stream, which OutputWrapper would end with newlines.
        self.raw = getattr(stream, "_out", stream)
        self.stage = None
        self.bar = None
        self.reported = -1
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.reported, self.started = stage, -1, time.monotonic()
        if self.raw.isatty():
            if self.bar is None:
                self.bar = tqdm(total=total, desc=stage, unit="B", unit_scale=True, file=self.raw, dynamic_ncols=True)
            self.bar.total = total
            self.bar.update(done - self.bar.n)
            return
        fraction = done / total if total else 1.0
        if int(fraction * 10) > self.reported:
            self.reported = int(fraction * 10)
            self.stream.write(f"{stage} {done / 1e6:.1f}/{total / 1e6:.1f} MB ({fraction:.0%}) {time.monotonic() - self.started:.1f} 秒")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def run_with_progress(stderr, service, **kwargs):
    """Run a backup or restore service with a progress bar on `stderr`; its errors become the command's message."""
    from django.core.management.base import CommandError

    from xinwen.backup.errors import BackupError

    progress = Progress(stderr)
    try:
        return service(progress=progress, **kwargs)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:  # disk full, no permission: nothing was published under the final name
        raise CommandError(f"读写文件失败：{exc}") from exc
    finally:
        progress.close()
