from django.urls import include, path

urlpatterns = [
    path("", include("inbeeld.ui.urls")),
    path("accounts/", include("inbeeld.accounts.urls")),
    path("api/v1/", include("inbeeld.api.urls")),
]
