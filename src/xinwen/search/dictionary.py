"""The segmenter with the site's dictionary, rebuilt in each process only when the dictionary changes."""

from __future__ import annotations

from threading import Lock

from django.db.models import Count, Max

from xinwen.hanzi.segment import Segmenter
from xinwen.search.models import SearchTerm

__all__ = ["dictionary_version", "current_segmenter"]

_lock = Lock()
_built: dict[tuple, Segmenter] = {}


def dictionary_version() -> tuple:
    """Changes whenever a term is added, edited or deleted (one small aggregate query)."""
    row = SearchTerm.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (row["n"], row["latest"].isoformat() if row["latest"] else "")


def current_segmenter() -> Segmenter:
    """jieba with the site's terms, as of now; index and query time use the same one."""
    version = dictionary_version()
    segmenter = _built.get(version)
    if segmenter is None:
        with _lock:
            segmenter = _built.get(version)
            if segmenter is None:
                segmenter = Segmenter(SearchTerm.objects.values_list("term", flat=True))
                _built.clear()
                _built[version] = segmenter
    return segmenter
