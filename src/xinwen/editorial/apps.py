from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "xinwen.editorial"
    label = "editorial"
    verbose_name = "编辑部"
