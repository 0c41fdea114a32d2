"""Passkeys (django-otp-webauthn) as a second factor: the relying party is the domain Inbeeld is
served from, unless ``INBEELD_WEBAUTHN_RP_ID`` names it (WebAuthn needs a domain name, so a
development server is reached at localhost, not 127.0.0.1)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from inbeeld.accounts import login_services
from inbeeld.accounts.client_ip import client_ip


def relying_party_id(request: HttpRequest) -> str:
    configured = getattr(settings, "OTP_WEBAUTHN_RP_ID", "")
    if configured:
        return configured
    return request.get_host().rsplit(":", 1)[0] if request.get_host() else "localhost"


class PasskeyRegistrationComplete(CompleteCredentialRegistrationView):
    """django-otp-webauthn's registration (it refuses a user who has a second factor and has not
    passed the second step), audited."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.filter(
            user=self.request.user, pk=json.loads(response.content)["id"]
        ).first()
        if device is not None:
            login_services.passkey_registered_record(
                user=self.request.user, device=device, ip=client_ip(self.request)
            )
        return response


class PasskeyAuthenticationComplete(CompleteCredentialAuthenticationView):
    """The login's second step with a passkey, audited like a code."""

    def complete_auth(self, device):
        super().complete_auth(device)
        login_services.second_factor_verified_record(
            user=device.user, device=device, ip=client_ip(self.request)
        )
