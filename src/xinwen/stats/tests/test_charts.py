"""Server-drawn SVG charts: round axes, one bar per value, escaped text."""

import re

import pytest

from xinwen.stats.charts import bar_chart, column_chart, nice_scale


@pytest.mark.parametrize(
    "maximum, expected",
    [(0, (4, 1)), (1, (1, 1)), (3, (3, 1)), (4, (4, 1)), (7, (8, 2)), (10, (10, 5)), (37, (40, 10)),
     (100, (100, 50)), (275, (300, 100)), (8000, (8000, 2000)), (12345, (15000, 5000))],
)  # fmt: skip
def test_nice_scale(maximum, expected):
    top, step = nice_scale(maximum)
    assert (top, step) == expected
    assert top >= maximum and top % step == 0 and top // step <= 4


def test_column_chart_has_one_bar_per_day_scaled_to_the_axis():
    svg = column_chart([("04-01", 0), ("04-02", 50), ("04-03", 100)], title="每日浏览量", chart_id="c")

    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 3
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1])
    assert 'role="img"' in svg and '<title id="c-title">每日浏览量</title>' in svg
    assert "<title>04-02：50 次</title>" in svg


def test_chart_text_is_escaped():
    evil = '<script>alert(1)</script>"'
    svg = bar_chart([(evil, 3)], title=evil, chart_id='x"y')

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and 'id="x&quot;y"' in svg


def test_empty_and_all_zero_charts_render():
    assert column_chart([], title="空", chart_id="e").endswith("</svg>")
    assert "<rect" in column_chart([("04-01", 0)], title="零", chart_id="z")
    assert bar_chart([], title="空", chart_id="b").endswith("</svg>")


def test_long_labels_are_shortened_but_kept_in_the_tooltip():
    label = "新闻中心 > 公司新闻 > 集团要闻 > 领导活动"
    svg = bar_chart([(label, 12)], title="栏目", chart_id="b", label_chars=10)

    assert f"<title>{label}：12 次</title>" in svg.replace("&gt;", ">")
    assert "…" in svg
