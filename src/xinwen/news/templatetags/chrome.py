"""{% chrome %}: the page chrome (header menu, footer) rendered once per worker until a notice changes it.

Every public page repeats the same header and footer; on a page-cache miss rendering
them cost about a third of the template time. What they show depends only on the
category tree, the site settings and the glossary (each kept per worker under a stamp
that the notice path bumps: xinwen/stamps.py), on the reader's script and on the few
values passed as arguments. A kept fragment is reused while the very objects it was
rendered from are still the worker's current ones, so a category, site or glossary
notice renders it again on the next request: no purge to forget, no extra read.

    {% chrome "header" current_slug is_home %}...{% endchrome %}

Anything that depends on the request beyond its arguments (the path, a query) must stay
outside the block.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from xinwen.hanzi.render import NO_GLOSSARY
from xinwen.news.models import SiteSettings
from xinwen.news.tree import CategoryTree

register = template.Library()

_MAX_FRAGMENTS = 512  # names × scripts × arguments (a section slug, a flag): a few dozen in practice
_fragments: dict[tuple, tuple[object, object, tuple, str]] = {}


class ChromeNode(template.Node):
    def __init__(self, name, args, nodelist):
        self.name, self.args, self.nodelist = name, args, nodelist

    def render(self, context):
        request = context.get("request")
        variant = getattr(request, "variant", None)
        version = getattr(request, "glossary", NO_GLOSSARY).get()[0]
        key = (
            self.name.resolve(context),
            getattr(variant, "code", ""),
            get_language(),
            get_script_prefix(),
            *(arg.resolve(context) for arg in self.args),
        )
        tree, settings = CategoryTree.current(), SiteSettings.current()
        kept = _fragments.get(key)
        if kept is not None and kept[0] is tree and kept[1] is settings and kept[2] == version:
            return kept[3]
        html = mark_safe(self.nodelist.render(context))
        if len(_fragments) >= _MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[key] = (tree, settings, version, html)
        return html


@register.tag
def chrome(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% chrome %} needs a name: {% chrome \"header\" arg … %}")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
