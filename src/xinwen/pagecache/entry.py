"""One stored page: its bytes, compressed as readers asked for them, the headers that matter, its tags and its expiry.

An entry is built once, when Django has rendered the page, and serialised to one
blob: a small JSON header followed by the identity body and the compressed bodies it
has (gzip, brotli). A miss compresses only the encoding its reader asked for: most
pages of a long archive are fetched once, by a crawler, and compressing the page in
both encodings cost more than a third of what rendering it did. The first hit that
asks for an encoding the entry lacks compresses it once and stores the entry again
(pagecache.wsgi); every later hit only slices the blob.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

import brotli
from django.utils.http import parse_http_date_safe

__all__ = ["Entry", "ENCODINGS", "compress", "entry_build", "entry_dumps", "entry_grown", "entry_header", "entry_loads", "EntryError"]

MAGIC = b"XPC2"  # XPC1 held all three bodies and no epoch: read as a miss
_LENGTH = struct.Struct(">I")
# The order of the bodies in a blob; "identity" is the page as Django rendered it.
ENCODINGS = ("identity", "gzip", "br")
# Headers a hit recomputes or that describe one connection, never copied from the stored response.
NOT_STORED = {
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "cache-control",
    "vary",  # rebuilt: the stored page's own Vary plus Accept-Encoding
    "date",
    "expires",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "set-cookie",
}


class EntryError(ValueError):
    """A stored blob is damaged or from another format version: treat it as a miss."""


class _Bodies(Mapping):
    """The bodies of a loaded blob, sliced only when asked for: a hit needs one of them."""

    def __init__(self, blob: bytes, spans: dict[str, tuple[int, int]]):
        self._blob, self._spans = blob, spans

    def __getitem__(self, name: str) -> bytes:
        start, end = self._spans[name]
        return self._blob[start:end]

    def __iter__(self):
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


@dataclass
class Entry:
    key: str
    status: str
    headers: list[tuple[str, str]]
    etag: str  # the body's hash, without quotes or encoding suffix
    last_modified: float  # Unix time, whole seconds
    expires: float  # Unix time after which the entry is a miss
    tags: list[str]
    bodies: Mapping[str, bytes] = field(default_factory=dict)
    # The store's epoch when the page was rendered: an entry may be stored again (with an
    # encoding added) only while no purge has happened since (pagecache.wsgi).
    epoch: str = ""
    # What the WSGI layer derives once per encoding (headers, body) while the entry stays in memory.
    prepared: dict = field(default_factory=dict, repr=False, compare=False)


def entry_build(
    *,
    key: str,
    status: str,
    headers: list[tuple[str, str]],
    body: bytes,
    tags,
    expires: float,
    now: float,
    encodings=("gzip", "br"),
    epoch: str = "",
) -> Entry:
    """Make an entry from a rendered response: hash the body, compress it in `encodings`, keep the headers that matter."""
    kept = [(name, value) for name, value in headers if name.lower() not in NOT_STORED]
    vary = ["Accept-Encoding"]
    for name, value in headers:
        if name.lower() == "vary":
            vary += [token.strip() for token in value.split(",") if token.strip().lower() not in {"", "accept-encoding"}]
    kept.append(("Vary", ", ".join(vary)))
    last_modified = now
    for name, value in headers:
        if name.lower() == "last-modified":  # a view that knows when its content changed (sitemaps) wins
            last_modified = parse_http_date_safe(value) or now
    bodies = {"identity": body}
    for coding in ENCODINGS[1:]:
        if coding in encodings:
            bodies[coding] = compress(body, coding)
    return Entry(
        key=key,
        status=status,
        headers=kept,
        etag=hashlib.blake2b(body, digest_size=10).hexdigest(),
        last_modified=float(int(last_modified)),
        expires=expires,
        tags=sorted(set(tags)),
        bodies=bodies,
        epoch=epoch,
    )


def compress(body: bytes, coding: str) -> bytes:
    """`body` in `coding` (gzip or br) as the store keeps it.

    For a 20 KB page gzip 6 takes ~0.2 ms and brotli 5 ~0.3 ms, while brotli 9 and up
    take ~7 ms, more than rendering the page, for 5-10% fewer bytes.
    """
    if coding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    if coding == "br":
        return brotli.compress(body, quality=5, mode=brotli.MODE_TEXT)
    raise ValueError(f"unknown encoding {coding!r}")


def entry_grown(entry: Entry, coding: str) -> bytes:
    """The body of `entry` in `coding`, compressed now if the entry lacks it and added to it in memory."""
    body = entry.bodies.get(coding)
    if body is None:
        body = compress(entry.bodies["identity"], coding)
        entry.bodies = {**entry.bodies, coding: body}  # a new mapping: a thread reading the old one keeps it whole
    return body


def entry_dumps(entry: Entry) -> bytes:
    header = {
        "k": entry.key,
        "s": entry.status,
        "h": entry.headers,
        "e": entry.etag,
        "lm": entry.last_modified,
        "x": entry.expires,
        "t": entry.tags,
        "ep": entry.epoch,
        "n": {name: len(entry.bodies[name]) for name in ENCODINGS if name in entry.bodies},
    }
    raw = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join([MAGIC, _LENGTH.pack(len(raw)), raw, *(entry.bodies[name] for name in header["n"])])


def entry_loads(blob: bytes) -> Entry:
    if blob[:4] != MAGIC:
        raise EntryError("not a page-cache entry")
    try:
        (length,) = _LENGTH.unpack_from(blob, 4)
        header = json.loads(blob[8 : 8 + length])
        spans, offset = {}, 8 + length
        for name, size in header["n"].items():
            if name not in ENCODINGS or not isinstance(size, int) or size < 0:
                raise ValueError(f"unknown body {name!r}")
            spans[name] = (offset, offset + size)
            offset += size
        if "identity" not in spans:
            raise ValueError("no identity body")
    except (struct.error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EntryError(f"damaged page-cache entry: {exc}") from exc
    if offset != len(blob):
        raise EntryError("page-cache entry has the wrong length (a torn write?)")
    return Entry(
        key=header["k"],
        status=header["s"],
        headers=[tuple(pair) for pair in header["h"]],
        etag=header["e"],
        last_modified=header["lm"],
        expires=header["x"],
        tags=header["t"],
        bodies=_Bodies(blob, spans),
        epoch=header.get("ep", ""),
    )


def entry_header(handle) -> dict:
    """The JSON header of a stored blob (key, tags, expiry) read from an open file, without its bodies."""
    head = handle.read(8)
    if head[:4] != MAGIC or len(head) < 8:
        raise EntryError("not a page-cache entry")
    (length,) = _LENGTH.unpack_from(head, 4)
    try:
        return json.loads(handle.read(length))
    except ValueError as exc:
        raise EntryError(f"damaged page-cache entry: {exc}") from exc
