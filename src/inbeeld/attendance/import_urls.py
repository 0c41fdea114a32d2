from django.urls import path

from inbeeld.attendance import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.import_page, name="page"),
    path("<int:pk>/", import_views.import_report, name="report"),
]
