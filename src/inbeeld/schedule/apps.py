from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "inbeeld.schedule"
    label = "schedule"
