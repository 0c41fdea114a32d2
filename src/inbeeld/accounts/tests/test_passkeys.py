"""Passkeys: the relying party comes from the settings (environment) or else the host, and their
registration and use are audited (the ceremony itself runs in the browser test)."""

from django.test import RequestFactory

from inbeeld.accounts.passkeys import relying_party_id


def test_the_relying_party_is_the_host_unless_configured(settings):
    settings.OTP_WEBAUTHN_RP_ID = ""
    request = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    assert relying_party_id(request) == "localhost"
    settings.ALLOWED_HOSTS = ["inbeeld.groningen.nl"]
    request = RequestFactory().get("/", HTTP_HOST="inbeeld.groningen.nl")
    assert relying_party_id(request) == "inbeeld.groningen.nl"
    settings.OTP_WEBAUTHN_RP_ID = "groningen.nl"
    assert relying_party_id(request) == "groningen.nl"
