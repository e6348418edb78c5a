"""站点设置's look: a logo, a header banner and a palette whose colours all keep WCAG AA contrast."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinwen.conftest import make_article, make_user
from xinwen.news import services
from xinwen.news.models import ImageSizes, SiteSettings

CSS = Path(__file__).resolve().parents[1] / "static" / "news" / "site.css"


def _rgb(colour: str) -> tuple[float, ...]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", block))


def palettes() -> dict[str, dict[str, str]]:
    css = CSS.read_text()
    root = _variables(re.search(r":root\s*\{(.*?)\}", css, re.S).group(1))
    found = {"red": root}
    for name, block in re.findall(r'html\[data-palette="(\w+)"\]\s*\{(.*?)\}', css, re.S):
        found[name] = {**root, **_variables(block)}
    return found


def test_every_palette_offered_has_its_colours_in_the_style_sheet():
    assert set(palettes()) == set(SiteSettings.Palette.values)


@pytest.mark.parametrize("name", SiteSettings.Palette.values)
def test_every_palette_keeps_aa_contrast(name):
    colours = palettes()[name]
    white = "#ffffff"
    assert contrast(white, colours["accent"]) >= 4.5  # the header's text, badges, the current page number
    assert contrast(colours["accent"], colours["bg"]) >= 4.5  # links on hover, the current section
    assert contrast(colours["link"], colours["bg"]) >= 4.5 and contrast(colours["link"], colours["soft"]) >= 4.5
    assert contrast(colours["muted"], colours["soft"]) >= 4.5


def test_the_contrast_formula_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _png(size, colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile("mark.png", out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_the_palette_logo_and_banner_show_on_every_page_in_every_script(client, tree):
    make_article(category=tree["company"])
    look = SiteSettings(palette=SiteSettings.Palette.BLUE, watermark_text="WATERMARK")
    look.logo.save("logo.png", _png((400, 400)), save=False)
    look.header_banner.save("banner.png", _png((1920, 240), (20, 80, 160)), save=False)
    services.site_settings_save(site_settings=look, user=services.OPERATOR)
    SiteSettings.changed()
    for name in (look.logo.name, look.header_banner.name):
        assert ImageSizes.objects.get(name=name).watermarked is False  # the site's own marks carry none

    for prefix in ("", "/zh-hant", "/zh-tw", "/zh-hk"):
        page = client.get(f"{prefix}/category/company/").content.decode()
        assert re.search(r'<html lang="[^"]+" data-palette="blue">', page), prefix
        banner = re.search(r'<div class="header-banner"><picture>(.*?)</picture></div>', page, re.S).group(1)
        assert 'alt=""' in banner and 'sizes="100vw"' in banner and "loading=" not in banner
        assert re.search(r"\.webp 1280w", banner)  # a phone is not sent the 1920 px original
        name = re.search(r'<a class="site-name" href="[^"]+"><span class="site-logo"><picture>.*?alt="".*?</picture></span>([^<]+)</a>', page, re.S)
        assert name, prefix  # the logo is decorative: the site's name follows it as text, in the same link

    services.site_settings_save(site_settings=SiteSettings(), user=services.OPERATOR)
    SiteSettings.changed()
    plain = client.get("/").content.decode()
    assert "data-palette" not in plain and "header-banner" not in plain and "site-logo" not in plain


@pytest.mark.django_db
def test_the_settings_form_takes_only_offered_palettes_and_real_pictures(client, tree):
    from xinwen.editorial.tests.test_site_settings import FORM, URL

    client.force_login(make_user("manager", role="管理员"))
    response = client.post(URL, {**FORM, "palette": "neon"})
    assert response.status_code == 200 and "neon 不在可用的选项中" in response.content.decode()
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(URL, {**FORM, "logo": fake})
    assert response.status_code == 200 and not SiteSettings.objects.exists()
    response = client.post(URL, {**FORM, "palette": "green", "logo": _png((300, 300))})
    assert response.status_code == 302
    saved = SiteSettings.objects.get()
    assert saved.palette == "green" and saved.logo.name.startswith("site/")
    with saved.logo.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "PNG" and not image.getexif()  # re-encoded on the way in
