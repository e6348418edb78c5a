from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "xinwen.pagecache"
    label = "pagecache"
    verbose_name = "页面缓存"

    def ready(self):
        from xinwen.news import changes
        from xinwen.pagecache import services

        # With the page cache off these do nothing; `xinwen pagecache_clear` empties a store
        # left from before it was switched off.
        changes.subscribe(
            "pagecache: drop the stored pages that show it",
            article=services.article_pages_purge,
            category=services.pages_purge_all,
            glossary=services.pages_purge_all,
            site=services.pages_purge_all,
            many={"article": services.articles_pages_purge},  # an import's batch: one invalidation
        )
