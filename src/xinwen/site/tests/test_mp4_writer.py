"""xinwen.site.mp4_writer: the pixels drawn are the samples stored, in the layout H.264's I_PCM macroblocks need.

Chromium decodes the demo's video in e2e/test_media.py; these read the bitstream back instead.
"""

from __future__ import annotations

import struct

import pytest
from PIL import Image

from xinwen.site.mp4_writer import mp4_from_images, mp4_from_pictures


def _samples(data: bytes) -> list[bytes]:
    """The frames' NAL units from the mdat box (each sample: a 4-byte length, then the NAL unit)."""
    at = data.index(b"mdat") - 4
    size = struct.unpack(">I", data[at : at + 4])[0]
    body, found = data[at + 8 : at + size], []
    while body:
        length = struct.unpack(">I", body[:4])[0]
        found.append(body[4 : 4 + length])
        body = body[4 + length :]
    return found


def test_each_macroblock_holds_its_16_by_16_luma_then_its_chroma():
    width, height = 32, 16
    luma = bytes((x * 7 + y * 3) % 200 + 20 for y in range(height) for x in range(width))
    cb, cr = bytes([90]) * (width * height // 4), bytes([170]) * (width * height // 4)
    data = mp4_from_pictures([(luma, cb, cr)], size=(width, height))
    (nal,) = _samples(data)
    unescaped = nal.replace(b"\x00\x00\x03", b"\x00\x00")
    second = b"".join(luma[row * width + 16 : row * width + 32] for row in range(16))
    assert second + bytes([90]) * 64 + bytes([170]) * 64 in unescaped  # macroblock 2: the right half


def test_images_are_stored_in_video_range_and_sizes_must_be_whole_macroblocks():
    white = Image.new("RGB", (16, 16), (255, 255, 255))
    (nal,) = _samples(mp4_from_images([white]))
    assert bytes([235]) * 256 + bytes([128]) * 128 in nal  # full white is 235 in video range; no colour: 128
    with pytest.raises(ValueError, match="multiples of 16"):
        mp4_from_images([Image.new("RGB", (20, 16))])


def test_emulation_prevention_keeps_start_codes_out_of_the_samples():
    black = (bytes([0]) * 256, bytes([0]) * 64, bytes([0]) * 64)  # zeros everywhere: start codes unless escaped
    (nal,) = _samples(mp4_from_pictures([black], size=(16, 16)))
    assert b"\x00\x00\x00" not in nal and b"\x00\x00\x01" not in nal and b"\x00\x00\x02" not in nal
