from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xinwen.search"
    label = "search"
    verbose_name = "全文搜索"

    def ready(self):
        from xinwen.news import changes
        from xinwen.search import checks, services  # noqa: F401  (checks registers itself)

        # After each editorial commit: publish, schedule, edit, unpublish, archive, delete, rollback.
        changes.subscribe_articles(services.article_index_sync)
        changes.subscribe_categories(services.category_index_sync)
