"""Charts as inline SVG, drawn on the server (pure functions; no JavaScript, no CDN).

Every chart is an <svg role="img"> with a <title>, a <title> per bar for the exact value
on hover, and text in the page's own font and colour; templates put a data table beside
it for screen readers and copying. Text is always escaped: titles come from editors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["nice_scale", "column_chart", "bar_chart"]

BAR = "#417690"  # the admin's own accent colour
GRID = "#8a8a8a"


def nice_scale(maximum: int, *, steps: int = 4) -> tuple[int, int]:
    """(axis top, tick step) with a round step (1, 2 or 5 × 10ⁿ) and at most `steps` ticks above 0."""
    maximum = max(int(maximum), 0)
    if maximum == 0:
        return steps, 1
    rough = maximum / steps
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(int(step), 1)
    return step * math.ceil(maximum / step), step


def _fmt(value: int) -> str:
    return f"{value:,}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_chart(
    points: Sequence[tuple[str, int]],
    *,
    title: str,
    chart_id: str,
    unit: str = "次",
    width: int = 720,
    height: int = 240,
    tooltips: Sequence[str] | None = None,
) -> SafeString:
    """Vertical bars, one per point (label, value), e.g. views per day; every few labels on the axis."""
    left, right, top, bottom = 48, 8, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    axis_top, step = nice_scale(max((v for _, v in points), default=0))
    parts = [
        f'<svg class="xw-chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="11" fill="currentColor">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for tick in range(0, axis_top + 1, step):
        y = top + plot_h - plot_h * tick / axis_top
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-opacity=".35"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>'
        )
    if points:
        slot = plot_w / len(points)
        bar_w = max(slot * 0.7, 1)
        label_every = max(math.ceil(len(points) / 10), 1)
        for index, (label, value) in enumerate(points):
            x = left + slot * index + (slot - bar_w) / 2
            bar_h = plot_h * value / axis_top
            tip = tooltips[index] if tooltips else f"{label}：{_fmt(value)} {unit}"
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'fill="{BAR}"><title>{escape(tip)}</title></rect>'
            )
            if index % label_every == 0:
                parts.append(
                    f'<text x="{left + slot * index + slot / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, int]],
    *,
    title: str,
    chart_id: str,
    unit: str = "次",
    width: int = 720,
    row_height: int = 26,
    label_chars: int = 18,
) -> SafeString:
    """Horizontal bars, one per row (label, value), longest first as given; e.g. views per category."""
    label_w, value_w, top = 240, 70, 4
    plot_w = width - label_w - value_w
    height = top * 2 + row_height * max(len(rows), 1)
    biggest = max((v for _, v in rows), default=0) or 1
    parts = [
        f'<svg class="xw-chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="12" fill="currentColor">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(rows):
        y = top + row_height * index
        bar_w = plot_w * value / biggest
        parts.append(
            f'<g><title>{escape(label)}：{_fmt(value)} {escape(unit)}</title>'
            f'<text x="{label_w - 8}" y="{y + row_height * 0.65:.1f}" text-anchor="end">{escape(_shorten(label, label_chars))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_height - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + row_height * 0.65:.1f}">{_fmt(value)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
