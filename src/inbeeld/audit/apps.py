from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inbeeld.audit"
    label = "audit"
