from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "inbeeld.attendance"
    label = "attendance"
