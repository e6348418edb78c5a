"""Pick the reader's script from the URL prefix (/zh-hant/, /zh-tw/, /zh-hk/), never from a cookie.

The prefix is stripped from path_info and becomes part of the script prefix, so the
URL resolver sees one set of routes and reverse() yields links in the same script.
The page body depends on the URL alone, which keeps every variant cacheable.
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from xinwen.hanzi.render import GlossaryState
from xinwen.hanzi.selectors import current_glossary
from xinwen.hanzi.variants import DEFAULT_VARIANT, variant_for_prefix

# Back office, uploads, static files and the crawlers' XML sitemaps exist once, not per script
# (the readers' 网站地图 at sitemap/ is a page like any other, in every script).
UNPREFIXED = ("admin/", "media/", "static/", "sitemap.xml", "sitemap-", "robots.txt", "api/")


class ScriptVariantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        variant = DEFAULT_VARIANT
        path = request.path_info
        first, slash, rest = path.lstrip("/").partition("/")
        candidate = variant_for_prefix(first)
        if candidate is not None and not slash:
            # /zh-tw would otherwise serve the home page a second time, beside /zh-tw/.
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        # The script prefix is thread-local state: restored after the response, or the next
        # request on this thread that is not reset by a WSGI handler (the test client,
        # RequestFactory renders of the static build) would get /zh-tw/zh-hk/... links.
        outer_prefix = get_script_prefix()
        if candidate is not None and not rest.startswith(UNPREFIXED):
            variant = candidate
            request.path_info = "/" + rest
            set_script_prefix(outer_prefix + first + "/")
        request.variant = variant
        request.glossary = GlossaryState(current_glossary)
        try:
            with translation.override(variant.catalogue):
                response = self.get_response(request)
        finally:
            set_script_prefix(outer_prefix)
        if not response.has_header("Content-Language"):
            response["Content-Language"] = variant.lang
        return response
