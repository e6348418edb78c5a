"""The reader's script for everything the feeds app prints: one small object instead of three arguments."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from xinwen.hanzi.render import NO_GLOSSARY, GlossaryState, prefetch_ahead, variant_html, variant_text
from xinwen.hanzi.variants import DEFAULT_VARIANT, Variant

__all__ = ["Reader"]


@dataclass(frozen=True)
class Reader:
    variant: Variant
    glossary: GlossaryState = NO_GLOSSARY

    @classmethod
    def of(cls, request: HttpRequest, variant: Variant | None = None) -> Reader:
        """The request's script (from its URL prefix) unless a variant is asked for explicitly (the API)."""
        return cls(variant or getattr(request, "variant", DEFAULT_VARIANT), getattr(request, "glossary", NO_GLOSSARY))

    def text(self, value: str, source: str | None = None) -> str:
        return variant_text(value or "", self.variant.code, source=source or None, glossary=self.glossary)

    def html(self, value: str, source: str | None = None, *, ahead: bool = False) -> str:
        """`ahead`: a public article's body, which may have been converted ahead (news/ahead.py)."""
        return variant_html(value or "", self.variant.code, source=source or None, glossary=self.glossary, ahead=ahead)

    def prefetch(self, articles) -> int:
        """Read at once what was converted ahead for these articles' titles, authors and bodies; the rows found."""
        return prefetch_ahead(self.glossary, self.variant.code,
                              texts=[(text, a.source_script) for a in articles for text in (a.title, a.author)],
                              bodies=[(a.body, a.source_script) for a in articles if not a.external_url])  # fmt: skip
