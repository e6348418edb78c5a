"""Reads for script variants: the current glossary, built once per version."""

from __future__ import annotations

from django.db.models import Count, Max

from xinwen.hanzi.convert import BUILTIN_TERMS, EMPTY_GLOSSARY, Glossary
from xinwen.hanzi.models import GlossaryTerm

__all__ = ["glossary_version", "current_glossary"]

_built: dict[tuple, Glossary] = {}


def glossary_version() -> tuple:
    """Changes whenever a term is added, edited or deleted (one small aggregate query)."""
    row = GlossaryTerm.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (row["n"], row["latest"].isoformat() if row["latest"] else "")


def current_glossary(version: tuple | None = None) -> tuple[tuple, Glossary]:
    """(version, Glossary): every process rebuilds the glossary only when the version moves."""
    version = version or glossary_version()
    glossary = _built.get(version)
    if glossary is None:
        terms = {term.term: term.targets() for term in GlossaryTerm.objects.all()}
        glossary = Glossary.build({**BUILTIN_TERMS, **terms}) if terms else EMPTY_GLOSSARY
        _built.clear()
        _built[version] = glossary
    return version, glossary
