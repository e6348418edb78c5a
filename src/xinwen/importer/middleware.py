"""Like django.contrib.redirects' fallback: a 404 at an old address becomes a 301 to the imported article.

For old addresses the URL patterns do not route (extension-less paths, /?p=123 on
the home page). Optional: add "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware"
at the end of MIDDLEWARE.
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from xinwen.importer.selectors import article_for_old_url


class LegacyRedirectFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and (response.status_code == 404 or (request.path == "/" and "p" in request.GET)):
            article = article_for_old_url(request.path, request.GET)
            if article is not None:
                return HttpResponsePermanentRedirect(article.get_absolute_url())
        return response
