from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "xinwen.publishing"
    label = "publishing"
    verbose_name = "静态发布"

    def ready(self):
        from xinwen.news import changes
        from xinwen.publishing import services

        # Does nothing unless settings.PUBLISH_DIR names a published tree (`xinwen publish --to DIR`).
        changes.subscribe(
            "publishing: rewrite the static files that show it",
            article=services.article_files_update,
            category=services.everything_update,
            glossary=services.everything_update,
            site=services.everything_update,
        )
