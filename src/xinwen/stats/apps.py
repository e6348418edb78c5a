from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "xinwen.stats"
    label = "stats"
    verbose_name = "浏览统计"

    def ready(self):
        from xinwen.news import changes
        from xinwen.stats import services

        # Publishing, unpublishing, rescheduling or deleting changes what may be counted.
        changes.subscribe("stats: forget the counted article's cached public state", article=services.counting_article_forget)
