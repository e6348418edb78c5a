"""Upload checks: images are decoded and re-encoded, attachments must be what they claim."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from xinwen.news.uploads import OLE_MAGIC, clean_attachment, clean_image

SMUGGLED = b"<script>alert(document.cookie)</script><?php system($_GET['c']); ?>"


def image_bytes(fmt: str, *, size=(48, 32), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 0).save(out, fmt, **save)
    return out.getvalue()


def png_with_text_chunk() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-metadata GPS 31.2304N 121.4737E")
    return image_bytes("PNG", pnginfo=info)


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = "secret-metadata description"  # ImageDescription
    exif[0x013B] = "secret-metadata artist"  # Artist
    return image_bytes("JPEG", exif=exif.tobytes())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def decoded(cleaned) -> Image.Image:
    cleaned.seek(0)
    image = Image.open(io.BytesIO(cleaned.read()))
    image.load()
    return image


def read_all(cleaned) -> bytes:
    cleaned.seek(0)
    return cleaned.read()


# --- clean_image ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "fmt", "out_name", "content_type"),
    [
        ("photo.png", png_with_text_chunk(), "PNG", "photo.png", "image/png"),
        ("photo.jpg", jpeg_with_exif(), "JPEG", "photo.jpg", "image/jpeg"),
        ("photo.jpeg", image_bytes("JPEG"), "JPEG", "photo.jpg", "image/jpeg"),
        ("anim.gif", image_bytes("GIF", mode="P"), "GIF", "anim.gif", "image/gif"),
        ("pic.webp", image_bytes("WEBP"), "WEBP", "pic.webp", "image/webp"),
        ("alpha.png", image_bytes("PNG", mode="RGBA"), "PNG", "alpha.png", "image/png"),
        ("cmyk.jpg", image_bytes("JPEG", mode="CMYK"), "JPEG", "cmyk.jpg", "image/jpeg"),
        # The name follows the content, not what the uploader called it.
        ("really-a-png.jpg", image_bytes("PNG"), "PNG", "really-a-png.png", "image/png"),
        ("no-extension", image_bytes("JPEG"), "JPEG", "no-extension.jpg", "image/jpeg"),
    ],
)
def test_clean_image_reencodes(name, data, fmt, out_name, content_type):
    cleaned = clean_image(upload(name, data + SMUGGLED))

    out = read_all(cleaned)
    assert out != data + SMUGGLED
    assert b"<script>" not in out and b"<?php" not in out
    assert b"secret-metadata" not in out
    image = decoded(cleaned)
    assert image.format == fmt
    assert image.size == (48, 32)
    assert cleaned.name == out_name
    assert cleaned.content_type == content_type
    assert cleaned.size == len(out)


def test_clean_image_drops_exif():
    cleaned = clean_image(upload("photo.jpg", jpeg_with_exif()))

    assert not decoded(cleaned).getexif()
    assert b"Exif" not in read_all(cleaned)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_image_keeps_phone_photos_upright(fmt):
    """A portrait photo is stored landscape with an EXIF turn; the turn is applied, then dropped."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x013B] = "secret-metadata artist"

    cleaned = clean_image(upload("portrait.img", image_bytes(fmt, size=(48, 32), exif=exif.tobytes())))

    image = decoded(cleaned)
    assert image.size == (32, 48)
    assert not image.getexif()
    assert b"secret-metadata" not in read_all(cleaned)


def test_clean_image_accepts_multi_picture_jpegs_from_phones():
    first, second = Image.new("RGB", (48, 32), "red"), Image.new("RGB", (48, 32), "blue")
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    cleaned = clean_image(upload("IMG_0001.JPG", buffer.getvalue()))

    assert cleaned.name == "IMG_0001.jpg"
    assert decoded(cleaned).format == "JPEG"
    assert decoded(cleaned).size == (48, 32)


def test_clean_image_keeps_the_picture():
    source = Image.new("RGB", (20, 10))
    source.putpixel((3, 4), (0, 128, 255))
    buffer = io.BytesIO()
    source.save(buffer, "PNG")

    cleaned = decoded(clean_image(upload("p.png", buffer.getvalue())))

    assert cleaned.convert("RGB").getpixel((3, 4)) == (0, 128, 255)


def test_clean_image_keeps_gif_animation():
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    cleaned = decoded(clean_image(upload("anim.gif", buffer.getvalue())))

    assert cleaned.n_frames == 3


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photo.jpg", b"just some text, not a picture\n" * 20, "bad_image"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "bad_image"),
        ("photo.png", b"<?php system($_GET['c']); ?>", "bad_image"),
        ("photo.gif", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bad_image"),
        ("photo.png", image_bytes("PNG")[:60], "bad_image"),
        ("photo.jpg", b"", "bad_image"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "bad_image"),
        ("photo.bmp", image_bytes("BMP"), "bad_type"),
        ("photo.tif", image_bytes("TIFF"), "bad_type"),
        ("photo.ico", image_bytes("ICO"), "bad_type"),
    ],
    ids=["text", "html", "php", "svg", "truncated-png", "empty", "png-header-only", "bmp", "tiff", "ico"],
)
def test_clean_image_rejects_what_is_not_a_supported_image(name, data, code):
    with pytest.raises(ValidationError) as error:
        clean_image(upload(name, data))

    assert error.value.code == code
    assert any(word in error.value.messages[0] for word in ("JPEG", "PNG"))


