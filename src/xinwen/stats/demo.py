"""A plausible reading history for the demo site, so the editors' charts have something to show.

Demo articles arrive with imported totals (浏览次数) but no daily figures; without a history
the 浏览统计 dashboard of a fresh demo would be an empty chart. The history is made once,
from a fixed seed, and only where no daily figures exist yet: a real site's counts are
never touched. It does not change Article.view_count, which already includes these views
as part of the imported base.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from xinwen.news.models import Article
from xinwen.stats.models import DailyViews

__all__ = ["demo_history_load"]

WEEKEND = 0.45  # organisation news is read at work


@transaction.atomic
def demo_history_load(*, days: int = 60, today: date | None = None) -> int:
    """Give each published article daily views over the last `days` days, once; returns the rows made."""
    if DailyViews.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(20230424)
    rows = []
    for article in Article.objects.published().only("id", "view_count").order_by("id"):
        # Articles read more in total are read more every day; a day's share never lets the
        # history outgrow the article's total.
        mean = max(article.view_count, 40) / 150
        budget = article.view_count
        for offset in range(days):
            day = today - timedelta(days=offset)
            factor = WEEKEND if day.weekday() >= 5 else 1.0
            views = min(int(rng.gammavariate(2.0, mean / 2.0) * factor), budget)
            budget -= views
            if views:
                rows.append(DailyViews(article_id=article.pk, day=day, views=views))
    DailyViews.objects.bulk_create(rows, batch_size=500)
    return len(rows)
