"""{% article_views_chart %} for the admin (the public 热门文章 block calls popular_articles() in Jinja2: xinwen/templating.py)."""

from django import template
from django.urls import reverse

from xinwen.stats import charts, selectors, services

register = template.Library()


@register.inclusion_tag("stats/admin/article_chart.html", takes_context=True)
def article_views_chart(context, article, days: int = 30):
    """The article's views per day and how its total is made up, for its admin change page."""
    services.views_flush_quietly()
    summary = selectors.article_views_summary(article, days=days)
    request = context.get("request")
    can_export = bool(request and request.user.has_perm("stats.view_dailyviews"))
    series = summary["series"]
    return {
        **summary,
        "days": days,
        "chart": charts.column_chart(
            [(f"{day:%m-%d}", views) for day, views in series],
            tooltips=[f"{day:%Y-%m-%d}：{views:,} 次" for day, views in series],
            title=f"近 {days} 天每日浏览量",
            chart_id=f"xw-chart-article-{article.pk}",
            height=180,
        ),
        "dashboard_url": reverse("admin:stats_dailyviews_changelist") if can_export else "",
        "export_url": reverse("admin:stats_dailyviews_export") + f"?days=365&article={article.pk}" if can_export else "",
    }
