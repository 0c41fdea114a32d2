"""URLs of the exemptions app (/vrijstellingen/)."""

from django.urls import path

from inbeeld.exemptions import views

app_name = "exemptions"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.new, name="new"),
    path("controle/", views.check, name="check"),
    path("te-verlengen/", views.renewals, name="renewals"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/advies-vragen/", views.ask_advice, name="ask_advice"),
    path("<int:pk>/advies/", views.advise, name="advise"),
    path("<int:pk>/beslissen/", views.decide, name="decide"),
]
