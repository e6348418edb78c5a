"""【分享】: the article's address as a QR code for WeChat, drawn here (segno), never by an outside service.

The code is its own small SVG file (/article/<id>/share-qr.svg in each script), loaded by
the share panel only when a reader opens it: drawing it costs about 2 ms, which was 40% of
a cache-miss article render when it was inline in every page, for a panel few readers
open. It is the address the page names as canonical, so it changes only with that
address; the page cache keeps it and the static build writes it beside the page.

Choosing the data mask is most of segno's time (it scores all eight masks cell by cell in
Python). `_qr` scores them the same way, ISO/IEC 18004 7.8.3 as segno implements it, on
whole rows and columns at once, and segno draws the code with that mask: the SVG is byte
for byte segno's own (tests/test_share.py compares the two over thousands of addresses).
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import segno
from segno import encoder

__all__ = ["share_qr_svg"]

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # N1: five or more modules of one colour in a line
_N3 = b"\x01\x00\x01\x01\x01\x00\x01"  # N3: dark light dark dark dark light dark
_BITS = bytes.maketrans(b"\x00\x01", b"01")


@lru_cache(maxsize=8)
def _layout(width: int) -> tuple[tuple[bytes, ...], tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """For a `width` symbol: its function patterns before format information (rows of 0/1 bytes, data
    cells 0), each mask's pattern over the data cells, and which cells carry data (rows as ints of bytes)."""
    function = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function, width, width)
    encoder.add_alignment_patterns(function, width, width)
    data = [[function[i][j] > 0x1 for j in range(width)] for i in range(width)]
    data[-8][8] = False  # the dark module
    template = tuple(bytes(0 if data[i][j] else function[i][j] for j in range(width)) for i in range(width))
    masks = tuple(
        tuple(int.from_bytes(bytes(int(data[i][j] and pattern(i, j)) for j in range(width)), "big") for i in range(width))
        for pattern in encoder.get_data_mask_functions(False)
    )
    cells = tuple(int.from_bytes(bytes(map(int, row)), "big") for row in data)
    return template, masks, cells


def _n3(line: bytes, size: int) -> int:
    # segno's n3_pattern_occurrences, verbatim in its logic (including where it resumes a search).
    count = 0
    idx = line.find(_N3)
    while idx != -1:
        offset = idx + 7
        if idx in (0, size - 7) or not any(line[max(idx - 4, 0) : min(idx, size)]) or not any(line[max(offset, 0) : min(offset + 4, size)]):
            count += 40
        else:
            offset = idx + 4
        idx = line.find(_N3, offset)
    return count


def _score(rows: list[bytes], size: int) -> int:
    """segno's evaluate_mask (N1 + N2 + N3 + N4) of a masked matrix given as rows of 0/1 bytes."""
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    lines = b"\x02".join(rows) + b"\x02" + b"\x02".join(columns)
    n1 = sum(len(run) - 2 for run in _RUN.findall(lines))
    n3 = sum(_n3(line, size) for line in (*rows, *columns) if _N3 in line) if _N3 in lines else 0
    # N2: 2×2 blocks of one colour, 3 points each (overlapping blocks all count).
    n2 = 0
    edge = (1 << (size - 1)) - 1
    previous = None
    for row in rows:
        bits = int(row.translate(_BITS), 2)
        same_h = ~(bits ^ (bits >> 1)) & edge
        if previous is not None:
            last, last_h = previous
            n2 += 3 * (same_h & last_h & ~(bits ^ last) & ~((bits ^ last) >> 1) & edge).bit_count()
        previous = bits, same_h
    dark = lines.count(1) // 2  # every module is in one row and one column
    n4 = 10 * int(abs(float(dark) / (size**2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def _qr(url: str) -> segno.QRCode:
    """segno.make(url, error="m", micro=False), with the mask chosen by _best_mask."""
    qr = segno.make(url, error="m", micro=False, mask=0)
    size = len(qr.matrix)
    template, masks, cells = _layout(size)
    # The data as segno scores it: no mask, format information blank (it is added after the choice).
    byte_ones = int.from_bytes(b"\x01" * size, "big")
    unmasked = [
        (int.from_bytes(row, "big") & cells[i]) ^ masks[0][i] | int.from_bytes(template[i], "big") & ~cells[i] & byte_ones
        for i, row in enumerate(qr.matrix)
    ]
    best, best_score = 0, None
    for number, pattern in enumerate(masks):
        rows = [(row ^ bits).to_bytes(size, "big") for row, bits in zip(unmasked, pattern, strict=True)]
        score = _score(rows, size)
        if best_score is None or score < best_score:
            best, best_score = number, score
    if best:
        matrix = tuple(bytearray((row ^ bits).to_bytes(size, "big")) for row, bits in zip(unmasked, masks[best], strict=True))
        encoder.add_format_info(matrix, qr._version, qr._error, best)
        encoder.add_version_info(matrix, qr._version)
        qr.matrix, qr.mask = matrix, best
    return qr


def share_qr_svg(url: str) -> bytes:
    """A standalone SVG QR code of `url` (error correction M, 4-unit modules, a 4-module quiet zone, scalable)."""
    out = io.BytesIO()
    _qr(url).save(
        out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False, svgns=True,
        svgclass="share-qr-code", lineclass=None, omitsize=True, nl=False,
    )  # fmt: skip
    return out.getvalue()
