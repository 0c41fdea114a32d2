from django.urls import path

from inbeeld.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),  # unusual access per user of the own organisation
    path("gebruikers/<int:pk>/", views.user_access, name="user"),
    path("leerlingen/", views.children, name="children"),  # find a child of the scope
    path("leerlingen/<int:pk>/", views.child_access, name="child"),  # who looked, and why
    path("leerlingen/<int:pk>/inzage.<str:fmt>", views.inzage, name="inzage"),  # json or pdf
]
