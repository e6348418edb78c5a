"""Search results in the reader's script with the matched words marked: {% search_title %}, {% search_snippet %}."""

from __future__ import annotations

from functools import lru_cache

from django import template

from xinwen.hanzi.convert import convert
from xinwen.hanzi.render import NO_GLOSSARY, variant_text
from xinwen.hanzi.variants import DEFAULT_VARIANT, SIMPLIFIED
from xinwen.search import highlight
from xinwen.search.documents import html_text
from xinwen.search.query import Query

register = template.Library()


@lru_cache(maxsize=256)
def _pattern(query: Query, variant: str):
    to_reader = None if variant == SIMPLIFIED else (lambda text: convert(text, variant, source=SIMPLIFIED))
    return highlight.pattern_for(query.terms(), to_reader)


def _reader(context):
    request = context.get("request")
    return getattr(request, "variant", DEFAULT_VARIANT).code, getattr(request, "glossary", NO_GLOSSARY)


@register.simple_tag(takes_context=True)
def search_title(context, article, query):
    """The article's title in the reader's script, matches marked."""
    code, glossary = _reader(context)
    title = variant_text(article.title, code, source=article.source_script, glossary=glossary)
    return highlight.highlight(title, _pattern(query, code))


@register.simple_tag(takes_context=True)
def search_snippet(context, article, query):
    """The part of the body (or summary) that shows most of the matches, in the reader's script."""
    code, glossary = _reader(context)
    pattern = _pattern(query, code)
    texts = [article.summary, html_text(article.body)]
    shown = [variant_text(text, code, source=article.source_script, glossary=glossary) for text in texts if text]
    if not shown:
        return ""
    # The body unless only the summary has a match.
    best = max(reversed(shown), key=lambda text: bool(highlight.find(text, pattern)))
    return highlight.snippet(best, pattern)
