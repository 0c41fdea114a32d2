from django.urls import path

from inbeeld.correspondence import parent_views, views

app_name = "correspondence"
urlpatterns = [
    path("leerling/<int:pk>/", views.log, name="log"),
    path("leerling/<int:pk>/brief/<str:kind>/", views.letter_new, name="letter_new"),
    path("brief/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path(
        "verlof/<int:pk>/besluit-naar-ouder/",
        parent_views.decision_to_parent,
        name="decision_to_parent",
    ),
]
