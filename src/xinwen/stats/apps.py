from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "xinwen.stats"
    label = "stats"
    verbose_name = "浏览统计"
