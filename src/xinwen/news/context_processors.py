"""Values every public page needs: the site name and the navigation."""

from django.conf import settings

from xinwen.news.models import Category


def site(request):
    def navigation():
        # Top-level sections: the children of a single root (新闻中心) or the roots themselves.
        roots = [c for c in Category.objects.all() if c.parent_id is None]
        if len(roots) == 1:
            children = list(roots[0].children.all())
            return [roots[0], *children]
        return roots

    return {"site_name": settings.SITE_NAME, "navigation": navigation}
