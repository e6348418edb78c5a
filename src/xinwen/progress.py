"""Progress of long commands on stderr: a tqdm bar on a terminal, a line at every tenth otherwise."""

from __future__ import annotations

import time

from tqdm import tqdm

__all__ = ["Progress"]


class Progress:
    """Callable as (done, total). Without a terminal (logs, CI) a redrawn bar is noise: one line per tenth."""

    def __init__(self, stream, *, label: str, unit: str = "篇"):
        self.stream = stream
        # tqdm redraws with "\r": it writes to the raw stream, which Django's OutputWrapper would end with newlines.
        self.raw = getattr(stream, "_out", stream)
        self.label = label
        self.unit = unit
        self.bar = None
        self.started = time.monotonic()
        self.reported = -1

    def __call__(self, done: int, total: int) -> None:
        if self.raw.isatty():
            if self.bar is None:
                self.bar = tqdm(total=total, desc=self.label, unit=self.unit, file=self.raw, dynamic_ncols=True)
            self.bar.update(done - self.bar.n)
            if done >= total:
                self.bar.close()
            return
        fraction = done / total if total else 1.0
        if int(fraction * 10) > self.reported or done >= total:
            self.reported = int(fraction * 10)
            self.stream.write(f"{self.label} {done}/{total} ({fraction:.0%}) {time.monotonic() - self.started:.1f} 秒")
