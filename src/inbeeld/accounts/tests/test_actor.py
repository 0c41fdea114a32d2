"""Who acts: the actor combines a user's roles at one organisation; with two organisations the user
must choose, and only an organisation they work for can be chosen."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from inbeeld.accounts.middleware import SESSION_KEY
from inbeeld.accounts.middleware import actor_for as actor_from_request
from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
)


def _request(user, chosen=None):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    request.user = user
    request.session = SessionStore()
    if chosen is not None:
        request.session[SESSION_KEY] = chosen
    return request


def _gemeente_and_school():
    """A leerplichtambtenaar of a gemeente who is also zorgcoördinator at school De Linde: the
    gemeente, the school and the first membership."""
    gemeente = OrganisationFactory()
    school = OrganisationFactory(type=OrganisationType.SCHOOL, code="12AB00", name="De Linde")
    first = MembershipFactory(organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR)
    MembershipFactory(user=first.user, organisation=school, role=Role.SCHOOL_ZORGCOORDINATOR)
    return gemeente, school, first


@pytest.mark.django_db
def test_actor_combines_two_roles_at_one_organisation():
    gemeente = OrganisationFactory()
    first = MembershipFactory(organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR)
    MembershipFactory(user=first.user, organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER)

    actor = actor_for(first)

    assert actor.roles == ("functioneel_beheerder", "leerplichtambtenaar")
    assert actor.can(Permission.VIEW_STUDENT)  # from leerplichtambtenaar
    assert actor.can(Permission.MANAGE_ORGANISATION)  # from functioneel_beheerder
    assert actor.can(Permission.RUN_DETECTION)
    assert actor.can(Permission.IMPORT_DATA)  # from functioneel_beheerder
    assert actor.can(Permission.HANDLE_MELDING)  # from leerplichtambtenaar


@pytest.mark.django_db
def test_inactive_role_gives_nothing():
    gemeente = OrganisationFactory()
    first = MembershipFactory(organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR)
    MembershipFactory(
        user=first.user, organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER, active=False
    )
    actor = actor_from_request(_request(first.user))
    assert actor.roles == ("leerplichtambtenaar",)
    assert not actor.can(Permission.MANAGE_ORGANISATION)


@pytest.mark.django_db
def test_one_organisation_acts_for_it_without_choosing():
    membership = MembershipFactory()
    actor = actor_from_request(_request(membership.user))
    assert actor.organisation == membership.organisation
    assert actor.ip == "198.51.100.7"


@pytest.mark.django_db
def test_two_organisations_must_choose_then_act_for_the_chosen_one():
    gemeente, school, first = _gemeente_and_school()

    assert actor_from_request(_request(first.user)) is None

    chosen = actor_from_request(_request(first.user, chosen=school.pk))
    assert chosen.organisation == school
    assert chosen.roles == ("school_zorgcoordinator",)
    assert not chosen.can(Permission.VIEW_ACCESS_HISTORY)  # a leerplicht permission, not here

    chosen = actor_from_request(_request(first.user, chosen=gemeente.pk))
    assert chosen.organisation == gemeente
    assert chosen.roles == ("leerplichtambtenaar",)


@pytest.mark.django_db
def test_tampered_session_for_a_foreign_organisation_gives_no_actor():
    _gemeente, _school, first = _gemeente_and_school()
    foreign = OrganisationFactory(name="Andere gemeente")
    MembershipFactory(organisation=foreign)  # someone else's organisation

    assert actor_from_request(_request(first.user, chosen=foreign.pk)) is None
    assert actor_from_request(_request(first.user, chosen="not-a-number")) is None


@pytest.mark.django_db
def test_revoked_membership_of_chosen_organisation_gives_no_actor():
    gemeente, _school, first = _gemeente_and_school()
    other = OrganisationFactory(name="Derde")
    MembershipFactory(user=first.user, organisation=other)
    first.active = False
    first.save()
    assert actor_from_request(_request(first.user, chosen=gemeente.pk)) is None


@pytest.mark.django_db
def test_choosing_through_the_page(client):
    _gemeente, school, first = _gemeente_and_school()
    foreign = OrganisationFactory(name="Andere gemeente")
    client.force_login(first.user)

    page = client.get("/accounts/organisatie/")
    assert "De Linde" in page.content.decode()
    assert "Andere gemeente" not in page.content.decode()

    refused = client.post("/accounts/organisatie/", {"organisation": foreign.pk})
    assert refused.status_code == 400
    assert "Kies een organisatie waarvoor u werkt" in refused.content.decode()
    assert SESSION_KEY not in client.session

    response = client.post("/accounts/organisatie/", {"organisation": school.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == school.pk


@pytest.mark.django_db
def test_user_without_organisation_has_no_actor():
    user = UserFactory()
    assert actor_from_request(_request(user)) is None
