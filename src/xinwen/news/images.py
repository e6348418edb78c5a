"""Generated sizes of an uploaded image: pure functions from the stored bytes to smaller copies.

Each picture is stored once, as the editor uploaded it (re-encoded by news.uploads). Readers get
copies at a few widths, each in its own format (JPEG or PNG) and in WebP, so a browser picks
what its screen needs from a srcset: a 4000 x 3000 phone photo reaches a 390 px phone as a
640 px copy of some tens of kilobytes, never as the 7 MB original. Copies are written beside
the original, named after it (`abc.jpg` → `abc.w640.jpg`, `abc.w640.webp`), so an `<img src>`
in a body finds its copies by name alone. The optional watermark goes on copies only; the
original stays as uploaded, for editors and for the next rebuild.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where pictures are made: reader-facing workers never load it
    from PIL import Image

__all__ = ["WIDTHS", "Watermark", "Size", "size_widths", "size_name", "generate_sizes", "own_formats", "text_font", "font_for"]

# Widths a browser may choose from; the largest copy is never wider than the last one.
WIDTHS = (320, 640, 960, 1280)
QUALITY = {"JPEG": 82, "WEBP": 78}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

POSITIONS = {
    "bottom-right": (1.0, 1.0),
    "bottom-left": (0.0, 1.0),
    "top-right": (1.0, 0.0),
    "top-left": (0.0, 0.0),
    "center": (0.5, 0.5),
}
# Fonts that can write Chinese (Debian's fonts-noto-cjk, fonts-wqy-*); WATERMARK_FONT comes first.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class Watermark:
    """What the site stamps on generated sizes: text or a logo, where, and how opaque (0-100)."""

    text: str = ""
    logo: bytes = b""
    position: str = "bottom-right"
    opacity: int = 50
    font: str = ""  # a font file that has the text's characters (settings.WATERMARK_FONT)

    def __bool__(self) -> bool:
        return bool(self.text.strip() or self.logo)


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    ext: str  # ".jpg", ".png" or ".webp"
    data: bytes


def size_widths(width: int) -> list[int]:
    """The widths generated for a picture `width` pixels wide: each smaller step, and its own width up to the largest."""
    largest = min(width, WIDTHS[-1])
    return [*(w for w in WIDTHS if w < largest), largest]


def size_name(name: str, width: int, ext: str) -> str:
    """The storage name of a copy: beside the original, its width in the name."""
    base, _ = os.path.splitext(name)
    return f"{base}.w{width}{ext}"


def own_formats(fmt: str) -> tuple[str, ...]:
    """The formats a copy is written in: the original's own (PNG keeps transparency) and WebP."""
    return ("PNG", "WEBP") if fmt == "PNG" else ("JPEG", "WEBP")


def text_font(text: str, *, preferred: str = "") -> str | None:
    """A font file that can write `text`, or None: a server without Chinese fonts cannot write 中文 text."""
    candidates = [preferred] if preferred else []
    candidates += [*CJK_FONTS, *LATIN_FONTS] if text.isascii() else list(CJK_FONTS)
    return next((path for path in candidates if path and os.path.isfile(path)), None)


def font_for(text: str, size: int, *, preferred: str = ""):
    """A Pillow font of `size` that can write `text` (see text_font), or None when the server has none."""
    from PIL import ImageFont

    path = text_font(text, preferred=preferred)
    return ImageFont.truetype(path, size) if path else None


def _stamp(image: Image.Image, watermark: Watermark) -> Image.Image:
    """The picture with the watermark laid over it at the chosen corner, scaled to the picture's width."""
    from PIL import Image, ImageDraw

    base = image.convert("RGBA")
    alpha = max(0, min(100, watermark.opacity)) * 255 // 100
    margin = max(4, base.width // 60)
    if watermark.logo:
        with Image.open(io.BytesIO(watermark.logo)) as logo_file:
            mark = logo_file.convert("RGBA")
        mark.thumbnail((max(16, base.width // 5), max(16, base.height // 5)))
        faded = mark.getchannel("A").point(lambda value: value * alpha // 255)
        mark.putalpha(faded)
    else:
        font = font_for(watermark.text, max(10, base.width // 28), preferred=watermark.font)
        if font is None:  # refused when the settings are saved; a font removed since then leaves no mark
            return base
        left, top, right, bottom = ImageDraw.Draw(base).textbbox((0, 0), watermark.text, font=font)
        mark = Image.new("RGBA", (right - left + 2, bottom - top + 2), (0, 0, 0, 0))
        draw = ImageDraw.Draw(mark)
        draw.text((1 - left, 1 - top), watermark.text, font=font, fill=(0, 0, 0, alpha // 2))
        draw.text((-left, -top), watermark.text, font=font, fill=(255, 255, 255, alpha))
    fx, fy = POSITIONS.get(watermark.position, POSITIONS["bottom-right"])
    x = round(margin + (base.width - mark.width - 2 * margin) * fx)
    y = round(margin + (base.height - mark.height - 2 * margin) * fy)
    base.alpha_composite(mark, (max(0, x), max(0, y)))
    return base


def generate_sizes(data: bytes, *, watermark: Watermark | None = None) -> tuple[int, int, list[Size]]:
    """(width, height, copies) of the picture in `data`; no copies for an animation (it stays as it is).

    The orientation flag is applied and no metadata is written to any copy.
    """
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        fmt = "JPEG" if source.format == "MPO" else source.format
        if getattr(source, "is_animated", False) and source.n_frames > 1:
            return source.width, source.height, []
        source.load()
        image = ImageOps.exif_transpose(source)
    width, height = image.size
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    sizes: list[Size] = []
    for target in size_widths(width):
        copy = image if target == width else image.resize((target, max(1, round(height * target / width))), Image.LANCZOS)
        if watermark:
            copy = _stamp(copy, watermark)
        for out_fmt in own_formats(fmt):
            out = io.BytesIO()
            frame = copy.convert("RGB") if out_fmt == "JPEG" else copy
            options = {"quality": QUALITY[out_fmt]} if out_fmt in QUALITY else {"optimize": True}
            if out_fmt == "JPEG":
                options.update(optimize=True, progressive=True)
            if out_fmt == "WEBP":
                options["method"] = 4
            frame.save(out, out_fmt, **options)
            sizes.append(Size(copy.width, copy.height, EXTENSIONS[out_fmt], out.getvalue()))
    return width, height, sizes
