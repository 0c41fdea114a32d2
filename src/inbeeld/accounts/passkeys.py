"""Passkeys (django-otp-webauthn) as a second factor: the relying party is the domain Inbeeld is
served from, unless ``INBEELD_WEBAUTHN_RP_ID`` names it (WebAuthn needs a domain name, so a
development server is reached at localhost, not 127.0.0.1)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def relying_party_id(request: HttpRequest) -> str:
    configured = getattr(settings, "OTP_WEBAUTHN_RP_ID", "")
    if configured:
        return configured
    return request.get_host().rsplit(":", 1)[0] if request.get_host() else "localhost"
