"""Upload checks: allowed types by content (not by name), size limits, images re-encoded.

An upload is accepted only when its bytes match its claimed type; images are decoded
and written again by Pillow, which drops metadata and anything smuggled after the
image data. Stored names are random (see models._random_name).
"""

from __future__ import annotations

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile

from xinwen.news.mp4 import Mp4Error, mp4_probe

__all__ = [
    "clean_image",
    "clean_attachment",
    "clean_video",
    "clean_captions",
    "SAFE_MEDIA_TYPES",
    "IMAGE_EXTENSIONS",
    "ATTACHMENT_EXTENSIONS",
]

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
ATTACHMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx"} | IMAGE_EXTENSIONS

SAFE_MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
MAX_PIXELS = 40_000_000  # one picture
DEFAULT_MAX_TOTAL_PIXELS = 100_000_000  # all frames of an animation together (UPLOAD_MAX_PIXELS)
DEFAULT_MAX_FRAMES = 300  # UPLOAD_MAX_FRAMES
MAX_CAPTIONS_BYTES = 512 * 1024  # a two-hour film's subtitles are about 100 KB


def gif_extent(data: bytes, *, frame_limit: int) -> tuple[int, int, int]:
    """(canvas width, canvas height, frames) of a GIF from its block structure, without decoding.

    Stops counting one past `frame_limit`. Pillow paints every frame onto the whole canvas
    (grown to the largest frame), so re-encoding costs about width x height x frames:
    a 0.5 MB file of 40 frames on a 4000 x 4000 canvas took minutes of CPU.
    Raises ValueError for a file that is not a well-formed GIF.
    """
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise ValueError("not a GIF")
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    flags, pos, frames = data[10], 13, 0
    if flags & 0x80:  # global colour table
        pos += 3 << ((flags & 7) + 1)

    def skip_sub_blocks(pos: int) -> int:
        while True:
            if pos >= len(data):
                raise ValueError("truncated GIF")
            size = data[pos]
            pos += 1 + size
            if size == 0:
                return pos

    while pos < len(data) and frames <= frame_limit:
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            pos = skip_sub_blocks(pos + 2)
        elif block == 0x2C:  # image descriptor
            if pos + 10 > len(data):
                raise ValueError("truncated GIF")
            left, top, w, h = (int.from_bytes(data[pos + i : pos + i + 2], "little") for i in (1, 3, 5, 7))
            width, height = max(width, left + w), max(height, top + h)
            local = data[pos + 9]
            pos += 10
            if local & 0x80:
                pos += 3 << ((local & 7) + 1)
            pos = skip_sub_blocks(pos + 1)  # LZW minimum code size, then the data
            frames += 1
        else:
            raise ValueError("damaged GIF")
    return width, height, frames


def _check_animation(upload: UploadedFile) -> None:
    """Refuse a GIF whose frames together are too many pixels to re-encode, before any frame is decoded."""
    max_frames = int(getattr(settings, "UPLOAD_MAX_FRAMES", DEFAULT_MAX_FRAMES))
    max_total = int(getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_TOTAL_PIXELS))
    upload.seek(0)
    width, height, frames = gif_extent(upload.read(), frame_limit=max_frames)
    if frames > max_frames:
        raise ValidationError(f"动图帧数过多：最多 {max_frames} 帧，请减少帧数后再上传。", code="too_many_frames")
    if width * height * max(frames, 1) > max_total:
        raise ValidationError(
            f"动图过大：宽 × 高 × 帧数超过 {max_total // 1_000_000} 百万像素，请缩小尺寸或减少帧数。",
            code="too_large",
        )


def _size_error(limit: int) -> ValidationError:
    return ValidationError(f"文件太大：最大 {limit // (1024 * 1024)} MB。", code="too_large")


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Decode the upload as an image and return a freshly encoded copy, or raise ValidationError."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # the back office's: reader-facing workers never load Pillow

    limit = settings.UPLOAD_MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > limit:
        raise _size_error(limit)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            # Phone cameras often store extra pictures in a JPEG, which Pillow calls MPO.
            fmt = "JPEG" if probe.format == "MPO" else probe.format
            if fmt not in IMAGE_FORMATS:
                raise ValidationError("只接受 JPEG、PNG、GIF 或 WebP 图片。", code="bad_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("图片尺寸过大（超过 4000 万像素）。", code="too_large")
            probe.verify()
        if fmt == "GIF":
            _check_animation(upload)
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            if fmt != "GIF":
                # Dropping EXIF drops its rotation flag too: turn the pixels first,
                # or portrait phone photos would appear sideways.
                image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if fmt == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif fmt == "GIF":
                image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, fmt)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError("无法识别的图片文件，请上传 JPEG、PNG、GIF 或 WebP。", code="bad_image") from exc
    ext = IMAGE_FORMATS[fmt]
    base = os.path.splitext(os.path.basename(upload.name or "image"))[0] or "image"
    data = out.getvalue()
    return InMemoryUploadedFile(
        io.BytesIO(data), None, f"{base}{ext}", SAFE_MEDIA_TYPES[ext], len(data), None
    )


