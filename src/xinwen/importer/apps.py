from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "xinwen.importer"
    label = "importer"
    verbose_name = "旧站导入"
