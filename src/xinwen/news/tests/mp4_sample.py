"""A tiny MP4 that browsers really play, written box by box for the tests (no ffmpeg).

The video is H.264 Baseline, 32 x 32 pixels, every frame an IDR picture of I_PCM macroblocks
(raw samples, no prediction or transform), so the bitstream is a few exp-Golomb numbers around
the pixels. `mp4_bytes()` gives the file; its arguments make the broken variants the upload
checks must refuse (another codec, a QuickTime brand, no moov, a box longer than the file).
"""

from __future__ import annotations

import struct

__all__ = ["mp4_bytes", "box", "full_box", "h264_frames"]

WIDTH = HEIGHT = 32
FPS = 10


class _Bits:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, n: int, value: int) -> None:
        self.bits += [(value >> (n - 1 - i)) & 1 for i in range(n)]

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self) -> None:
        while len(self.bits) % 8:
            self.bits.append(0)

    def trailing(self) -> None:
        self.bits.append(1)
        self.align_zero()

    def raw(self, data: bytes) -> None:
        assert len(self.bits) % 8 == 0
        for byte in data:
            self.u(8, byte)

    def bytes(self) -> bytes:
        return bytes(int("".join(map(str, self.bits[i : i + 8])), 2) for i in range(0, len(self.bits), 8))


def _nal(kind: int, rbsp: bytes) -> bytes:
    """A NAL unit (nal_ref_idc 3) with emulation prevention bytes inserted."""
    out, zeros = bytearray([0x60 | kind]), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _sps() -> bytes:
    b = _Bits()
    b.u(8, 66)  # profile_idc: Baseline
    b.u(8, 0xC0)  # constraint_set0 and set1
    b.u(8, 10)  # level 1.0
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4
    b.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    b.ue(1)  # max_num_ref_frames
    b.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    b.ue(WIDTH // 16 - 1)
    b.ue(HEIGHT // 16 - 1)
    b.u(1, 1)  # frame_mbs_only_flag
    b.u(1, 1)  # direct_8x8_inference_flag
    b.u(1, 0)  # frame_cropping_flag
    b.u(1, 0)  # vui_parameters_present_flag
    b.trailing()
    return _nal(7, b.bytes())


def _pps() -> bytes:
    b = _Bits()
    b.ue(0)  # pic_parameter_set_id
    b.ue(0)  # seq_parameter_set_id
    b.u(1, 0)  # entropy_coding_mode_flag: CAVLC
    b.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
    b.ue(0)  # num_slice_groups_minus1
    b.ue(0)
    b.ue(0)  # num_ref_idx_l0/l1_default_active_minus1
    b.u(1, 0)  # weighted_pred_flag
    b.u(2, 0)  # weighted_bipred_idc
    b.se(0)
    b.se(0)
    b.se(0)  # pic_init_qp, pic_init_qs, chroma_qp_index_offset
    b.u(1, 1)  # deblocking_filter_control_present_flag
    b.u(1, 0)  # constrained_intra_pred_flag
    b.u(1, 0)  # redundant_pic_cnt_present_flag
    b.trailing()
    return _nal(8, b.bytes())


def _idr(index: int) -> bytes:
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(7)  # slice_type: I (all slices)
    b.ue(0)  # pic_parameter_set_id
    b.u(4, 0)  # frame_num
    b.ue(index % 2)  # idr_pic_id: differs between neighbouring IDR pictures
    b.u(1, 0)  # no_output_of_prior_pics_flag
    b.u(1, 0)  # long_term_reference_flag
    b.se(0)  # slice_qp_delta
    b.ue(1)  # disable_deblocking_filter_idc
    shade = 40 + (index * 9) % 180  # each frame a different grey, so frames differ
    for _ in range((WIDTH // 16) * (HEIGHT // 16)):
        b.ue(25)  # mb_type I_PCM
        b.align_zero()
        b.raw(bytes([shade]) * 256 + bytes([128]) * 128)
    b.trailing()
    return _nal(5, b.bytes())


def h264_frames(count: int) -> tuple[bytes, bytes, list[bytes]]:
    """(SPS, PPS, [IDR slice NAL units]) of a `count`-frame stream."""
    return _sps(), _pps(), [_idr(i) for i in range(count)]


def box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full_box(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return box(kind, struct.pack(">I", (version << 24) | flags), *parts)


MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _sound_trak(codec: bytes) -> bytes:
    """A sound track's boxes as far as the upload check reads them (handler and sample entry format)."""
    entry = box(codec, b"\x00" * 6, struct.pack(">H", 1), b"\x00" * 20)
    stbl = box(b"stbl", full_box(b"stsd", 0, 0, struct.pack(">I", 1), entry))
    mdia = box(b"mdia", full_box(b"hdlr", 0, 0, b"\x00" * 4, b"soun", b"\x00" * 12, b"Sound\x00"), box(b"minf", stbl))
    return box(b"trak", mdia)


def _moov(
    *, sps: bytes, pps: bytes, sizes: list[int], offset: int, codec: bytes, handler: bytes, sound: bytes | None
) -> bytes:
    count = len(sizes)
    duration_ms = count * 1000 // FPS
    avcc = box(
        b"avcC",
        bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]),
        struct.pack(">H", len(sps)), sps, b"\x01", struct.pack(">H", len(pps)), pps,
    )  # fmt: skip
    entry = box(
        codec,
        b"\x00" * 6, struct.pack(">H", 1),  # reserved, data_reference_index
        b"\x00" * 16,  # pre_defined and reserved
        struct.pack(">HHII", WIDTH, HEIGHT, 0x480000, 0x480000),
        b"\x00" * 4, struct.pack(">H", 1), b"\x00" * 32,  # reserved, frame_count, compressorname
        struct.pack(">Hh", 0x18, -1),
        avcc,
    )  # fmt: skip
    stbl = box(
        b"stbl",
        full_box(b"stsd", 0, 0, struct.pack(">I", 1), entry),
        full_box(b"stts", 0, 0, struct.pack(">III", 1, count, 1000 // FPS)),
        full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, count, 1)),
        full_box(b"stsz", 0, 0, struct.pack(">II", 0, count), *(struct.pack(">I", s) for s in sizes)),
        full_box(b"stco", 0, 0, struct.pack(">II", 1, offset)),
    )
    minf = box(
        b"minf",
        full_box(b"vmhd", 0, 1, b"\x00" * 8),
        box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1), full_box(b"url ", 0, 1))),
        stbl,
    )
    mdia = box(
        b"mdia",
        full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, 1000, duration_ms, 0x55C4, 0)),
        full_box(b"hdlr", 0, 0, b"\x00" * 4, handler, b"\x00" * 12, b"VideoHandler\x00"),
        minf,
    )
    tkhd = full_box(
        b"tkhd", 0, 3,
        struct.pack(">IIIII", 0, 0, 1, 0, duration_ms), b"\x00" * 8,
        struct.pack(">hhhH", 0, 0, 0, 0), MATRIX, struct.pack(">II", WIDTH << 16, HEIGHT << 16),
    )  # fmt: skip
    mvhd = full_box(
        b"mvhd", 0, 0,
        struct.pack(">IIIIIH", 0, 0, 1000, duration_ms, 0x10000, 0x100), b"\x00" * 10, MATRIX,
        b"\x00" * 24, struct.pack(">I", 2),
    )  # fmt: skip
    return box(b"moov", mvhd, box(b"trak", tkhd, mdia), _sound_trak(sound) if sound else b"")


