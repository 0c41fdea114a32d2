"""URLs of the monitor app."""

from django.urls import path  # noqa: F401

app_name = "monitor"
urlpatterns: list = []
