"""System checks: search configuration that would otherwise fail at request time."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import connection

RATE = re.compile(r"^\s*([1-9]\d*)\s*/\s*([1-9]\d*)\s*$")


@register()
def search_configuration(app_configs, **kwargs):
    problems = []
    rate = getattr(settings, "SEARCH_RATE_LIMIT", None)
    if rate is not None and not RATE.match(str(rate)):
        problems.append(
            Error(
                f"SEARCH_RATE_LIMIT is {rate!r}: write searches/seconds, for example 30/60 (30 searches a minute).",
                id="search.E001",
            )
        )
    if connection.vendor not in ("sqlite", "postgresql"):
        problems.append(
            Warning(f"Full-text search supports SQLite and PostgreSQL, not {connection.vendor}.", id="search.W001")
        )
    return problems
