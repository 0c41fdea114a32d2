from django.urls import path

from inbeeld.attendance import caseload_views, views

app_name = "attendance"
urlpatterns = [
    path("thuiszitters/", views.home, name="home"),
    path("meldingen/", caseload_views.worklist, name="meldingen"),
    path("meldingen/meerdere/", caseload_views.bulk, name="meldingen_bulk"),
    path("meldingen/werkverdeling/", caseload_views.caseload, name="caseload"),
    path("meldingen/<int:pk>/toewijzen/", caseload_views.assign, name="melding_assign"),
    path("meldingen/<int:pk>/behandelen/", views.melding_transition, name="melding_transition"),
    path("overleg-jeugdarts-leerplicht/", caseload_views.consultation, name="consultation"),
    path("leerling/<int:pk>/", views.student_detail, name="student"),
    path("zoeken/", views.search, name="search"),
    path("detectie/", views.detection, name="detection"),
]
