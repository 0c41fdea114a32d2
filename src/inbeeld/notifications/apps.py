from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "inbeeld.notifications"
    label = "notifications"
