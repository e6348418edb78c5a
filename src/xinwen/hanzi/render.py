"""Converted text for pages, cached by content: an edit (a new revision) or a glossary change is a new key.

Short texts (titles, names) live in a per-process LRU; bodies in the shared Django
cache (Redis at scale), so every worker converts a body once per revision.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

from django.core.cache import cache

from xinwen.hanzi.convert import EMPTY_GLOSSARY, Glossary, convert, convert_html
from xinwen.hanzi.pinyin import ruby_html
from xinwen.hanzi.variants import SIMPLIFIED

__all__ = ["variant_text", "variant_html", "GlossaryState"]

SHARED_CACHE_MIN_LENGTH = 400
CACHE_SECONDS = 7 * 24 * 3600
_local: OrderedDict[tuple, str] = OrderedDict()
_local_lock = Lock()
_LOCAL_MAX = 8192


class GlossaryState:
    """The glossary and its version, loaded at most once per request and only when needed."""

    def __init__(self, loader=None, *, version: tuple = (), glossary: Glossary | None = None):
        self._loader = loader
        self._value = None if glossary is None else (version, glossary)

    def get(self) -> tuple[tuple, Glossary]:
        if self._value is None:
            self._value = self._loader() if self._loader else ((), EMPTY_GLOSSARY)
        return self._value


NO_GLOSSARY = GlossaryState()


def _remember(key: tuple, compute) -> str:
    text = key[-1]
    if len(text) < SHARED_CACHE_MIN_LENGTH:
        # Titles and names: a per-process LRU, no serialisation at all.
        with _local_lock:
            if key in _local:
                _local.move_to_end(key)
                return _local[key]
        value = compute()
        with _local_lock:
            _local[key] = value
            if len(_local) > _LOCAL_MAX:
                _local.popitem(last=False)
        return value
    # Bodies: the shared cache, so each worker converts a revision once.
    shared_key = "hanzi:" + hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()
    value = cache.get(shared_key)
    if value is None:
        value = compute()
        cache.set(shared_key, value, CACHE_SECONDS)
    return value


def variant_text(text: str, variant: str, *, source: str | None = None, glossary: GlossaryState = NO_GLOSSARY) -> str:
    """Plain text (a title, a name) in the reader's script."""
    if not text:
        return text or ""
    version, terms = glossary.get()
    if variant == SIMPLIFIED and source == SIMPLIFIED and terms is EMPTY_GLOSSARY:
        return text  # the common case costs nothing
    key = ("t", variant, source, version, text)
    return _remember(key, lambda: convert(text, variant, source=source, glossary=terms))


def variant_html(
    html: str, variant: str, *, source: str | None = None, ruby: bool = False, glossary: GlossaryState = NO_GLOSSARY
) -> str:
    """Sanitised body HTML in the reader's script, optionally with pinyin <ruby> annotations."""
    if not html:
        return html or ""
    version, terms = glossary.get()
    if variant == SIMPLIFIED and source == SIMPLIFIED and terms is EMPTY_GLOSSARY and not ruby:
        return html
    key = ("h", variant, source, ruby, version, html)

    def compute() -> str:
        converted = convert_html(html, variant, source=source, glossary=terms)
        return ruby_html(converted) if ruby else converted

    return _remember(key, compute)
