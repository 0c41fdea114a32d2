"""URLs of the cases app (mounted at /zaken/)."""

from django.urls import path

from inbeeld.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("openen/", views.case_open, name="open"),
    path("achterstallige-acties/", views.overdue_actions, name="overdue_actions"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/<slug:what>/", views.case_act, name="act"),
]
