"""Public URLs of pages, in any script variant and on the public origin.

Feeds, sitemaps, structured data, the API and the Baidu push all print absolute URLs
that must equal the pages' canonical links: SITE_URL when set, else the request's origin.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix

from xinwen.hanzi.context_processors import alternate_paths
from xinwen.hanzi.variants import DEFAULT_VARIANT
from xinwen.routes import reverse

__all__ = ["origin", "absolute", "path_of", "variant_path", "absolute_html"]


def origin(request: HttpRequest | None = None) -> str:
    """scheme://host of the public site, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        raise ValueError("SITE_URL is not set and there is no request to take the origin from")
    return f"{request.scheme}://{request.get_host()}"


def absolute(request: HttpRequest | None, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return origin(request) + path


def path_of(url_name: str, **kwargs) -> str:
    """A route's path in the default script, whatever script prefix this thread is serving."""
    path = reverse(url_name, kwargs=kwargs or None)
    prefix = get_script_prefix()
    return "/" + path[len(prefix) :] if path.startswith(prefix) else path


def variant_path(path: str, variant_code: str = DEFAULT_VARIANT.code) -> str:
    """'/article/1/' read in a variant: '/zh-tw/article/1/'."""
    return alternate_paths(path)[variant_code]


# Sanitised bodies (nh3 output) always quote attributes with double quotes.
_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")(/(?!/))')


def absolute_html(html: str, site_origin: str) -> str:
    """Body HTML for use off the site (feeds, API): site-relative links and images made absolute."""
    return _SITE_RELATIVE.sub(lambda m: m.group(1) + site_origin + "/", html)
