from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "inbeeld.cases"
    label = "cases"
