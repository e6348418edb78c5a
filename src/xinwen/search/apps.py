from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xinwen.search"
    label = "search"
    verbose_name = "全文搜索"
