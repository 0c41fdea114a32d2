"""URLs of the barriers app (mounted at /belemmeringen/): the section of a case page and its
forms."""

from django.urls import path

from inbeeld.barriers import views

app_name = "barriers"
urlpatterns = [
    path("casus/<int:pk>/", views.section, name="section"),
    path("casus/<int:pk>/toevoegen/", views.add, name="add"),
    path("<int:pk>/status/", views.change, name="change"),
]
