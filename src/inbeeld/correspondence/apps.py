from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "inbeeld.correspondence"
    label = "correspondence"
