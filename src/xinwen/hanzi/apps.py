from django.apps import AppConfig


class HanziConfig(AppConfig):
    name = "xinwen.hanzi"
    label = "hanzi"
    verbose_name = "简繁转换"