def _looks_like(ext: str, head: bytes, upload: UploadedFile) -> bool:
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext in {".doc", ".xls"}:
        return head.startswith(OLE_MAGIC)
    if ext in {".docx", ".xlsx"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
        inner = "word/document.xml" if ext == ".docx" else "xl/workbook.xml"
        return "[Content_Types].xml" in names and inner in names
    return False


def clean_attachment(upload: UploadedFile) -> UploadedFile:
    """Accept PDF, Word, Excel and images whose content matches their extension."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            "不支持的附件类型。允许：PDF、DOC/DOCX、XLS/XLSX、JPG/PNG/GIF/WebP。", code="bad_type"
        )
    if ext in IMAGE_EXTENSIONS:
        return clean_image(upload)
    limit = settings.UPLOAD_MAX_ATTACHMENT_BYTES
    if upload.size is not None and upload.size > limit:
        raise _size_error(limit)
    upload.seek(0)
    head = upload.read(8)
    if not _looks_like(ext, head, upload):
        raise ValidationError(f"文件内容与扩展名 {ext} 不符，请上传真实的文档。", code="bad_content")
    upload.seek(0)
    return upload


def clean_video(upload: UploadedFile) -> UploadedFile:
    """Accept an MP4 whose boxes say H.264 video (avc1) and, if it has sound, AAC (mp4a); see news/mp4.py."""
    limit = settings.UPLOAD_MAX_VIDEO_BYTES
    if upload.size is not None and upload.size > limit:
        raise _size_error(limit)
    upload.seek(0, os.SEEK_END)
    length = upload.tell()
    try:
        info = mp4_probe(upload, length)
    except Mp4Error as exc:
        raise ValidationError(str(exc), code="bad_video") from None
    except (OSError, ValueError) as exc:
        raise ValidationError("无法读取视频文件，请上传 MP4（H.264/AAC）。", code="bad_video") from exc
    video = [entry for handler, entry in info.tracks if handler == b"vide"]
    sound = [entry for handler, entry in info.tracks if handler == b"soun"]
    if not video:
        raise ValidationError("视频文件中没有画面轨道，请上传 MP4（H.264/AAC）。", code="bad_video")
    if any(entry != b"avc1" for entry in video):
        raise ValidationError("视频编码不是 H.264，浏览器可能无法播放：请导出为 MP4（H.264/AAC）后再上传。", code="bad_codec")
    if any(entry != b"mp4a" for entry in sound):
        raise ValidationError("音频编码不是 AAC，浏览器可能无法播放：请导出为 MP4（H.264/AAC）后再上传。", code="bad_codec")
    if not info.has_media_data:
        raise ValidationError("视频文件不完整（没有媒体数据）。", code="bad_video")
    upload.seek(0)
    base = os.path.splitext(os.path.basename(upload.name or "video"))[0] or "video"
    upload.name = f"{base}.mp4"  # the stored name's extension is what the file is, never what it was called
    return upload


def clean_captions(upload: UploadedFile) -> InMemoryUploadedFile:
    """Accept a WebVTT file: UTF-8 text starting with WEBVTT, at most MAX_CAPTIONS_BYTES."""
    if upload.size is not None and upload.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(f"字幕文件太大：最大 {MAX_CAPTIONS_BYTES // 1024} KB。", code="too_large")
    upload.seek(0)
    data = upload.read(MAX_CAPTIONS_BYTES + 1)
    if len(data) > MAX_CAPTIONS_BYTES:
        raise ValidationError(f"字幕文件太大：最大 {MAX_CAPTIONS_BYTES // 1024} KB。", code="too_large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("字幕文件不是 UTF-8 编码，请另存为 UTF-8 的 WebVTT（.vtt）文件。", code="bad_encoding") from None
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))) or "\x00" in text:
        raise ValidationError("不是 WebVTT 字幕：文件第一行必须是 WEBVTT。SRT 字幕请先转换为 WebVTT。", code="bad_captions")
    out = text.encode("utf-8")
    base = os.path.splitext(os.path.basename(upload.name or "captions"))[0] or "captions"
    return InMemoryUploadedFile(io.BytesIO(out), None, f"{base}.vtt", SAFE_MEDIA_TYPES[".vtt"], len(out), "utf-8")
