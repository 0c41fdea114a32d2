"""URLs of the leave app (/verlof/)."""

from django.urls import path

from inbeeld.leave import views

app_name = "leave"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.new, name="new"),
    path("beoordeling/", views.assessment, name="assessment"),
    path("leerlingen/", views.pupil_search, name="pupil_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/beslissen/", views.decide, name="decide"),
]
