"""Values every public page needs: the site settings (name, footer) and the navigation."""

from django.utils.functional import SimpleLazyObject

from xinwen.news.models import SiteSettings
from xinwen.news.tree import CategoryTree


def site(request):
    def navigation():
        # A single root (新闻中心) and its sections, or the roots themselves; kept per worker.
        return CategoryTree.current().navigation()

    # One query for the settings row, only when a template prints from it.
    site_settings = SimpleLazyObject(SiteSettings.current)
    return {
        "site_settings": site_settings,
        "site_name": SimpleLazyObject(lambda: site_settings.name),
        "navigation": navigation,
    }
