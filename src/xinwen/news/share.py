"""【分享】: the article's address as a QR code for WeChat, drawn here (segno), never by an outside service.

The SVG goes into the page itself: no request of its own, nothing to add to the page cache or
the static output, and the same address the page names as canonical.
"""

from __future__ import annotations

import segno

__all__ = ["share_qr_svg"]


def share_qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (error correction M, 4 px modules, a 4-module quiet zone)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=4, svgclass="share-qr-code", lineclass=None, dark="#000", light="#fff")
    # The copy-link field beside it is the accessible form of the same address.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
