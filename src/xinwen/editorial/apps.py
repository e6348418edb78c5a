from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "xinwen.editorial"
    label = "editorial"
    verbose_name = "编辑部"

    def ready(self):
        from xinwen.editorial import middleware  # noqa: F401  (the login-time receiver)
