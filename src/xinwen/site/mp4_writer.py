"""MP4 files written box by box, no ffmpeg: H.264 Baseline whose every frame is an IDR picture of I_PCM macroblocks.

I_PCM macroblocks carry raw samples (no prediction or transform), so the bitstream is a few
exp-Golomb numbers around the pixels: large for their length, but what every browser plays.
The demo's 视频新闻 is drawn with Pillow and written here (`mp4_from_images`); the tests write
their tiny samples, and the broken variants the upload checks must refuse, with `mp4_from_pictures`.
"""

from __future__ import annotations

import re
import struct

__all__ = ["mp4_from_pictures", "mp4_from_images", "box", "full_box"]


class _Bits:
    """A bit writer; whole bytes of samples go straight in once the writer is byte-aligned."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.pending, self.count = 0, 0  # bits not yet a whole byte

    def u(self, n: int, value: int) -> None:
        for shift in range(n - 1, -1, -1):
            self.pending = (self.pending << 1) | ((value >> shift) & 1)
            self.count += 1
            if self.count == 8:
                self.out.append(self.pending)
                self.pending, self.count = 0, 0

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self) -> None:
        while self.count:
            self.u(1, 0)

    def trailing(self) -> None:
        self.u(1, 1)
        self.align_zero()

    def raw(self, data: bytes) -> None:
        assert self.count == 0
        self.out += data

    def bytes(self) -> bytes:
        assert self.count == 0
        return bytes(self.out)


_EMULATED = re.compile(rb"\x00\x00(?=[\x00-\x03])")


def _nal(kind: int, rbsp: bytes) -> bytes:
    """A NAL unit (nal_ref_idc 3) with emulation prevention bytes inserted (00 00 0x becomes 00 00 03 0x)."""
    return bytes([0x60 | kind]) + _EMULATED.sub(b"\x00\x00\x03", rbsp)


def _sps(width: int, height: int) -> bytes:
    b = _Bits()
    b.u(8, 66)  # profile_idc: Baseline
    b.u(8, 0xC0)  # constraint_set0 and set1
    b.u(8, 30)  # level 3.0: up to 720x576
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4
    b.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    b.ue(1)  # max_num_ref_frames
    b.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    b.ue(width // 16 - 1)
    b.ue(height // 16 - 1)
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


def _idr(index: int, planes: tuple[bytes, bytes, bytes], size: tuple[int, int]) -> bytes:
    """One IDR slice: every macroblock I_PCM, its 16x16 luma then 8x8 Cb and 8x8 Cr samples in raster order."""
    width, height = size
    luma, cb, cr = planes
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
    half = width // 2
    for top in range(0, height, 16):
        for left in range(0, width, 16):
            b.ue(25)  # mb_type I_PCM
            b.align_zero()
            b.raw(b"".join(luma[(top + row) * width + left : (top + row) * width + left + 16] for row in range(16)))
            for plane in (cb, cr):
                start = (top // 2) * half + left // 2
                b.raw(b"".join(plane[start + row * half : start + row * half + 8] for row in range(8)))
    b.trailing()
    return _nal(5, b.bytes())


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
    *, sps: bytes, pps: bytes, sizes: list[int], offset: int, size: tuple[int, int], fps: int, codec: bytes, handler: bytes,
    sound: bytes | None,
) -> bytes:
    count = len(sizes)
    width, height = size
    duration_ms = count * 1000 // fps
    avcc = box(
        b"avcC",
        bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]),
        struct.pack(">H", len(sps)), sps, b"\x01", struct.pack(">H", len(pps)), pps,
    )  # fmt: skip
    entry = box(
        codec,
        b"\x00" * 6, struct.pack(">H", 1),  # reserved, data_reference_index
        b"\x00" * 16,  # pre_defined and reserved
        struct.pack(">HHII", width, height, 0x480000, 0x480000),
        b"\x00" * 4, struct.pack(">H", 1), b"\x00" * 32,  # reserved, frame_count, compressorname
        struct.pack(">Hh", 0x18, -1),
        avcc,
    )  # fmt: skip
    stbl = box(
        b"stbl",
        full_box(b"stsd", 0, 0, struct.pack(">I", 1), entry),
        full_box(b"stts", 0, 0, struct.pack(">III", 1, count, 1000 // fps)),
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
        struct.pack(">hhhH", 0, 0, 0, 0), MATRIX, struct.pack(">II", width << 16, height << 16),
    )  # fmt: skip
    mvhd = full_box(
        b"mvhd", 0, 0,
        struct.pack(">IIIIIH", 0, 0, 1000, duration_ms, 0x10000, 0x100), b"\x00" * 10, MATRIX,
        b"\x00" * 24, struct.pack(">I", 2),
    )  # fmt: skip
    return box(b"moov", mvhd, box(b"trak", tkhd, mdia), _sound_trak(sound) if sound else b"")


def mp4_from_pictures(
    pictures: list[tuple[bytes, bytes, bytes]],
    *,
    size: tuple[int, int],
    fps: int = 10,
    brand: bytes = b"isom",
    codec: bytes = b"avc1",
    handler: bytes = b"vide",
    compatible: tuple[bytes, ...] = (b"iso2", b"mp41"),
    with_moov: bool = True,
    moov_last: bool = False,
    sound: bytes | None = None,
) -> bytes:
    """An MP4 of these pictures (Y, Cb, Cr planes of `size`, 4:2:0) at `fps`; the keywords make variants a check must refuse."""
    width, height = size
    if width % 16 or height % 16:
        raise ValueError("width and height must be multiples of 16")
    sps, pps = _sps(width, height), _pps()
    samples = [struct.pack(">I", len(s)) + s for s in (_idr(i, p, size) for i, p in enumerate(pictures))]
    sizes = [len(s) for s in samples]
    ftyp = box(b"ftyp", brand, struct.pack(">I", 0x200), brand, *compatible)
    mdat = box(b"mdat", *samples)
    if not with_moov:
        return ftyp + mdat
    kinds = {"size": size, "fps": fps, "codec": codec, "handler": handler, "sound": sound}
    if moov_last:
        return ftyp + mdat + _moov(sps=sps, pps=pps, sizes=sizes, offset=len(ftyp) + 8, **kinds)
    length = len(_moov(sps=sps, pps=pps, sizes=sizes, offset=0, **kinds))
    return ftyp + _moov(sps=sps, pps=pps, sizes=sizes, offset=len(ftyp) + length + 8, **kinds) + mdat


def mp4_from_images(images, *, fps: int = 10) -> bytes:
    """An MP4 of Pillow images (all of one size, multiples of 16), converted to the 4:2:0 planes H.264 stores."""
    pictures = []
    for image in images:
        y, cb, cr = image.convert("YCbCr").split()  # full range (JPEG's); H.264 without VUI means video range
        half = (image.width // 2, image.height // 2)
        luma = y.point(lambda v: 16 + v * 219 // 255)
        cb, cr = (c.resize(half).point(lambda v: 16 + v * 224 // 255) for c in (cb, cr))
        pictures.append((luma.tobytes(), cb.tobytes(), cr.tobytes()))
    return mp4_from_pictures(pictures, size=images[0].size, fps=fps)
