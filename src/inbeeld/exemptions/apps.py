from django.apps import AppConfig


class ExemptionsConfig(AppConfig):
    name = "inbeeld.exemptions"
    label = "exemptions"
