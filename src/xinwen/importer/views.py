"""Old URLs of imported pages answer with a permanent redirect to the article's new address."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe

from xinwen.importer.selectors import article_for_old_url

__all__ = ["legacy_redirect"]


@require_safe
def legacy_redirect(request: HttpRequest, path: str = "") -> HttpResponsePermanentRedirect:
    """301 to the imported article that lived at this path (and id parameter); 404 when there is none."""
    article = article_for_old_url(request.path, request.META.get("QUERY_STRING", ""))
    if article is None:
        raise Http404  # the site's own "page not found", as for any unknown address
    return HttpResponsePermanentRedirect(article.get_absolute_url())
