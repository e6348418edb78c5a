from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "xinwen.editorial"
    label = "editorial"
    verbose_name = "编辑部"

    def ready(self):
        from xinwen.editorial import middleware, revisions  # noqa: F401  (middleware: the login-time receiver)

        revisions.register_models()