def mp4_bytes(
    *,
    frames: int = 30,
    brand: bytes = b"isom",
    codec: bytes = b"avc1",
    handler: bytes = b"vide",
    compatible: tuple[bytes, ...] = (b"iso2", b"mp41"),
    with_moov: bool = True,
    moov_last: bool = False,
    sound: bytes | None = None,
) -> bytes:
    """A playable MP4 (frames / 10 seconds long) or, through the arguments, a variant the checks refuse."""
    sps, pps, slices = h264_frames(frames)
    samples = [struct.pack(">I", len(s)) + s for s in slices]
    sizes = [len(s) for s in samples]
    ftyp = box(b"ftyp", brand, struct.pack(">I", 0x200), brand, *compatible)
    mdat = box(b"mdat", *samples)
    if not with_moov:
        return ftyp + mdat
    if moov_last:
        moov = _moov(sps=sps, pps=pps, sizes=sizes, offset=len(ftyp) + 8, codec=codec, handler=handler, sound=sound)
        return ftyp + mdat + moov
    size = len(_moov(sps=sps, pps=pps, sizes=sizes, offset=0, codec=codec, handler=handler, sound=sound))
    moov = _moov(sps=sps, pps=pps, sizes=sizes, offset=len(ftyp) + size + 8, codec=codec, handler=handler, sound=sound)
    return ftyp + moov + mdat
