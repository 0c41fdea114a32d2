"""Finding 8: no second factor. Now every user whose roles at the acting organisation can see a
child needs one (authenticator app or passkey, with recovery codes); others may enrol; the
beheerder can reset it; demo mode excuses only the demo users."""

import re
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inbeeld.accounts import login_services
from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    actor_for,
)
from inbeeld.audit.models import AuditEvent

pytestmark = pytest.mark.unverified_login


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def log_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Set up the authenticator app through the screens; returns it and the recovery codes."""
    client.post(reverse("accounts:second_factor"), {"action": "start"})
    device = TOTPDevice.objects.get(confirmed=False)
    assert client.get(reverse("accounts:second_factor_qr"))["Content-Type"] == "image/svg+xml"
    response = client.post(
        reverse("accounts:second_factor"), {"action": "confirm", "code": code_for(device)}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def enrolled_and_back(client, user) -> tuple[TOTPDevice, list[str]]:
    """``user`` logs in, sets up the authenticator app (:func:`enrol`), logs out and in again:
    the second step waits now. Returns the device and the recovery codes."""
    log_in(client, user)
    enrolled = enrol(client)
    client.logout()
    log_in(client, user)
    return enrolled


@pytest.mark.django_db
def test_a_role_that_sees_children_must_set_up_a_second_factor_first(client):
    user = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR).user
    log_in(client, user)
    response = client.get(reverse("attendance:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?next=")
    api = client.get("/api/v1/students")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    page = client.get(reverse("accounts:second_factor"))
    assert 'data-testid="second-factor-required"' in page.content.decode()

    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get(reverse("attendance:search")).status_code == 200
    assert AuditEvent.objects.filter(
        action="create", user=user, detail__second_factor="totp"
    ).exists()


@pytest.mark.django_db
def test_a_functioneel_beheerder_needs_a_second_factor_too(client):
    user = MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER).user
    log_in(client, user)
    response = client.get(reverse("beheer:index"))
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?next=")
    enrol(client)
    assert client.get(reverse("beheer:index")).status_code == 200


@pytest.mark.django_db
def test_a_role_without_sight_of_children_may_work_without_and_may_enrol(client):
    user = MembershipFactory(role=Role.BELEIDSMEDEWERKER).user
    log_in(client, user)
    assert client.get(reverse("monitor:dashboard")).status_code == 200
    enrol(client)
    client.logout()
    log_in(client, user)
    # enrolled: the second step is asked now
    response = client.get(reverse("monitor:dashboard"))
    assert response["Location"].startswith(reverse("accounts:second_factor_verify"))


@pytest.mark.django_db
def test_the_login_asks_the_code_and_refuses_a_wrong_one(client):
    user = MembershipFactory().user
    device, _codes = enrolled_and_back(client, user)
    for blocked in (
        reverse("attendance:search"),
        reverse("accounts:second_factor"),  # the password alone cannot replace the factor
        reverse("accounts:tokens"),
        reverse("accounts:password_change"),
    ):
        response = client.get(blocked)
        assert response.status_code == 302, blocked
        assert reverse("accounts:second_factor_verify") in response["Location"], blocked
    assert client.get(reverse("accounts:second_factor_qr")).status_code == 302

    verify = reverse("accounts:second_factor_verify") + "?next=" + reverse("attendance:search")
    wrong = client.post(verify, {"code": "000000"})
    assert wrong.status_code == 400
    assert "Deze code klopt niet" in wrong.content.decode()
    # django-otp slows guessing down: right after a wrong code even the right one waits a moment
    assert client.post(verify, {"code": code_for(device, drift=1)}).status_code == 400
    with time_machine.travel(time.time() + 35):
        response = client.post(
            verify, {"code": code_for(device), "next": reverse("attendance:search")}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:search")
    assert client.get(reverse("attendance:search")).status_code == 200
    steps = AuditEvent.objects.filter(user=user, detail__step="second_factor")
    assert {(e.action, e.detail["device"]) for e in steps} == {
        ("login_failed", ""),
        ("login", "TOTPDevice"),
    }


@pytest.mark.django_db
def test_a_recovery_code_works_once(client):
    user = MembershipFactory().user
    _device, codes = enrolled_and_back(client, user)
    verify = reverse("accounts:second_factor_verify")
    assert client.post(verify, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("attendance:search")).status_code == 200
    client.logout()
    log_in(client, user)
    assert client.post(verify, {"code": codes[0]}).status_code == 400
    assert login_services.recovery_codes_left(user) == 9


@pytest.mark.django_db
def test_recovery_codes_are_renewed_and_the_old_ones_stop_working(client):
    user = MembershipFactory().user
    log_in(client, user)
    _device, old = enrol(client)
    response = client.post(reverse("accounts:second_factor"), {"action": "renew_codes"})
    new = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    # shown once: the page afterwards does not list them
    assert "<li><code>" not in client.get(reverse("accounts:second_factor")).content.decode()


@pytest.mark.django_db
def test_a_wrong_first_code_does_not_confirm_the_device(client):
    user = MembershipFactory().user
    log_in(client, user)
    client.post(reverse("accounts:second_factor"), {"action": "start"})
    response = client.post(
        reverse("accounts:second_factor"), {"action": "confirm", "code": "123456"}
    )
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get(reverse("attendance:search")).status_code == 302


@pytest.mark.django_db
def test_the_qr_code_is_svg_of_the_pending_device_only(client):
    user = MembershipFactory().user
    log_in(client, user)
    assert client.get(reverse("accounts:second_factor_qr")).status_code == 404
    client.post(reverse("accounts:second_factor"), {"action": "start"})
    response = client.get(reverse("accounts:second_factor_qr"))
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_requests_with_a_personal_token_are_not_sent_to_the_second_step(client):
    from inbeeld.accounts import services

    membership = MembershipFactory()
    _token, key = services.personal_token_create(
        actor=actor_for(membership), name="systeem", scopes={"students": "read"}
    )
    response = client.get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_user_with_several_organisations_chooses_first_and_then_enrols(client):
    gemeente = OrganisationFactory()
    school = OrganisationFactory(type=OrganisationType.SCHOOL, code="12AB00", name="De Linde")
    membership = MembershipFactory(organisation=gemeente, role=Role.BELEIDSMEDEWERKER)
    MembershipFactory(user=membership.user, organisation=school, role=Role.SCHOOL_ZORGCOORDINATOR)
    log_in(client, membership.user)
    assert client.get(reverse("accounts:choose_organisation")).status_code == 200
    client.post(reverse("accounts:choose_organisation"), {"organisation": school.pk})
    response = client.get(reverse("attendance:search"))
    assert response["Location"].startswith(reverse("accounts:second_factor"))


@pytest.mark.django_db
def test_the_beheerder_resets_a_second_factor_in_their_own_organisation(client):
    person = MembershipFactory()
    beheerder = MembershipFactory(organisation=person.organisation, role=Role.FUNCTIONEEL_BEHEERDER)
    outsider = MembershipFactory()
    log_in(client, person.user)
    enrol(client)
    client.logout()

    log_in(client, beheerder.user)
    enrol(client)
    url = reverse("beheer:second_factor_reset", args=[person.user.pk])
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("beheer:second_factor_reset", args=[outsider.user.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("beheer:second_factor_reset", args=[outsider.user.pk])).status_code
        == 404
    )
    response = client.post(url)
    assert response.status_code == 302
    assert not login_services.has_second_factor(person.user)
    event = AuditEvent.objects.get(detail__second_factor_reset=True)
    assert (event.user, event.organisation, event.object_id) == (
        beheerder.user,
        beheerder.organisation,
        str(person.user.pk),
    )
    client.logout()
    log_in(client, person.user)
    response = client.get(reverse("attendance:search"))
    assert response["Location"].startswith(reverse("accounts:second_factor") + "?")


@pytest.mark.django_db
def test_the_reset_service_checks_permission_and_organisation():
    from django.core.exceptions import PermissionDenied

    person = MembershipFactory()
    colleague = actor_for(MembershipFactory(organisation=person.organisation))
    other_beheerder = actor_for(MembershipFactory(role=Role.FUNCTIONEEL_BEHEERDER))
    TOTPDevice.objects.create(user=person.user, confirmed=True)
    for actor in (colleague, other_beheerder):
        with pytest.raises(PermissionDenied):
            login_services.second_factor_reset(actor=actor, user=person.user)
    assert login_services.has_second_factor(person.user)


@pytest.mark.django_db
def test_the_demo_bypass_needs_demo_mode_and_a_demo_user(client, settings):
    demo = MembershipFactory(user__username="demo-leerplicht").user
    settings.DEMO_MODE = True
    log_in(client, demo)
    assert client.get(reverse("attendance:search")).status_code == 200
    client.logout()

    other = MembershipFactory(user__username="leerplicht-echt").user
    log_in(client, other)
    assert client.get(reverse("attendance:search")).status_code == 302
    client.logout()

    settings.DEMO_MODE = False
    log_in(client, demo)
    assert client.get(reverse("attendance:search")).status_code == 302


def test_production_settings_refuse_demo_mode(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("INBEELD_DEMO", "true")
    monkeypatch.setenv("INBEELD_DEBUG", "false")
    monkeypatch.setenv("INBEELD_SECRET_KEY", "x" * 50)
    for name in ("inbeeld.conf.settings.production", "inbeeld.conf.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="INBEELD_DEMO"):
        importlib.import_module("inbeeld.conf.settings.production")
    monkeypatch.delitem(sys.modules, "inbeeld.conf.settings.base", raising=False)


@pytest.mark.django_db
def test_incomplete_posts_get_a_clear_400(client):
    user = MembershipFactory().user
    log_in(client, user)
    assert client.post(reverse("accounts:second_factor"), {}).status_code == 400
    assert client.post(reverse("accounts:second_factor"), {"action": "iets"}).status_code == 400
    renew = client.post(reverse("accounts:second_factor"), {"action": "renew_codes"})
    assert renew.status_code == 400
    assert "Stel eerst een authenticator-app of passkey in." in renew.content.decode()
    # the password can be changed only after the second factor is set up
    assert client.post(reverse("accounts:password_change"), {}).status_code == 302
    enrol(client)
    assert client.post(reverse("accounts:password_change"), {}).status_code == 400
    client.logout()
    log_in(client, user)
    empty = client.post(reverse("accounts:second_factor_verify"), {})
    assert empty.status_code == 400
    assert "Vul de code in." in empty.content.decode()