def test_clean_image_rejects_an_oversize_upload(settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 2 * 1024 * 1024
    data = image_bytes("PNG")
    big = upload("big.png", data + b"\x00" * (2 * 1024 * 1024))

    with pytest.raises(ValidationError) as error:
        clean_image(big)

    assert error.value.code == "too_large"
    assert "2 MB" in error.value.messages[0]
    assert clean_image(upload("small.png", data)).size > 0


def test_clean_image_rejects_a_decompression_bomb():
    # 50 megapixels of one colour compress to a few kilobytes.
    bomb = image_bytes("PNG", size=(10_000, 5_000), mode="1", optimize=True)
    assert len(bomb) < 100_000

    with pytest.raises(ValidationError) as error:
        clean_image(upload("bomb.png", bomb))

    assert error.value.code == "too_large"


# --- clean_attachment ----------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def office_zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?><x/>')
    return out.getvalue()


DOCX = office_zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = office_zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")
OLE = OLE_MAGIC + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("年度报告.pdf", MINIMAL_PDF),
        ("REPORT.PDF", MINIMAL_PDF),
        ("通知.docx", DOCX),
        ("数据.xlsx", XLSX),
        ("旧文档.doc", OLE),
        ("旧表格.xls", OLE),
    ],
)
def test_clean_attachment_accepts_real_documents(name, data):
    original = upload(name, data)

    cleaned = clean_attachment(original)

    assert cleaned.name == name
    assert cleaned.read() == data  # handed back rewound, content untouched


def test_clean_attachment_reencodes_images():
    cleaned = clean_attachment(upload("现场照片.JPG", image_bytes("JPEG") + SMUGGLED))

    assert cleaned.name == "现场照片.jpg"
    assert b"<script>" not in read_all(cleaned)
    assert decoded(cleaned).format == "JPEG"


@pytest.mark.parametrize(
    "name",
    [
        "setup.exe", "page.html", "page.htm", "logo.svg", "shell.php", "shell.phtml", "run.sh", "x.js",
        "report.pdf.exe", "report.pdf.php", "archive.zip", "macro.docm", "noextension", ".htaccess", "evil.pdf ",
    ],
)  # fmt: skip
def test_clean_attachment_rejects_other_types_by_extension(name):
    with pytest.raises(ValidationError) as error:
        clean_attachment(upload(name, MINIMAL_PDF))

    assert error.value.code == "bad_type"
    assert "PDF" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("report.pdf", b"  %PDF-1.4 leading spaces"),
        ("report.pdf", b""),
        ("shell.php.pdf", b"<?php system($_GET['c']); ?>"),
        ("report.pdf", DOCX),
        ("notice.docx", MINIMAL_PDF),
        ("notice.docx", XLSX),
        ("notice.docx", office_zip("word/document.xml")),
        ("notice.docx", b"PK\x03\x04 not really a zip file"),
        ("notice.docx", office_zip("[Content_Types].xml", "index.html")),
        ("data.xlsx", DOCX),
        ("old.doc", MINIMAL_PDF),
        ("old.xls", b"<html>a web page saved as .xls</html>"),
    ],
)
def test_clean_attachment_rejects_content_that_does_not_match(name, data):
    with pytest.raises(ValidationError) as error:
        clean_attachment(upload(name, data))

    assert error.value.code == "bad_content"
    assert "不符" in error.value.messages[0]


def test_clean_attachment_rejects_an_oversize_document(settings):
    settings.UPLOAD_MAX_ATTACHMENT_BYTES = 1024 * 1024
    data = MINIMAL_PDF + b"%" + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as error:
        clean_attachment(upload("big.pdf", data))

    assert error.value.code == "too_large"
    assert "1 MB" in error.value.messages[0]


# A one-pixel frame: image descriptor, a two-colour local table, LZW data for one pixel.
def _tiny_frame(left: int = 0, top: int = 0) -> bytes:
    return (
        b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 10 ms
        + b"\x2c" + left.to_bytes(2, "little") + top.to_bytes(2, "little") + b"\x01\x00\x01\x00\x80"
        + b"\x00\x00\x00\xff\xff\xff"
        + b"\x02\x02\x44\x01\x00"
    )  # fmt: skip


def crafted_gif(width: int, height: int, frames: int) -> bytes:
    """A GIF of a few bytes per frame whose canvas is width x height: cheap to send, costly to decode."""
    screen = b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little") + b"\x00\x00\x00"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return screen + loop + b"".join(_tiny_frame(n % 2, 0) for n in range(frames)) + b"\x3b"


def test_crafted_gif_is_what_it_claims():
    data = crafted_gif(300, 200, 4)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (300, 200) and image.n_frames == 4


def test_clean_image_rejects_an_animation_of_too_many_pixels_before_decoding_it():
    # 4000 x 4000 x 40 frames: 640 megapixels in a file of about a kilobyte (minutes of CPU before).
    data = crafted_gif(4000, 4000, 40)
    assert len(data) < 2000

    with pytest.raises(ValidationError) as error:
        clean_image(upload("anim.gif", data))

    assert error.value.code == "too_large"
    assert "帧数" in error.value.messages[0]


def test_the_pixel_budget_of_animations_is_a_setting(settings):
    settings.UPLOAD_MAX_PIXELS = 2_000_000
    data = crafted_gif(500, 500, 10)  # 2.5 megapixels in all

    with pytest.raises(ValidationError) as error:
        clean_image(upload("anim.gif", data))

    assert error.value.code == "too_large"
    settings.UPLOAD_MAX_PIXELS = 3_000_000
    assert decoded(clean_image(upload("anim.gif", data))).format == "GIF"


def test_clean_image_rejects_an_animation_of_too_many_frames(settings):
    settings.UPLOAD_MAX_FRAMES = 50
    data = crafted_gif(2, 2, 51)

    with pytest.raises(ValidationError) as error:
        clean_image(upload("anim.gif", data))

    assert error.value.code == "too_many_frames"
    assert "50 帧" in error.value.messages[0]
    assert decoded(clean_image(upload("anim.gif", crafted_gif(2, 2, 50)))).format == "GIF"
