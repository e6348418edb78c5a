from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "xinwen.publishing"
    label = "publishing"
    verbose_name = "静态发布"

    def ready(self):
        from xinwen.news import changes
        from xinwen.publishing import worker

        # Does nothing unless settings.PUBLISH_DIR names a published tree (`xinwen publish --to DIR`);
        # the work itself runs in the publishing worker's thread, never in the editor's request.
        changes.subscribe(
            "publishing: rewrite the static files that show it",
            article=worker.article_changed,
            category=worker.site_changed,
            glossary=worker.site_changed,
            site=worker.site_changed,
        )
