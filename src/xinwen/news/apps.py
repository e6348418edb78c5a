from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "xinwen.news"
    label = "news"
    verbose_name = "新闻"

    def ready(self):
        from xinwen.news import revisions, roles

        revisions.register_models()
        # After every migrate, the role groups hold exactly the permissions news.roles defines.
        post_migrate.connect(roles._after_migrate, sender=self, dispatch_uid="xinwen-roles-sync")
