from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "inbeeld.today"
    label = "today"
