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
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["clean_image", "clean_attachment", "SAFE_MEDIA_TYPES", "IMAGE_EXTENSIONS", "ATTACHMENT_EXTENSIONS"]

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
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
MAX_PIXELS = 40_000_000


def _size_error(limit: int) -> ValidationError:
    return ValidationError(f"文件太大：最大 {limit // (1024 * 1024)} MB。", code="too_large")


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Decode the upload as an image and return a freshly encoded copy, or raise ValidationError."""
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
