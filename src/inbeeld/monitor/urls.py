"""URLs of the monitor app (mounted at /monitor/)."""

from django.urls import path

from inbeeld.monitor import views

app_name = "monitor"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("doelen/", views.targets, name="targets"),
    path("leerplichttelling/<int:year>/", views.telling, name="telling"),
    path(
        "leerplichttelling/<int:year>/exporteren/<str:fmt>/",
        views.telling_export,
        name="telling_export",
    ),
    path("exporten/<int:pk>/download/", views.export_download, name="export_download"),
    path("cijfers-verversen/", views.refresh, name="refresh"),
]
