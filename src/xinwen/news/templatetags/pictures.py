"""{% picture %}: a stored picture (a cover) as `<picture>` with its generated sizes, or a plain `<img>` without them.

The view looks the sizes up once for the whole page (news.pictures.picture_sets) and passes
them as `pictures`; this tag does no query of its own.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from xinwen.news.pictures import picture_html

register = template.Library()


@register.simple_tag(takes_context=True)
def picture(context, image, alt="", sizes="100vw", lazy=True):
    """`image` is a FieldFile (article.cover); `alt` is plain text, escaped here."""
    if not image:
        return ""
    found = (context.get("pictures") or {}).get(image.name)
    if found is not None:
        return mark_safe(picture_html(found, alt=str(alt), sizes=sizes, lazy=bool(lazy)))
    return format_html('<img src="{}" alt="{}"{}>', image.url, alt, mark_safe(' loading="lazy"') if lazy else "")
