"""Django's reverse(), kept per process: every public page prints the same routes on every render.

A page miss reversed about six routes (home, search, feeds, the breadcrumb's sections), each
a walk of the resolver's tables, about 7 % of an article miss. The answer depends only on the
URLconf, the script prefix the thread serves (SCRIPT_NAME) and the arguments, which form the
key. The arguments come from rows and templates, never from a request, and the memo is an LRU
of fixed size besides; a changed ROOT_URLCONF (tests) empties it.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

__all__ = ["reverse"]


@lru_cache(maxsize=4096)
def _reverse(urlconf: str | None, prefix: str, name: str, args: tuple, kwargs: tuple) -> str:
    return django_reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def reverse(name: str, args=None, kwargs=None) -> str:
    """reverse(name, args=…, kwargs=…) as Django answers it in this thread, remembered."""
    try:
        return _reverse(get_urlconf(), get_script_prefix(), name, tuple(args or ()), tuple(sorted((kwargs or {}).items())))
    except TypeError:  # an argument that cannot be a key: ask Django
        return django_reverse(name, args=args or None, kwargs=kwargs or None)


@receiver(setting_changed)
def _urlconf_changed(setting, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
