"""Beheer (/beheer/): functioneel beheerders, their own organisation only."""

from django.urls import path

from inbeeld.accounts import admin_views

app_name = "beheer"
urlpatterns = [
    path("", admin_views.people, name="index"),
    path("organisatie/", admin_views.organisation_contact, name="organisation_contact"),
    path("personen/nieuw/", admin_views.person_add, name="person_add"),
    path("personen/<int:user_id>/rol/", admin_views.role_grant, name="role_grant"),
    path(
        "personen/<int:user_id>/tweede-factor/herstellen/",
        admin_views.second_factor_reset,
        name="second_factor_reset",
    ),
    path("rollen/<int:pk>/intrekken/", admin_views.membership_revoke, name="membership_revoke"),
    path(
        "aanvragen/<int:pk>/goedkeuren/",
        admin_views.role_request_decide,
        {"decision": "goedkeuren"},
        name="role_request_approve",
    ),
    path(
        "aanvragen/<int:pk>/weigeren/",
        admin_views.role_request_decide,
        {"decision": "weigeren"},
        name="role_request_refuse",
    ),
]
