from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xinwen.search"
    label = "search"
    verbose_name = "全文搜索"

    def ready(self):
        from xinwen.news import changes
        from xinwen.search import checks, services  # noqa: F401  (checks registers itself)

        # After each commit of the write path: publish, schedule, edit, unpublish, archive, delete, rollback, import.
        changes.subscribe(
            "search: keep the index of published articles",
            article=services.article_index_sync,
            category=services.category_index_sync,
            many={"article": services.articles_index_sync},  # an import's batch: one index write
        )
