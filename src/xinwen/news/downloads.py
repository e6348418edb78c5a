"""Download names for attachments: the editor's title with the file's real extension, in a header every browser reads.

Pure functions: `download_filename` builds the name, `content_disposition` the header
(RFC 6266 with an RFC 5987 `filename*` for the Chinese name, and a plain ASCII
`filename` for the few clients that read only that).
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

__all__ = ["download_filename", "content_disposition", "byte_range", "INLINE_EXTENSIONS"]

# Browsers show these themselves; everything else is saved.
INLINE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp"}

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # path separators, Windows' reserved characters, controls
MAX_NAME = 150  # characters; file systems allow 255 bytes, and a Chinese character takes 3


def download_filename(title: str, stored_name: str) -> str:
    """`title` made safe as a file name, ending in the stored file's extension (added once, never doubled)."""
    ext = os.path.splitext(stored_name)[1].lower()
    name = unicodedata.normalize("NFC", title or "")
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .")  # no leading dot (hidden file), no trailing dot (Windows)
    if ext and name.lower().endswith(ext):
        name = name[: -len(ext)].rstrip(" .")
    base = name[:MAX_NAME] or os.path.splitext(os.path.basename(stored_name))[0] or "attachment"
    return f"{base}{ext}"


def _ascii(text: str) -> str:
    return text.encode("ascii", "ignore").decode().replace("\\", "").replace('"', "")


def content_disposition(filename: str, *, inline: bool) -> str:
    """`inline` or `attachment`, with `filename` for old clients and UTF-8 `filename*` (RFC 5987) for the real name."""
    kind = "inline" if inline else "attachment"
    stem, ext = (_ascii(part) for part in os.path.splitext(filename))
    if not stem.strip(" ._-"):
        stem = "attachment"
    ascii_name = f"{stem.strip()}{ext}"
    if ascii_name == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single-range `Range` header (RFC 9110) for a file of `size` bytes.

    None when there is no usable range (absent, several ranges, another unit: the whole file is
    sent); raises ValueError when the range lies outside the file (answered with 416).
    Video players ask for ranges to read the index at the end of a file and to seek.
    """
    match = _RANGE.fullmatch((header or "").strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise ValueError("range outside the file")
    return start, end
