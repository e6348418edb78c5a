"""【分享】: the share panel's QR code is the page's own canonical address, drawn by segno, loaded only when opened."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
import segno
from django.utils import timezone

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


def _qr_of(client, page: str) -> tuple[str, str]:
    """(the panel's image address, the SVG it loads) of an article page."""
    panel = re.search(r'<details class="share">.*?</details>', page, re.S).group(0)
    src = html.unescape(re.search(r'<img src="([^"]+)"[^>]*loading="lazy"', panel).group(1))
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    return src, response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/zh-tw"])
def test_the_share_panel_loads_a_qr_code_of_the_pages_canonical_address(client, tree, settings, prefix):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(category=tree["company"])
    page = client.get(prefix + article.get_absolute_url()).content.decode()

    canonical = html.unescape(re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1))
    assert canonical == f"https://news.example.org{prefix}{article.get_absolute_url()}"
    src, svg = _qr_of(client, page)
    assert src == f"{prefix}/article/{article.pk}/share-qr.svg"
    assert qr_modules(svg) == matrix_modules(canonical)
    assert f'value="{canonical}"' in page  # the address to copy, for everyone who cannot scan
    assert "http" not in svg.replace(canonical, "").replace("http://www.w3.org/2000/svg", ""), "nothing but our own drawing"
    assert "<svg" not in page  # drawn only for a reader who opens the panel, not in every page


def test_the_qr_code_reader_would_not_read_another_address(client, tree, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(category=tree["company"])
    _src, svg = _qr_of(client, client.get(article.get_absolute_url()).content.decode())
    assert qr_modules(svg) != matrix_modules(f"https://news.example.org/article/{article.pk + 1}/")


def test_no_qr_code_for_an_article_a_reader_cannot_see(client, tree):
    from xinwen.news.models import Article

    draft = make_article(category=tree["company"], status=Article.Status.DRAFT)
    assert client.get(f"/article/{draft.pk}/share-qr.svg").status_code == 404
    assert client.get("/zh-tw/article/999999/share-qr.svg").status_code == 404
    assert client.get(f"/article/{2**63}/share-qr.svg").status_code == 404
    scheduled = make_article(category=tree["company"], publish_at=timezone.now() + timedelta(hours=1))
    linked_out = make_article(category=tree["company"], external_url="https://www.example.org/news/1.html")
    deleted = make_article(category=tree["company"], deleted_at=timezone.now())
    for article in (scheduled, linked_out, deleted):
        assert client.get(f"/zh-hk/article/{article.pk}/share-qr.svg").status_code == 404, article
    assert client.get(f"/zh-hk/article/{make_article(category=tree['company']).pk}/share-qr.svg").status_code == 200
    assert client.post(f"/article/{make_article(category=tree['company']).pk}/share-qr.svg").status_code == 405


def _segno_svg(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False, svgns=True,
        svgclass="share-qr-code", lineclass=None, omitsize=True, nl=False,
    )  # fmt: skip
    return out.getvalue()


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
        assert share_qr_svg(url) == _segno_svg(url), url
        qr = _qr(url)
        masks.add(qr.mask)
        versions.add(qr.version)
    assert masks == set(range(8)), "every mask chosen at least once"
    assert max(versions) >= 7, "codes with version information too"
