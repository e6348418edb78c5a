from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "xinwen.stats"
    label = "stats"
    verbose_name = "浏览统计"

    def ready(self):
        from xinwen.news.changes import subscribe_articles
        from xinwen.stats.services import article_changed

        # Publishing, unpublishing, rescheduling or deleting changes what may be counted.
        subscribe_articles(article_changed)
