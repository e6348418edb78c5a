"""Script-variant values for templates: <html lang>, hreflang alternates and the switcher."""

from urllib.parse import urlencode

from django.conf import settings

from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS


def alternate_paths(path_info: str, query: str = "") -> dict[str, str]:
    """The same page in every variant, as absolute paths."""
    tail = path_info.lstrip("/")
    suffix = f"?{query}" if query else ""
    return {
        code: (f"/{variant.prefix}/{tail}" if variant.prefix else f"/{tail}") + suffix
        for code, variant in VARIANTS.items()
    }


def script(request):
    variant = getattr(request, "variant", DEFAULT_VARIANT)
    # Only the page number survives into alternates: other parameters (ruby mode, search) stay out.
    page = request.GET.get("page", "") if hasattr(request, "GET") else ""
    query = urlencode({"page": page}) if page.isascii() and page.isdigit() and page != "1" else ""
    paths = alternate_paths(getattr(request, "path_info", "/"), query)

    def absolute(path: str) -> str:
        # The same origin as the page's canonical link: search engines ignore hreflang
        # alternates that do not point at canonical URLs.
        return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)

    return {
        "variant": variant,
        "html_lang": variant.lang,
        "alternates": [
            {"variant": VARIANTS[code], "path": path, "url": absolute(path), "current": code == variant.code}
            for code, path in paths.items()
        ],
        "default_alternate_url": absolute(paths[DEFAULT_VARIANT.code]),
    }
