"""django-otp-webauthn's endpoints (namespace ``otp_webauthn``, which its template tags use), with
the completing steps audited (``accounts.passkeys``)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
)

from inbeeld.accounts.passkeys import PasskeyAuthenticationComplete, PasskeyRegistrationComplete

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registratie/begin/",
        BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registratie/klaar/",
        PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "inloggen/begin/",
        BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "inloggen/klaar/",
        PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
