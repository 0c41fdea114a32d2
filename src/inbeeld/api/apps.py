from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inbeeld.api"
    label = "api"
