"""chrome(): the page chrome (header menu, footer) rendered once per worker until a notice changes it.

Every public page repeats the same header and footer; on a page-cache miss rendering
them cost about a third of the template time. What they show depends only on the
category tree, the site settings and the glossary (each kept per worker under a stamp
that the notice path bumps: xinwen/stamps.py), on the reader's script and on the few
values passed as arguments. A kept fragment is reused while the very objects it was
rendered from are still the worker's current ones, so a category, site or glossary
notice renders it again on the next request: no purge to forget, no extra read.

    {% call chrome("header", current_slug, is_home) %}…{% endcall %}

Anything that depends on the request beyond its arguments (the path, a query) must stay
outside the block.
"""

from __future__ import annotations

from django.urls import get_script_prefix
from django.utils.translation import get_language
from jinja2 import pass_context
from markupsafe import Markup

from xinwen.hanzi.render import NO_GLOSSARY
from xinwen.news.models import SiteSettings
from xinwen.news.tree import CategoryTree

_MAX_FRAGMENTS = 512  # names × scripts × arguments (a section slug, a flag): a few dozen in practice
_fragments: dict[tuple, tuple[object, object, tuple, Markup]] = {}


def _page_state(request) -> tuple:
    """(script, language, URL prefix, glossary version, tree, settings): what every fragment of a page is kept under.

    Read once per request (a page has about ten fragments), none of it changes while the page renders.
    """
    state = getattr(request, "_chrome_state", None)
    if state is None:
        state = (
            getattr(getattr(request, "variant", None), "code", ""),
            get_language(),
            get_script_prefix(),
            getattr(request, "glossary", NO_GLOSSARY).get()[0],
            CategoryTree.current(),
            SiteSettings.current(),
        )
        if request is not None:
            request._chrome_state = state
    return state


@pass_context
def chrome(context, name: str, *args, caller) -> Markup:
    """The block's HTML as rendered for these arguments, script and language, while tree, settings and glossary stand."""
    code, language, prefix, version, tree, settings = _page_state(context.get("request"))
    key = (name, code, language, prefix, *args)
    kept = _fragments.get(key)
    if kept is not None and kept[0] is tree and kept[1] is settings and kept[2] == version:
        return kept[3]
    html = Markup(caller())
    if len(_fragments) >= _MAX_FRAGMENTS:
        _fragments.clear()
    _fragments[key] = (tree, settings, version, html)
    return html
