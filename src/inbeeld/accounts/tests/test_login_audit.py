"""Logging in, a failed login, logging out and choosing an organisation are in the audit trail
with who, for which organisation, when, what and from where."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from inbeeld.audit.models import AuditEvent

IP = "203.0.113.9"


@pytest.mark.django_db
def test_login_is_audited_with_user_organisation_time_and_ip(client):
    membership = MembershipFactory()
    before = timezone.now()
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert event.user == membership.user
    assert event.username == membership.user.username
    assert event.organisation == membership.organisation
    assert event.ip == IP
    assert event.at >= before


@pytest.mark.django_db
def test_login_with_two_organisations_records_no_organisation_until_chosen(client):
    gemeente = OrganisationFactory()
    school = OrganisationFactory(type=OrganisationType.SCHOOL, code="12AB00", name="De Linde")
    membership = MembershipFactory(organisation=gemeente)
    MembershipFactory(user=membership.user, organisation=school, role=Role.SCHOOL_ZORGCOORDINATOR)
    client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert AuditEvent.objects.get(action="login").organisation is None

    client.post(
        reverse("accounts:choose_organisation"), {"organisation": school.pk}, REMOTE_ADDR=IP
    )
    event = AuditEvent.objects.get(action="choose_organisation")
    assert (event.user, event.organisation, event.ip) == (membership.user, school, IP)
    assert event.object_type == "accounts.Organisation"
    assert event.object_id == str(school.pk)


@pytest.mark.django_db
def test_failed_login_is_audited_with_the_name_tried(client):
    membership = MembershipFactory()
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.username, "password": "fout-wachtwoord"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.user, event.username, event.ip) == (membership.user, membership.user.username, IP)

    client.post(reverse("accounts:login"), {"username": "niemand", "password": "x"}, REMOTE_ADDR=IP)
    unknown = AuditEvent.objects.filter(action="login_failed").order_by("-id").first()
    assert (unknown.user, unknown.username) == (None, "niemand")
    assert not AuditEvent.objects.filter(action="login").exists()


@pytest.mark.django_db
def test_logout_is_audited_and_ends_the_session(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="logout")
    assert (event.user, event.organisation, event.ip) == (
        membership.user,
        membership.organisation,
        IP,
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_by_get_is_refused_and_not_audited(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert not AuditEvent.objects.filter(action="logout").exists()
