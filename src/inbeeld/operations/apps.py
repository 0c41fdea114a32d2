from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "inbeeld.operations"
    label = "operations"
