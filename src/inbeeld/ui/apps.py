from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "inbeeld.ui"
    label = "ui"
