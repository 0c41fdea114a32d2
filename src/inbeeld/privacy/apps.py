from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "inbeeld.privacy"
    label = "privacy"
