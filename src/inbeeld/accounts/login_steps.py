"""What stands between a logged-in session and the application (docs/authorization.md, "Inloggen").

- :class:`IdleTimeoutMiddleware`: a session without a request for ``INBEELD_SESSION_IDLE_SECONDS``
  (30 minutes) ends; the next request goes to the login page with a message. The absolute limit
  is ``SESSION_COOKIE_AGE``.
- :class:`LoginStepsMiddleware`: a logged-in user who still has a step to take is sent to it and
  can reach nothing else: the second step of the login (a code or passkey) for a user with a
  second factor, then the change of a password a beheerder set, then setting up a second factor
  when their roles at the acting organisation can see a child. API requests with a personal
  token (``Authorization: Bearer``) are not sent anywhere: DRF checks the token itself.

Both come after AuthenticationMiddleware, OTPMiddleware, ActingOrganisationMiddleware and
MessageMiddleware.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from inbeeld.accounts import login_services
from inbeeld.accounts.client_ip import client_ip

LAST_SEEN_SESSION_KEY = "inbeeld_last_seen"
#: the last-seen time is written at most this often (seconds), not on every request
LAST_SEEN_RESOLUTION = 5

VERIFY = "accounts:second_factor_verify"
CHANGE_PASSWORD = "accounts:password_change"
SET_UP = "accounts:second_factor"

#: views every step may reach: the login page itself, logging out, the language switch
_ALWAYS = {"accounts:login", "accounts:logout", "set_language", "otp_webauthn:js-i18n-catalog"}
#: the views each step may reach besides those
_STEP_VIEWS = {
    VERIFY: {
        VERIFY,
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    },
    CHANGE_PASSWORD: {CHANGE_PASSWORD},
    SET_UP: {
        SET_UP,
        "accounts:second_factor_qr",
        "accounts:choose_organisation",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    },
}


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _problem(status: int, title: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status},
        status=status,
        content_type="application/problem+json",
    )


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.INBEELD_SESSION_IDLE_SECONDS:
                return self._end(request)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest) -> HttpResponse:
        from inbeeld.accounts.services import logout_record

        minutes = max(1, settings.INBEELD_SESSION_IDLE_SECONDS // 60)
        logout_record(actor=None, user=request.user, ip=client_ip(request), idle=True)
        logout(request)
        message = _(
            "U was %(minutes)d minuten niet actief en bent daarom uitgelogd. Log opnieuw in."
        ) % {"minutes": minutes}
        if _is_api(request):
            return _problem(401, message)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


def next_step(request: HttpRequest) -> str | None:
    """The URL name of the step this logged-in user must take first, or None."""
    user = request.user
    verified = user.is_verified()
    if (
        not verified
        and login_services.has_second_factor(user)
        and not login_services.demo_bypass_applies(user)
    ):
        return VERIFY
    if user.must_change_password:
        return CHANGE_PASSWORD
    if not verified and login_services.second_factor_required(getattr(request, "actor", None)):
        return SET_UP
    return None


class LoginStepsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not self._with_token(request):
            step = next_step(request)
            if step is not None and self._view_name(request) not in _ALWAYS | _STEP_VIEWS[step]:
                if _is_api(request):
                    return _problem(
                        403, _("Rond eerst het inloggen af (tweede factor of nieuw wachtwoord).")
                    )
                return HttpResponse(
                    status=302,
                    headers={
                        "Location": resolve_url(step)
                        + "?"
                        + urlencode({"next": request.get_full_path()})
                    },
                )
        return self.get_response(request)

    @staticmethod
    def _with_token(request: HttpRequest) -> bool:
        return _is_api(request) and request.headers.get("Authorization", "").startswith("Bearer ")

    @staticmethod
    def _view_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None
