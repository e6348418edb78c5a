"""What an MP4 file holds, read from its box structure (ISO/IEC 14496-12) without decoding anything.

Uploads are checked by content, not by name: a video is accepted only when its boxes say it is
an ISO MP4 (`ftyp` with an ISO brand) whose video tracks are H.264 (`avc1`) and whose sound
tracks, if any, are AAC (`mp4a`) — what every browser plays. No ffmpeg: the boxes are walked
here, reading only headers and the small `moov` box, never the media data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

__all__ = ["Mp4Info", "Mp4Error", "mp4_probe", "ISO_BRANDS"]

# Brands of the ISO base media file format family that browsers play (not QuickTime's "qt  ").
ISO_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"msnv"}
)
CONTAINERS = (b"moov", b"trak", b"mdia", b"minf", b"stbl")
MAX_MOOV = 32 * 1024 * 1024  # an hour of video has a moov of a few MB
MAX_BOXES = 10_000  # top-level boxes; a real file has a handful


class Mp4Error(ValueError):
    """The bytes are not an MP4 file of the kind we accept; the message says why (in Chinese)."""


@dataclass
class Mp4Info:
    """What the walk found: the brands, and per track its handler (vide, soun, ...) and sample entry."""

    major_brand: bytes = b""
    brands: set[bytes] = field(default_factory=set)
    tracks: list[tuple[bytes, bytes]] = field(default_factory=list)  # (handler, sample entry format)
    has_media_data: bool = False


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, payload start, payload end) of the boxes in data[start:end]; raises Mp4Error on a bad size."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise Mp4Error("视频文件已损坏（盒子长度不完整）。")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise Mp4Error("视频文件已损坏（盒子长度超出文件）。")
        yield kind, pos + header, pos + size
        pos += size


def _top_level(handle: BinaryIO, length: int):
    """(type, offset, size, header) of each top-level box, read from the file without loading it."""
    pos, count = 0, 0
    while pos + 8 <= length:
        count += 1
        if count > MAX_BOXES:
            raise Mp4Error("视频文件结构异常（盒子过多）。")
        handle.seek(pos)
        head = handle.read(16)
        if len(head) < 8:
            break
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1:
            if len(head) < 16:
                raise Mp4Error("视频文件已损坏（盒子长度不完整）。")
            size, header = struct.unpack(">Q", head[8:16])[0], 16
        elif size == 0:
            size = length - pos
        if size < header or pos + size > length:
            raise Mp4Error("视频文件已损坏（盒子长度超出文件）。")
        yield kind, pos, size, header
        pos += size


def _track(data: bytes, start: int, end: int) -> tuple[bytes, bytes]:
    """(handler type, first sample entry format) of one `trak` box's payload."""
    handler, entry = b"", b""

    def walk(s: int, e: int) -> None:
        nonlocal handler, entry
        for kind, ps, pe in _boxes(data, s, e):
            if kind in CONTAINERS:
                walk(ps, pe)
            elif kind == b"hdlr" and pe - ps >= 12:
                handler = data[ps + 8 : ps + 12]  # version/flags, pre_defined, then the handler type
            elif kind == b"stsd" and pe - ps >= 16:
                count = struct.unpack(">I", data[ps + 4 : ps + 8])[0]
                if count < 1:
                    raise Mp4Error("视频文件缺少编码说明（stsd 为空）。")
                entry = data[ps + 12 : ps + 16]  # the first entry's size, then its format

    walk(start, end)
    return handler, entry


def mp4_probe(handle: BinaryIO, length: int) -> Mp4Info:
    """Walk the boxes of the MP4 file in `handle` (`length` bytes) and return what it holds, or raise Mp4Error."""
    info = Mp4Info()
    moov = None
    handle.seek(0)
    if handle.read(8)[4:8] != b"ftyp":
        raise Mp4Error("不是 MP4 视频文件（文件开头没有 ftyp 标识）。")
    for index, (kind, offset, size, header) in enumerate(_top_level(handle, length)):
        if index == 0:
            if kind != b"ftyp" or size < header + 8:
                raise Mp4Error("不是 MP4 视频文件（文件开头没有 ftyp 标识）。")
            handle.seek(offset + header)
            payload = handle.read(min(size - header, 4096))
            info.major_brand = payload[:4]
            info.brands = {payload[:4]} | {payload[i : i + 4] for i in range(8, len(payload) - 3, 4)}
        elif kind == b"moov":
            if size > MAX_MOOV:
                raise Mp4Error("视频文件结构异常（moov 过大）。")
            handle.seek(offset)
            moov = handle.read(size)
        elif kind == b"mdat" and size > header:
            info.has_media_data = True
    if not info.brands:
        raise Mp4Error("不是 MP4 视频文件（文件开头没有 ftyp 标识）。")
    if not info.brands & ISO_BRANDS:
        raise Mp4Error("不是标准 MP4 视频（可能是 MOV 等格式），请导出为 MP4（H.264/AAC）后再上传。")
    if moov is None:
        raise Mp4Error("视频文件不完整（缺少 moov 索引）。")
    for kind, ps, pe in _boxes(moov, 8 if struct.unpack(">I", moov[:4])[0] != 1 else 16):
        if kind == b"trak":
            info.tracks.append(_track(moov, ps, pe))
    return info
