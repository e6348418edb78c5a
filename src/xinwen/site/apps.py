from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition app: the demo news center and the production server command, on top of every other app."""

    name = "xinwen.site"
    label = "xinwen_site"
    verbose_name = "站点"
