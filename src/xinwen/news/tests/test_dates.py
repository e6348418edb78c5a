"""The <time> element of list items and the meta line: the same bytes as Django's date filter gave."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.template import Context, Template, engines
from django.utils import timezone

# Django's own template language and date filter, as the pages printed times before.
DJANGO = Template(
    """<time datetime="{{ when|date:'Y-m-d\\TH:i:sO' }}">{{ when|date:"Y-m-d" }}</time>|"""
    """<time datetime="{{ when|date:'Y-m-d\\TH:i:sO' }}">{{ when|date:"Y-m-d H:i" }}</time>|{{ when|date:"Y-m-d H:i" }}"""
)
OURS = engines["jinja2"].from_string("""{{ when|time_element }}|{{ when|time_element("minute") }}|{{ when|date("Y-m-d H:i") }}""")

MOMENTS = [
    datetime(2024, 6, 1, 1, 30, tzinfo=dt_timezone.utc),  # already the next day in Asia and the Pacific
    datetime(2024, 3, 10, 7, 15, 59, tzinfo=dt_timezone.utc),  # New York's switch to summer time
    datetime(2023, 12, 31, 23, 59, 59, tzinfo=dt_timezone.utc),
    datetime(1999, 1, 1, 0, 0, tzinfo=dt_timezone(timedelta(hours=8))),
]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Honolulu", "America/New_York", "UTC"])
def test_the_element_is_what_the_date_filter_wrote_in_every_time_zone(zone):
    with timezone.override(zone):
        for when in MOMENTS:
            assert OURS.render({"when": when}) == DJANGO.render(Context({"when": when})), (zone, when)


def test_no_time_is_no_element():
    assert engines["jinja2"].from_string("[{{ when|time_element }}]").render({"when": None}) == "[]"
