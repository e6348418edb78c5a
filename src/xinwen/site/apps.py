from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition app: the demo news center, on top of every other app (`xinwen serve` is xinwen.serving's)."""

    name = "xinwen.site"
    label = "xinwen_site"
    verbose_name = "站点"
