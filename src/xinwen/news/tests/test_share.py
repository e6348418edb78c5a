"""【分享】: the QR code in the article page is the page's own canonical address, drawn by segno."""

from __future__ import annotations

import html
import re

import pytest
import segno

from xinwen.conftest import make_article

pytestmark = pytest.mark.django_db


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) of segno's SVG: one path of horizontal runs (M/m moves, h lengths)."""
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    dark, x, y = set(), 0.0, 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path.replace("m", " m").replace("h", " h")):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(values[0]))}
            x += values[0]
    return dark


def matrix_modules(url: str, border: int = 4) -> set[tuple[int, int]]:
    matrix = segno.make(url, error="m", micro=False).matrix
    return {(col + border, row + border) for row, line in enumerate(matrix) for col, bit in enumerate(line) if bit}


@pytest.mark.parametrize("prefix", ["", "/zh-tw"])
def test_the_share_panel_holds_a_qr_code_of_the_pages_canonical_address(client, tree, settings, prefix):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(category=tree["company"])
    page = client.get(prefix + article.get_absolute_url()).content.decode()

    canonical = html.unescape(re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1))
    assert canonical == f"https://news.example.org{prefix}{article.get_absolute_url()}"
    panel = re.search(r'<details class="share">.*?</details>', page, re.S).group(0)
    svg = re.search(r"<svg .*?</svg>", panel, re.S).group(0)
    assert qr_modules(svg) == matrix_modules(canonical)
    assert f'value="{canonical}"' in panel  # the address to copy, for everyone who cannot scan
    assert "http" not in svg.replace(canonical, ""), "nothing but our own drawing"


def test_the_qr_code_reader_would_not_read_another_address(client, tree, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(category=tree["company"])
    svg = re.search(r"<svg .*?</svg>", client.get(article.get_absolute_url()).content.decode(), re.S).group(0)
    assert qr_modules(svg) != matrix_modules(f"https://news.example.org/article/{article.pk + 1}/")


def _segno_svg(url: str) -> str:
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=4, svgclass="share-qr-code", lineclass=None, dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


ADDRESSES = [
    f"{scheme}://{host}{prefix}/article/{n}/"
    for scheme in ("http", "https")
    for host in ("127.0.0.1", "news.example.org", "www.example.gov.cn:8443")
    for prefix in ("", "/zh-hant", "/zh-tw", "/zh-hk")
    for n in (1, 7, 42, 318, 4096, 65537, 1234567)
] + [f"https://news.example.org/article/{n}/?ruby=1&x={'长' * n}" for n in range(0, 120, 3)]


def test_the_fast_mask_choice_draws_segnos_own_svg_for_every_address():
    """share.py picks the data mask itself (the slow part of segno): the SVG must stay byte for byte segno's."""
    from xinwen.news.share import _qr, share_qr_svg

    masks, versions = set(), set()
    for url in ADDRESSES:
        share_qr_svg.cache_clear()
        assert share_qr_svg(url) == _segno_svg(url), url
        qr = _qr(url)
        masks.add(qr.mask)
        versions.add(qr.version)
    assert masks == set(range(8)), "every mask chosen at least once"
    assert max(versions) >= 7, "codes with version information too"
