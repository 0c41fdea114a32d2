from django.urls import path

from inbeeld.today import views

app_name = "today"
urlpatterns = [
    path("", views.index, name="index"),
]
