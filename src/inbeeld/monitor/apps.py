from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "inbeeld.monitor"
    label = "monitor"
