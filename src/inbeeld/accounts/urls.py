from django.urls import path

from inbeeld.accounts import login_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("organisatie/", views.choose_organisation, name="choose_organisation"),
    path("tokens/", views.personal_tokens, name="tokens"),
    path("tokens/<int:pk>/intrekken/", views.personal_token_revoke, name="token_revoke"),
    # one's own login: password, second factor, reset by e-mail
    path("wachtwoord/", login_views.password_change, name="password_change"),
    path("tweede-factor/", login_views.second_factor, name="second_factor"),
    path("tweede-factor/qr.svg", login_views.second_factor_qr, name="second_factor_qr"),
    path("tweede-factor/code/", login_views.second_factor_verify, name="second_factor_verify"),
    path("wachtwoord-vergeten/", login_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        login_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        login_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        login_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
