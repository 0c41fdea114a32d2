from django.apps import AppConfig


class BarriersConfig(AppConfig):
    name = "inbeeld.barriers"
    label = "barriers"
