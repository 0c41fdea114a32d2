from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "inbeeld.leave"
    label = "leave"
