"""Converted text for pages, cached by content: an edit (a new revision) or a glossary change is a new key.

Short texts (titles, names) live in a per-process LRU; bodies in the shared Django
cache (Redis at scale), so every worker converts a body once per revision. Bodies are
also converted ahead, when an article is saved (`convert_ahead`, rows of ConvertedText
under the same key): the first reader of an old article in a Traditional script, a
crawler walking the long tail or the static build reads the row instead of running
OpenCC. A reader's request only reads those rows, never writes them.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import nullcontext
from threading import Lock

from django.core.cache import cache
from django.db import connection, transaction

from xinwen.hanzi.convert import BULK_ITEMS, EMPTY_GLOSSARY, Glossary, bulk_conversion, convert, convert_html
from xinwen.hanzi.pinyin import ruby_html
from xinwen.hanzi.variants import DEFAULT_VARIANT, SIMPLIFIED, VARIANTS

__all__ = ["variant_text", "variant_html", "reader_script", "GlossaryState", "convert_ahead_many",
           "forget_ahead", "prefetch_ahead"]

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
        # What prefetch_ahead found for this request (rows converted ahead, bodies in the shared
        # cache): digest -> text, None where nothing exists, so nothing is looked up twice.
        self.ahead: dict[str, str | None] = {}

    def get(self) -> tuple[tuple, Glossary]:
        if self._value is None:
            self._value = self._loader() if self._loader else ((), EMPTY_GLOSSARY)
        return self._value


NO_GLOSSARY = GlossaryState()


def reader_script(request) -> tuple[str, GlossaryState]:
    """(script code, glossary) of a request, as hanzi.middleware set them; the default script without it."""
    variant = getattr(request, "variant", DEFAULT_VARIANT)
    return variant.code, getattr(request, "glossary", NO_GLOSSARY)


def _digest(key: tuple) -> str:
    return hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()


def _stored(digest: str) -> str | None:
    """The body converted ahead under this key, if any (one indexed read)."""
    return _ahead_rows([digest]).get(digest)


def _remember(key: tuple, compute, *, stored: bool = False, glossary: GlossaryState = NO_GLOSSARY) -> str:
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
    digest = _digest(key)
    shared_key = "hanzi:" + digest
    if stored and digest in glossary.ahead:  # the page read its row or the shared cache already
        value = glossary.ahead[digest]
        if value is None:
            value = compute()
            cache.set(shared_key, value, CACHE_SECONDS)
        return value
    value = cache.get(shared_key)
    if value is None:
        value = (_stored(digest) if stored else None) or compute()
        cache.set(shared_key, value, CACHE_SECONDS)
    return value


def variant_text(text: str, variant: str, *, source: str | None = None, glossary: GlossaryState = NO_GLOSSARY) -> str:
    """Plain text (a title, a name) in the reader's script."""
    if not text:
        return text or ""
    version, terms = glossary.get()
    if _as_written(variant, source, terms):
        return text  # the common case costs nothing
    key = _text_key(text, variant, source, version)

    def compute() -> str:
        found = glossary.ahead.get(_digest(key)) if glossary.ahead else None
        return found or convert(text, variant, source=source, glossary=terms)

    return _remember(key, compute)


def _text_key(text: str, variant: str, source: str | None, version: tuple) -> tuple:
    """What a converted title or name depends on: the key of the worker's memory and of its rows converted ahead."""
    return ("t", variant, source, version, text)


def _as_written(variant: str, source: str | None, terms: Glossary) -> bool:
    """Whether text in `source` needs nothing to be shown in `variant` (no script change, no glossary)."""
    return variant == SIMPLIFIED and source == SIMPLIFIED and terms is EMPTY_GLOSSARY


def _html_key(html: str, variant: str, source: str | None, ruby: bool, version: tuple) -> tuple:
    """What a converted body depends on: the key of the shared cache and of its rows converted ahead."""
    return ("h", variant, source, ruby, version, html)


def variant_html(
    html: str,
    variant: str,
    *,
    source: str | None = None,
    ruby: bool = False,
    glossary: GlossaryState = NO_GLOSSARY,
    ahead: bool = False,
) -> str:
    """Sanitised body HTML in the reader's script, optionally with pinyin <ruby> annotations.

    `ahead`: the text is a public body that may have been converted ahead (one read of its row).
    """
    if not html:
        return html or ""
    version, terms = glossary.get()
    if _as_written(variant, source, terms) and not ruby:
        return html
    key = _html_key(html, variant, source, ruby, version)

    def compute() -> str:
        converted = convert_html(html, variant, source=source, glossary=terms)
        return ruby_html(converted) if ruby else converted

    # Only the plain reading (no pinyin) is converted ahead.
    return _remember(key, compute, stored=ahead and not ruby, glossary=glossary)


