"""The sitemap index and its sections, and robots.txt.

The index is built here rather than by django.contrib.sitemaps.views.index so that it
lists only sections with URLs (an empty <urlset> is invalid under the sitemaps.org
schema), uses SITE_URL like every canonical link, and carries each section's lastmod.
"""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from xinwen.news import pagetags
from xinwen.feeds import links
from xinwen.feeds.conditional import conditional
from xinwen.feeds.sitemaps import section_sitemap, sitemap_sections
from xinwen.hanzi.variants import VARIANTS

__all__ = ["sitemap_index", "sitemap_section", "robots_txt"]

# Search results are never indexed; the view beacon is not a page at all.
SEARCH_PATH = "/search/"
STATS_PATH = "/stats/"


@require_safe
@conditional
def sitemap_index(request):
    pagetags.tag(request, pagetags.SITEMAP)
    entries = []
    lastmods = []
    for name, section in sitemap_sections().items():
        paginator = section.paginator
        if paginator.count == 0:
            continue
        location = links.absolute(request, links.path_of("feeds:sitemap-section", section=name))
        lastmod = section.get_latest_lastmod()
        if lastmod is not None:
            lastmod = timezone.localtime(lastmod).replace(microsecond=0)
            lastmods.append(lastmod)
        for page in paginator.page_range:
            entries.append(sitemap_views.SitemapIndexItem(location if page == 1 else f"{location}?p={page}", lastmod))
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
    if lastmods:
        response["Last-Modified"] = http_date(max(lastmods).timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
@conditional
def sitemap_section(request, section: str):
    pagetags.tag(request, pagetags.SITEMAP)
    pagetags.uses_query(request, "p")  # Django's sitemap view pages a section with ?p=
    sitemap = section_sitemap(section)
    if sitemap is None:
        raise Http404(f"没有名为「{section}」的站点地图。")
    template = "feeds/sitemap_news.xml" if section == "news" else "sitemap.xml"
    return sitemap_views.sitemap(request, {section: sitemap}, section=section, template_name=template)


@require_safe
@conditional
def robots_txt(request):
    """Crawl everything public; keep the back office, search results and the view beacon out."""
    lines = ["User-agent: *", f"Disallow: {links.path_of('admin:index')}"]
    lines += [f"Disallow: {links.variant_path(path, code)}" for path in (SEARCH_PATH, STATS_PATH) for code in VARIANTS]
    lines += ["", f"Sitemap: {links.absolute(request, links.path_of('feeds:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
