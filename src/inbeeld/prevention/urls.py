"""URLs of the school teams (mounted at /schoolteams/)."""

from django.urls import path

from inbeeld.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("nieuw/", views.team_create, name="create"),
    path("<int:pk>/", views.team_detail, name="team"),
    path("<int:pk>/<slug:what>/", views.team_act, name="team_act"),
    path("lid/<int:pk>/beeindigen/", views.member_end, name="member_end"),
    path("voorstel/<int:pk>/<slug:what>/", views.proposal_decide, name="proposal"),
    path("kind/<int:pk>/", views.entry_detail, name="entry"),
    path("kind/<int:pk>/<slug:what>/", views.entry_act, name="entry_act"),
    path("bespreking/<int:pk>/stap/", views.step_add, name="step"),
    path("casus/<int:pk>/", views.case_history, name="case_history"),
]