def prefetch_ahead(glossary: GlossaryState, variant: str, *, texts: Iterable[tuple[str, str | None]] = (),
                   bodies: Iterable[tuple[str, str | None]] = ()) -> int:  # fmt: skip
    """Read in one query the rows converted ahead that a page will need; the rows found.

    `texts`: (text, source script) of the titles and names it shows, of which only those this
    worker has not converted yet are asked for; `bodies`: (html, source) of the bodies it shows
    in plain reading, unless the shared cache holds them. variant_text and variant_html then
    find them on `glossary` instead of running OpenCC or reading a row each.
    """
    if glossary is NO_GLOSSARY:  # shared by every request without a script: it must never hold one page's rows
        return 0
    version, terms = glossary.get()
    wanted: dict[str, None] = {}
    bodies_wanted = set()
    for text, source in texts:
        if text and len(text) < SHARED_CACHE_MIN_LENGTH and not _as_written(variant, source, terms):
            key = _text_key(text, variant, source, version)
            if key not in _local:
                wanted[_digest(key)] = None
    for html, source in bodies:  # a short one lives in the worker's memory with the titles, never in rows
        if len(html or "") >= SHARED_CACHE_MIN_LENGTH and not _as_written(variant, source, terms):
            digest = _digest(_html_key(html, variant, source, False, version))
            cached = cache.get("hanzi:" + digest)
            if cached is None:
                wanted[digest] = None
                bodies_wanted.add(digest)
            else:
                glossary.ahead[digest] = cached
    if not wanted:
        return 0
    found = _ahead_rows(list(wanted))
    for digest in bodies_wanted & found.keys():  # as a row read by variant_html would be: shared with the other workers
        cache.set("hanzi:" + digest, found[digest], CACHE_SECONDS)
    glossary.ahead.update({**wanted, **found})
    return len(found)


def _ahead_rows(digests: list[str]) -> dict[str, str]:
    """digest → text of the rows converted ahead under these digests: one row read per digest.

    Each owner keeps its own rows, so a short text many articles share (a source's name, an
    author) has a row per article: `digest IN (...)` read all of them, thousands per page
    on a site of 10,000 articles. Each digest's text is the same in every row.
    """
    from xinwen.hanzi.models import ConvertedText

    one = f"SELECT CAST(%s AS TEXT), (SELECT text FROM {ConvertedText._meta.db_table} WHERE digest = %s LIMIT 1)"
    found: dict[str, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(digests), _AHEAD_CHUNK):
            chunk = digests[start : start + _AHEAD_CHUNK]
            cursor.execute(" UNION ALL ".join([one] * len(chunk)), [value for digest in chunk for value in (digest, digest)])
            found.update((digest, text) for digest, text in cursor.fetchall() if text is not None)
    return found


_AHEAD_CHUNK = 250  # SQLite joins at most 500 SELECTs with UNION ALL (SQLITE_MAX_COMPOUND_SELECT)


def convert_ahead_many(items: Iterable[tuple[str, str, str | None, Iterable[str]]], *, glossary: GlossaryState) -> int:
    """Store each owner's `html` and short `texts` (title, names, descriptions, in the same source script)
    converted into every script that differs from it, replacing the owners' earlier rows.

    The rows carry exactly the keys `variant_html` and `variant_text` look up, so a reader's
    first visit finds them. One transaction, one delete and one insert for all the items
    (an import's batch of a hundred articles was a hundred transactions of their own).
    Returns the number of bodies stored (one per script that differs from each source).
    """
    from xinwen.hanzi.models import ConvertedText

    version, terms = glossary.get()
    owners, rows, stored = [], [], 0
    items = list(items)
    with bulk_conversion() if len(items) > BULK_ITEMS else nullcontext():  # an import's batch: the library converts
        for owner, html, source, texts in items:
            owners.append(owner)
            codes = [code for code in VARIANTS if not _as_written(code, source, terms)]
            bodies = [
                ConvertedText(
                    digest=_digest(_html_key(html, code, source, False, version)),
                    owner=owner,
                    variant=code,
                    text=convert_html(html, code, source=source, glossary=terms),
                )
                for code in codes
                if html
            ]
            stored += len(bodies)
            short = list(dict.fromkeys(t for t in texts if t and len(t) < SHARED_CACHE_MIN_LENGTH))
            rows += bodies + [
                ConvertedText(digest=_digest(_text_key(text, code, source, version)), owner=owner, variant=code,
                              text=convert(text, code, source=source, glossary=terms))  # fmt: skip
                for code in codes
                for text in short
            ]
    if not owners:
        return 0
    with transaction.atomic():
        ConvertedText.objects.filter(owner__in=owners).delete()
        ConvertedText.objects.bulk_create(rows)
    return stored


def forget_ahead(owners: Iterable[str]) -> int:
    """Drop these owners' stored conversions (articles no longer public), in one statement; the number dropped."""
    from xinwen.hanzi.models import ConvertedText

    owners = list(owners)
    return ConvertedText.objects.filter(owner__in=owners).delete()[0] if owners else 0
