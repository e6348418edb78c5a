"""Like django.contrib.redirects' fallback: a 404 at an old address becomes a 301 to the imported article.

For old addresses the URL patterns do not route (extension-less paths, /?p=123 on
the home page). Optional: add "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware"
at the end of MIDDLEWARE.
"""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.views.defaults import page_not_found

from xinwen.importer.legacy import is_old_query_address
from xinwen.importer.selectors import article_for_old_url


class LegacyRedirectFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        old_query = request.method in ("GET", "HEAD") and is_old_query_address(request.path, query)
        if old_query:
            # /?p=105 must never answer with the home page and 200: a crawler would index the home page
            # under every old address. Found: 301; unknown: the site's normal 404.
            article = article_for_old_url(request.path, query)
            if article is None:
                return page_not_found(request, Http404("旧网址没有对应的文章"))
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 404:
            article = article_for_old_url(request.path, query)
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response
