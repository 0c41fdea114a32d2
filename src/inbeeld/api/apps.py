from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inbeeld.api"
    label = "api"

    def ready(self) -> None:
        # drf-spectacular extensions (the personal token security scheme) register on import.
        from inbeeld.api import schema  # noqa: F401
