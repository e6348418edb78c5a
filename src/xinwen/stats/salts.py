"""The day's random secret that keys reader fingerprints, shared by every process via the database.

A secret is created on first use each local day and deleted once that day is over and
its fingerprints can no longer matter (the de-duplication window past midnight), so a
fingerprint cannot be matched to an address afterwards, not even by the site's operator.
"""

from __future__ import annotations

import secrets as random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xinwen.stats.models import DailySecret

__all__ = ["day_secrets", "secrets_purge", "local_midnight", "forget_cached"]

_known: dict[date, str | None] = {}  # per process; a day's secret never changes once created
_today: tuple[float, float, date] | None = None  # (midnight, next midnight) as Unix times, and the date


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _secret(day: date, *, create: bool) -> str | None:
    if day in _known and (_known[day] is not None or not create):
        return _known[day]
    if create:
        row, _ = DailySecret.objects.get_or_create(day=day, defaults={"secret": random.token_hex(32)})
        value = row.secret
    else:
        value = DailySecret.objects.filter(day=day).values_list("secret", flat=True).first()
    if len(_known) > 8:
        _known.clear()
    _known[day] = value
    return value


def day_secrets(now: datetime, window: int) -> list[str]:
    """Today's secret first; then yesterday's while a view from before midnight is still in the window.

    A reader at 23:50 and again at 00:10 is the same reader: the second view is checked
    against yesterday's fingerprints too, so the day boundary does not double-count it.
    """
    global _today
    stamp = now.timestamp()
    if _today is None or not _today[0] <= stamp < _today[1]:  # the day's boundaries, computed once a day
        day = timezone.localdate(now)
        _today = (local_midnight(day).timestamp(), local_midnight(day + timedelta(days=1)).timestamp(), day)
    midnight, _, today = _today
    keys = [_secret(today, create=True)]
    if stamp - midnight < window:
        yesterday = _secret(today - timedelta(days=1), create=False)
        if yesterday is not None:
            keys.append(yesterday)
    return keys


def secrets_purge(now: datetime, window: int) -> int:
    """Delete the secrets no fingerprint check can need any more; returns how many."""
    today = timezone.localdate(now)
    keep_from = today if (now - local_midnight(today)).total_seconds() >= window else today - timedelta(days=1)
    for day in [day for day in _known if day < keep_from]:
        del _known[day]
    deleted, _ = DailySecret.objects.filter(day__lt=keep_from).delete()
    return deleted


def forget_cached() -> None:
    """Drop this process's copies (tests that roll the database back)."""
    global _today
    _known.clear()
    _today = None
