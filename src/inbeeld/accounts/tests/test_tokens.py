"""Personal API tokens through the page, and the API refusing a revoked one."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from inbeeld.accounts import services
from inbeeld.accounts.models import PersonalToken, Role
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.accounts.tests.factories import READ_STUDENTS, MembershipFactory, actor_for


def _token_authentication():
    """The API's configured PersonalTokenAuthentication (inbeeld.api, read not imported here)."""
    (cls,) = [
        c
        for c in api_settings.DEFAULT_AUTHENTICATION_CLASSES
        if c.__name__ == "PersonalTokenAuthentication"
    ]
    return cls()


def _authenticate(key: str):
    request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {key}")
    return _token_authentication().authenticate(Request(request))


@pytest.mark.django_db
def test_token_works_until_revoked():
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    actor = actor_for(membership)
    token, key = services.personal_token_create(scopes=READ_STUDENTS, actor=actor, name="LAS")

    user, used = _authenticate(key)
    assert user == membership.user
    assert used == token

    services.personal_token_revoke(actor=actor, token=token)
    with pytest.raises(AuthenticationFailed):
        _authenticate(key)


@pytest.mark.django_db
def test_token_of_a_revoked_membership_is_refused():
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    MembershipFactory(organisation=membership.organisation, role=Role.FUNCTIONEEL_BEHEERDER)
    beheerder = actor_for(membership.organisation.memberships.get(role=Role.FUNCTIONEEL_BEHEERDER))
    _, key = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(membership), name="LAS"
    )
    services.membership_revoke(actor=beheerder, membership=membership)
    with pytest.raises(AuthenticationFailed):
        _authenticate(key)


@pytest.mark.django_db
def test_token_page_shows_the_key_once_and_revokes(client):
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    client.force_login(membership.user)
    response = client.post(
        reverse("accounts:tokens"),
        {"name": "Koppeling LAS", "days": "30", "scope_absences": "write", "scope_cases": "read"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = PersonalToken.objects.get()
    assert token.scopes == {"absences": "write", "cases": "read"}
    assert round((token.expires_at - token.created_at) / dt.timedelta(days=1)) == 30
    page = response.content.decode()
    start = page.index('id="new-token" readonly value="') + len('id="new-token" readonly value="')
    key = page[start : page.index('"', start)]
    assert PersonalToken.hash(key) == token.key_hash

    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Koppeling LAS" in listing
    assert key not in listing
    assert "Verzuim: lezen en schrijven" in listing
    assert "Casussen: lezen" in listing
    assert date_format(timezone.localtime(token.expires_at), "j F Y H:i") in listing

    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "ingetrokken op" in client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_token_page_offers_the_default_term_and_refuses_a_longer_one(client, settings):
    settings.INBEELD_API_TOKEN_MAX_DAYS = 100
    client.force_login(MembershipFactory().user)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert 'name="days" value="90"' in page
    assert 'name="scope_students" value="write"' not in page  # students can only be read
    assert 'name="scope_cases" value="write"' in page
    response = client.post(
        reverse("accounts:tokens"), {"name": "LAS", "days": "101", "scope_cases": "read"}
    )
    assert response.status_code == 400
    assert "ten hoogste 100 dagen" in response.content.decode()
    response = client.post(reverse("accounts:tokens"), {"name": "LAS", "days": "10"})
    assert response.status_code == 400
    assert "Kies voor ten minste één soort gegevens" in response.content.decode()
    assert not PersonalToken.objects.exists()


@pytest.mark.django_db
def test_token_page_shows_an_expired_token_as_expired(client):
    membership = MembershipFactory()
    token, _ = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(membership), name="oud"
    )
    PersonalToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    client.force_login(membership.user)
    assert ">vervallen<" in client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_token_page_needs_a_name(client):
    client.force_login(MembershipFactory().user)
    response = client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 400
    assert (
        "Geef het token een naam, bijvoorbeeld het systeem dat het gebruikt."
        in response.content.decode()
    )
    assert not PersonalToken.objects.exists()


@pytest.mark.django_db
def test_someone_elses_token_answers_404(client):
    mine = MembershipFactory()
    other = MembershipFactory(organisation=mine.organisation)
    token, _ = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(other), name="van een ander"
    )
    client.force_login(mine.user)
    assert "van een ander" not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_token_page_needs_use_api(client):
    client.force_login(MembershipFactory(role=Role.BELEIDSMEDEWERKER).user)
    assert client.get(reverse("accounts:tokens")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_api_sleutels_is_in_the_menu_only_for_who_may_use_the_api(client, role):
    """By the permission (USE_API), never by the role's name: the menu offers the token page to
    exactly those whom the page lets in."""
    client.force_login(MembershipFactory(role=role).user)
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert 'data-testid="acting-organisation"' in page  # the menu of someone acting
    may = Permission.USE_API in permissions_of(role)
    assert ("API-sleutels" in page) == may
    assert (client.get(reverse("accounts:tokens")).status_code == 200) == may
