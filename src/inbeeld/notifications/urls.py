"""URLs of the notifications app."""

from django.urls import path

from inbeeld.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("instellingen/", views.settings_view, name="settings"),
]
