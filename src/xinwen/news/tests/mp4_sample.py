"""A tiny MP4 that browsers really play, for the tests: 32 x 32 pixels, each frame another grey.

Written by xinwen.site.mp4_writer (H.264 Baseline of I_PCM macroblocks, no ffmpeg).
`mp4_bytes()` gives the file; its keywords make the broken variants the upload checks must
refuse (another codec, a QuickTime brand, no moov, a box longer than the file).
"""

from __future__ import annotations

from xinwen.site.mp4_writer import box, full_box, mp4_from_pictures

__all__ = ["mp4_bytes", "box", "full_box"]

SIZE = (32, 32)


def mp4_bytes(*, frames: int = 30, **variant) -> bytes:
    """A playable MP4 (frames / 10 seconds long) or, through the keywords, a variant the checks refuse."""
    pictures = []
    for index in range(frames):
        shade = 40 + (index * 9) % 180  # each frame a different grey, so frames differ
        pictures.append((bytes([shade]) * (SIZE[0] * SIZE[1]), bytes([128]) * (SIZE[0] * SIZE[1] // 4), bytes([128]) * (SIZE[0] * SIZE[1] // 4)))
    return mp4_from_pictures(pictures, size=SIZE, fps=10, **variant)
