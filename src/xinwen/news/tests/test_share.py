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
