from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "xinwen.news"
    label = "news"
    verbose_name = "新闻"

    def ready(self):
        from xinwen.hanzi import selectors as glossary
        from xinwen.news import ahead, changes, revisions, roles
        from xinwen.news.models import SiteSettings
        from xinwen.news.tree import CategoryTree

        revisions.register_models()
        # After every migrate, the role groups hold exactly the permissions news.roles defines.
        post_migrate.connect(roles._after_migrate, sender=self, dispatch_uid="xinwen-roles-sync")
        # What every worker keeps for every page: refreshed in all of them after a change.
        changes.subscribe(
            "news: the category tree each worker keeps",
            category=CategoryTree.changed,
        )
        changes.subscribe("news: the site settings each worker keeps", site=SiteSettings.changed)
        changes.subscribe("hanzi: the glossary version each worker keeps", glossary=glossary.glossary_changed)
        # After the version above moved: bodies converted into every script before readers ask.
        changes.subscribe(
            "news: public bodies converted ahead into every script",
            article=ahead.article_changed,
            glossary=ahead.glossary_changed,
            many={"article": ahead.articles_changed},
        )
