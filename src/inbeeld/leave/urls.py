"""URLs of the leave app (/verlof/)."""

from django.urls import path

from inbeeld.leave import public_views, views

app_name = "leave"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.new, name="new"),
    path("beoordeling/", views.assessment, name="assessment"),
    path("leerlingen/", views.pupil_search, name="pupil_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/beslissen/", views.decide, name="decide"),
    # parents online (issue 11 §8): the public form and its receipt, for anyone with the link
    path("aanvragen/<str:token>/", public_views.public_form, name="public_form"),
    path("aanvragen/<str:token>/ontvangen/", public_views.public_receipt, name="public_receipt"),
    # … and the school's side: its link, what came in, linking or refusing, the statement
    path("online/", public_views.online_index, name="online_index"),
    path("online/link/", public_views.online_link, name="online_link"),
    path("online/<int:pk>/", public_views.online_detail, name="online_detail"),
    path("online/<int:pk>/koppelen/", public_views.online_link_pupil, name="online_link_pupil"),
    path("online/<int:pk>/weigeren/", public_views.online_refuse, name="online_refuse"),
    path("online/<int:pk>/verklaring/", public_views.online_statement, name="online_statement"),
]
