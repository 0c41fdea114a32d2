"""Logging in with a second factor in a real browser (issue 9, finding 8 and the idle timeout of
finding 10): setting up the authenticator app and logging in with its code, a passkey through
Chromium's virtual authenticator, the lockout, a password reset by e-mail and the idle timeout;
each page without WCAG 2.1 A/AA violations found by axe-core."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import AuditEvent
from tests import build
from tests.build import PASSWORD
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "paars-fietsrek-onder-water"


@pytest.fixture
def leerplicht() -> User:
    gemeente = build.gemeente("Gemeente Utrecht", "GM0344")
    return build.person(
        gemeente,
        Role.LEERPLICHTAMBTENAAR,
        "leerplicht",
        last_name="de Vries",
        email="fleur@example.nl",
    ).user


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()


def _to_the_second_step(page, axe) -> None:
    """Log in as leerplicht on the login page: its second step asks for the second factor."""
    page.get_by_label("Gebruikersnaam").fill("leerplicht")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen: tweede stap")
    axe.assert_clean(page)


def test_setting_up_the_authenticator_app_and_logging_in_with_its_code(
    page, log_in, axe, leerplicht
):
    log_in(page, "leerplicht", PASSWORD, second_factor=False)
    # a role that sees children: the second factor first
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor")
    expect(page.get_by_test_id("second-factor-required")).to_be_visible()
    axe.assert_clean(page)
    page.get_by_role("button", name="Authenticator-app instellen").click()
    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    # the SVG loads (visible comes before loaded: wait for the image itself)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    key = page.get_by_test_id("totp-key").inner_text()
    device = TOTPDevice.objects.get(user=leerplicht, confirmed=False)
    assert base64.b32decode(key) == device.bin_key
    axe.assert_clean(page)
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    recovery_codes = codes.all_inner_texts()
    axe.assert_clean(page)
    page.get_by_role("link", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    _log_out(page)

    # the next login asks for the code
    _to_the_second_step(page, axe)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    axe.assert_clean(page)
    page.wait_for_timeout(1500)  # django-otp slows down guessing: a second try waits a moment
    page.get_by_label("Code").fill(recovery_codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")


def test_registering_a_passkey_and_logging_in_with_it(
    page, browser, log_in, axe, leerplicht, settings, live_server
):
    assert live_server.url.startswith("http://localhost:")  # WebAuthn needs a domain name
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, "leerplicht", PASSWORD, second_factor=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor")
    page.get_by_role("button", name="Passkey toevoegen").click()
    expect(page.locator("#passkey-register-status-message")).to_have_attribute(
        "data-status-enum", "success"
    )
    assert WebAuthnCredential.objects.filter(user=leerplicht, confirmed=True).count() == 1
    page.reload()
    axe.assert_clean(page)
    _log_out(page)

    _to_the_second_step(page, axe)
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestigen met uw passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    assert errors == []
    assert AuditEvent.objects.filter(
        user=leerplicht, action="login", detail__device="WebAuthnCredential"
    ).exists()
    assert AuditEvent.objects.filter(user=leerplicht, detail__second_factor="passkey").exists()


def test_too_many_wrong_passwords_lock_the_login(page, app_url, axe, leerplicht, settings):
    page.goto(app_url("accounts:login"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Gebruikersnaam").fill("leerplicht")
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord-123")
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("leerplicht")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text("15 minuten geblokkeerd")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    axe.assert_clean(page)


def test_a_forgotten_password_is_reset_by_e_mail(
    page, app_url, axe, log_in, leerplicht, settings, live_server
):
    settings.INBEELD_BASE_URL = live_server.url
    page.goto(app_url("accounts:login"))
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    axe.assert_clean(page)
    page.get_by_label("E-mailadres").fill("fleur@example.nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Link versturen").click()
    expect(page.get_by_test_id("reset-sent")).to_be_visible()
    axe.assert_clean(page)
    assert len(mail.outbox) == 1
    link = re.search(r"http://localhost:\d+/\S+", mail.outbox[0].body)[0]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord kiezen")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("groningen1")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("groningen1")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("bekend woord (groningen)")
    axe.assert_clean(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_test_id("reset-complete")).to_be_visible()
    axe.assert_clean(page)
    log_in(page, "leerplicht", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")


def test_after_30_minutes_without_a_request_the_next_one_goes_to_the_login(
    page, app_url, axe, log_in, leerplicht
):
    log_in(page, "leerplicht", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    # the home page loads parts of itself after "load"; a part still in flight when the clock jumps
    # would be the request that meets the timeout, and the click would race its message cookie
    page.wait_for_load_state("networkidle")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        page.get_by_role("link", name="Zoeken").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("status")).to_contain_text("30 minuten niet actief")
    assert "next=" in page.url
    axe.assert_clean(page)
