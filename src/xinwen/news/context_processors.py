"""Values every public page needs: the site name and the navigation."""

from django.conf import settings

from xinwen.news.models import Category


def site(request):
    def navigation():
        # Top-level sections: the children of a single root (新闻中心) or the roots themselves.
        categories = list(Category.objects.all())  # one query, in menu order; trees are small
        roots = [c for c in categories if c.parent_id is None]
        if len(roots) == 1:
            return [roots[0], *(c for c in categories if c.parent_id == roots[0].pk)]
        return roots

    return {"site_name": settings.SITE_NAME, "navigation": navigation}
