from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "inbeeld.people"
    label = "people"
