"""URLs of the exemptions app."""

from django.urls import path  # noqa: F401

app_name = "exemptions"
urlpatterns: list = []
