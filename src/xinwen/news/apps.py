from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "xinwen.news"
    label = "news"
    verbose_name = "新闻"
