from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "xinwen.pagecache"
    label = "pagecache"
    verbose_name = "页面缓存"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from xinwen.hanzi.models import GlossaryTerm
        from xinwen.news import changes
        from xinwen.pagecache import services

        # (With the page cache off these do nothing; `xinwen pagecache_clear` empties a store
        # left from before it was switched off.)
        changes.subscribe_articles(services.article_pages_purge)
        changes.subscribe_categories(services.category_pages_purge)

        # Glossary terms change through the back office, the shell or an import alike;
        # the model's signals catch every path. The purge waits for the commit.
        def glossary_changed(**kwargs):
            transaction.on_commit(services.pages_purge_all)

        post_save.connect(glossary_changed, sender=GlossaryTerm, weak=False, dispatch_uid="pagecache-glossary-save")
        post_delete.connect(glossary_changed, sender=GlossaryTerm, weak=False, dispatch_uid="pagecache-glossary-delete")
