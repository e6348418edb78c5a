from django.apps import AppConfig


class ServingConfig(AppConfig):
    """`xinwen serve` and what it loads before forking: installed in every role, the edge's too."""

    name = "xinwen.serving"
    label = "xinwen_serving"
    verbose_name = "服务进程"
