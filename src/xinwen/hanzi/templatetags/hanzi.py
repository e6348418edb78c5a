"""Template tags that print source text in the reader's script: {% hz %} and {% hz_html %}.

Text goes through Django's autoescaping as usual; {% hz_html %} is for bodies that
were sanitised when saved, and converts their text nodes only.
"""

from django import template
from django.utils.safestring import mark_safe

from xinwen.hanzi.render import reader_script, variant_html, variant_text

register = template.Library()


def _reader(context):
    return reader_script(context.get("request"))


@register.simple_tag(takes_context=True)
def hz(context, text, source=None):
    """Plain text (title, name, summary) in the reader's script; autoescaped."""
    code, glossary = _reader(context)
    return variant_text(str(text or ""), code, source=source or None, glossary=glossary)


@register.simple_tag(takes_context=True)
def hz_html(context, html, source=None, ruby=False):
    """Sanitised body HTML in the reader's script, with <ruby> pinyin when asked."""
    code, glossary = _reader(context)
    return mark_safe(variant_html(str(html or ""), code, source=source or None, ruby=bool(ruby), glossary=glossary))
