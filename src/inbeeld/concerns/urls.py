"""URLs of the concerns app."""

from django.urls import path

from inbeeld.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.index, name="index"),
    path("melden/", views.register, name="register"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<int:pk>/brief/", views.letter, name="letter"),
]
