from django.urls import path

from inbeeld.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("organisatie/", views.choose_organisation, name="choose_organisation"),
    path("tokens/", views.personal_tokens, name="tokens"),
    path("tokens/<int:pk>/intrekken/", views.personal_token_revoke, name="token_revoke"),
]
