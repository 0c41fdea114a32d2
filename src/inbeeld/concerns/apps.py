from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "inbeeld.concerns"
    label = "concerns"
