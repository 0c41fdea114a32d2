from django.urls import path

from inbeeld.people import views

app_name = "people"
urlpatterns = [
    path("vrije-dagen/", views.free_days, name="free_days"),
    path("vrije-dagen/inlezen/", views.free_days_import, name="free_days_import"),
    path("vrije-dagen/<int:pk>/verwijderen/", views.free_day_remove, name="free_day_remove"),
    path("inschrijvingen/<int:pk>/rooster/", views.enrolment_hours, name="enrolment_hours"),
]
