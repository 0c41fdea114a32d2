from django.urls import path

from inbeeld.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.home, name="home"),
    path("meldingen/<int:pk>/behandelen/", views.melding_transition, name="melding_transition"),
    path("leerling/<int:pk>/", views.student_detail, name="student"),
    path("zoeken/", views.search, name="search"),
    path("detectie/", views.detection, name="detection"),
]
