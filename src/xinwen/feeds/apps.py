from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "xinwen.feeds"
    label = "feeds"
    verbose_name = "订阅与站点地图"

    def ready(self):
        from xinwen.feeds import checks, push  # noqa: F401 (checks registers itself)
        from xinwen.news import changes

        changes.subscribe("feeds: queue published articles for Baidu push", article=push.push_article_follow)
