"""{% inbox_for user as items %}: the 待办 counts on the admin home page (editorial/sections.py)."""

from django import template

from xinwen.editorial.sections import inbox_for

register = template.Library()


@register.simple_tag
def inbox(user):
    return inbox_for(user)
