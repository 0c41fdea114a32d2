from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "inbeeld.backups"
    label = "backups"
    verbose_name = "Backups"
