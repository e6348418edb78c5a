"""Generated sizes of a picture (news/images.py): widths, orientation, no metadata, WebP, watermark."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xinwen.news.images import CJK_FONTS, WIDTHS, Watermark, generate_sizes, size_name, size_widths, text_font


def photo(width: int = 4000, height: int = 3000, *, fmt: str = "JPEG", orientation: int | None = None, mode="RGB") -> bytes:
    """A camera-like picture: a gradient (so it compresses like a photo, not like a flat colour), with EXIF."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0110] = "XW-Phone 12"  # camera model
    if orientation:
        exif[0x0112] = orientation
    image.save(out, fmt, **({"exif": exif.tobytes()} if fmt == "JPEG" else {}))
    return out.getvalue()


@pytest.mark.parametrize(
    ("width", "expected"),
    [(4000, [320, 640, 960, 1280]), (1280, [320, 640, 960, 1280]), (1000, [320, 640, 960, 1000]), (500, [320, 500]), (200, [200])],
)
def test_widths_step_up_to_the_picture_or_the_largest_web_width(width, expected):
    assert size_widths(width) == expected


def test_copies_are_named_beside_the_original():
    assert size_name("images/2026/01/abc.jpg", 640, ".webp") == "images/2026/01/abc.w640.webp"


def test_a_phone_photo_gets_small_copies_in_jpeg_and_webp_without_its_metadata():
    data = photo()
    width, height, sizes = generate_sizes(data)

    assert (width, height) == (4000, 3000)
    assert sorted({(s.width, s.ext) for s in sizes}) == sorted((w, e) for w in WIDTHS for e in (".jpg", ".webp"))
    for size in sizes:
        with Image.open(io.BytesIO(size.data)) as copy:
            assert copy.size == (size.width, size.height)
            assert size.height == round(3000 * size.width / 4000)
            assert not copy.getexif(), "the camera's metadata must not reach readers"
            assert copy.format == ("WEBP" if size.ext == ".webp" else "JPEG")
    phone = next(s for s in sizes if s.width == 640 and s.ext == ".webp")
    assert len(phone.data) < len(data) / 20


def test_the_orientation_flag_is_applied_before_it_is_dropped():
    # Orientation 6: the camera was held upright; the stored pixels lie on their side.
    width, height, sizes = generate_sizes(photo(1600, 1200, orientation=6))
    assert (width, height) == (1200, 1600)
    largest = max(sizes, key=lambda s: s.width)
    assert (largest.width, largest.height) == (1200, 1600)


def test_a_transparent_png_stays_a_png_with_its_transparency():
    data = photo(800, 400, fmt="PNG", mode="RGBA")
    _, _, sizes = generate_sizes(data)
    assert {s.ext for s in sizes} == {".png", ".webp"}
    with Image.open(io.BytesIO(next(s for s in sizes if s.ext == ".png").data)) as copy:
        assert copy.mode == "RGBA"


def test_an_animation_keeps_its_frames_and_gets_no_copies():
    frames = [Image.new("RGB", (400, 300), colour) for colour in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert generate_sizes(out.getvalue()) == (400, 300, [])


def _corner_difference(a: bytes, b: bytes, box) -> int:
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        one, two = first.convert("L").crop(box), second.convert("L").crop(box)
        return sum(abs(x - y) for x, y in zip(one.tobytes(), two.tobytes()))


@pytest.mark.parametrize(
    ("position", "marked", "clean"),
    [("bottom-right", (480, 280, 640, 480), (0, 0, 160, 200)), ("top-left", (0, 0, 160, 200), (480, 280, 640, 480))],
)
def test_the_watermark_goes_where_the_site_asked(position, marked, clean):
    data = photo(640, 480)
    _, _, plain = generate_sizes(data)
    _, _, stamped = generate_sizes(data, watermark=Watermark(text="XW NEWS", position=position, opacity=90))
    before = next(s.data for s in plain if s.ext == ".jpg" and s.width == 640)
    after = next(s.data for s in stamped if s.ext == ".jpg" and s.width == 640)
    assert _corner_difference(before, after, marked) > 20 * _corner_difference(before, after, clean) + 1000


def test_a_logo_watermark_is_laid_over_the_copies():
    logo = io.BytesIO()
    Image.new("RGBA", (200, 80), (255, 0, 0, 255)).save(logo, "PNG")
    _, _, stamped = generate_sizes(photo(640, 480), watermark=Watermark(logo=logo.getvalue(), opacity=100))
    with Image.open(io.BytesIO(next(s.data for s in stamped if s.ext == ".jpg" and s.width == 640))) as copy:
        red, green, _ = copy.convert("RGB").getpixel((600, 450))
    assert red > 200 and green < 60


def test_an_empty_watermark_is_no_watermark():
    assert not Watermark(text="  ")
    assert Watermark(text="水印")


def test_chinese_text_needs_a_chinese_font_and_latin_text_does_not(tmp_path):
    assert text_font("XW NEWS") is not None
    installed = [path for path in CJK_FONTS if __import__("os").path.isfile(path)]
    assert text_font("示例新闻中心") == (installed[0] if installed else None)
    font = tmp_path / "site.ttf"
    font.write_bytes(b"")  # the operator's WATERMARK_FONT comes first
    assert text_font("示例新闻中心", preferred=str(font)) == str(font)
