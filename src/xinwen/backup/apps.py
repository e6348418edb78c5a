from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "xinwen.backup"
    verbose_name = "备份与恢复"
