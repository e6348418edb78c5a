"""Values every public page needs: the site name and the navigation."""

from django.conf import settings

from xinwen.news.tree import CategoryTree


def site(request):
    def navigation():
        # A single root (新闻中心) and its sections, or the roots themselves; kept per worker.
        return CategoryTree.current().navigation()

    return {"site_name": settings.SITE_NAME, "navigation": navigation}
