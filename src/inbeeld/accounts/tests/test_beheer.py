"""Beheer: a functioneel beheerder manages the people of their own organisation, and sees and
changes nothing of another (404)."""

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Membership, OrganisationType, Role, User
from inbeeld.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from inbeeld.audit.models import AuditEvent


@pytest.fixture
def two_organisations(client):
    gemeente_a = OrganisationFactory(name="Gemeente Aadorp", code="GM0001")
    gemeente_b = OrganisationFactory(name="Gemeente Beedorp", code="GM0002")
    beheerder_a = MembershipFactory(organisation=gemeente_a, role=Role.FUNCTIONEEL_BEHEERDER)
    beheerder_b = MembershipFactory(organisation=gemeente_b, role=Role.FUNCTIONEEL_BEHEERDER)
    alice = MembershipFactory(
        organisation=gemeente_a, user=UserFactory(username="alice", last_name="Aalders")
    )
    bob = MembershipFactory(
        organisation=gemeente_b, user=UserFactory(username="bob", last_name="Bakker")
    )
    client.force_login(beheerder_a.user)
    return {
        "a": gemeente_a,
        "b": gemeente_b,
        "beheerder_b": beheerder_b,
        "alice": alice,
        "bob": bob,
    }


@pytest.mark.django_db
def test_people_list_shows_only_own_organisation(client, two_organisations):
    page = client.get(reverse("beheer:index")).content.decode()
    assert "alice" in page
    assert "Gemeente Aadorp" in page
    assert "bob" not in page
    assert "Gemeente Beedorp" not in page
    assert two_organisations["beheerder_b"].user.username not in page


@pytest.mark.django_db
def test_the_other_organisation_answers_404(client, two_organisations):
    bob = two_organisations["bob"]
    assert client.get(reverse("beheer:role_grant", args=[bob.user.pk])).status_code == 404
    assert (
        client.post(
            reverse("beheer:role_grant", args=[bob.user.pk]), {"role": Role.BELEIDSMEDEWERKER}
        ).status_code
        == 404
    )
    assert client.get(reverse("beheer:membership_revoke", args=[bob.pk])).status_code == 404
    assert client.post(reverse("beheer:membership_revoke", args=[bob.pk])).status_code == 404
    bob.refresh_from_db()
    assert bob.active
    assert bob.user.memberships.count() == 1


@pytest.mark.django_db
def test_a_person_of_both_organisations_shows_only_own_roles(client, two_organisations):
    bob = two_organisations["bob"]
    MembershipFactory(
        user=bob.user, organisation=two_organisations["a"], role=Role.BELEIDSMEDEWERKER
    )
    page = client.get(reverse("beheer:index")).content.decode()
    assert "bob" in page
    assert "leerplichtambtenaar" not in page.split("bob")[1].split("</tr>")[0]
    bob_in_b = reverse("beheer:membership_revoke", args=[bob.pk])
    assert bob_in_b not in page
    assert client.post(bob_in_b).status_code == 404


@pytest.mark.django_db
def test_add_a_person_with_a_role(client, two_organisations):
    response = client.post(
        reverse("beheer:person_add"),
        {
            "username": "carla",
            "first_name": "Carla",
            "last_name": "Cornelissen",
            "email": "carla@example.org",
            "password": PASSWORD,
            "role": Role.BELEIDSMEDEWERKER,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="carla")
    assert (membership.organisation, membership.role) == (
        two_organisations["a"],
        "beleidsmedewerker",
    )
    assert membership.user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(
        object_type="accounts.User", object_id=str(membership.user.pk)
    ).exists()
    assert "carla is toegevoegd" in client.get(reverse("beheer:index")).content.decode()


@pytest.mark.django_db
def test_add_a_person_shows_dutch_errors_on_the_fields(client, two_organisations):
    response = client.post(
        reverse("beheer:person_add"),
        {"username": "alice", "email": "geen-mail", "password": "kort", "role": "koning"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het formulier is nog niet goed ingevuld" in page
    assert "Kies een rol uit de lijst; koning kan hier niet." in page
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl." in page
    assert 'aria-describedby="id_email_error"' in page
    assert 'aria-invalid="true"' in page
    response = client.post(
        reverse("beheer:person_add"),
        {"username": "alice", "password": "kort", "role": Role.LEERPLICHTAMBTENAAR},
    )
    page = response.content.decode()
    assert "De gebruikersnaam alice is al in gebruik." in page
    assert "Het wachtwoord is te kort: gebruik minstens 12 tekens." in page
    assert 'id="id_username_error"' in page
    assert 'id="id_password_error"' in page
    assert User.objects.filter(username="alice").count() == 1


@pytest.mark.django_db
def test_add_offers_only_roles_of_this_kind_of_organisation(client, two_organisations):
    page = client.get(reverse("beheer:person_add")).content.decode()
    assert 'value="leerplichtambtenaar"' in page
    assert 'value="school_zorgcoordinator"' not in page


@pytest.mark.django_db
def test_grant_another_role(client, two_organisations):
    alice = two_organisations["alice"]
    url = reverse("beheer:role_grant", args=[alice.user.pk])
    page = client.get(url).content.decode()
    assert 'value="beleidsmedewerker"' in page
    assert 'value="leerplichtambtenaar"' not in page  # she has it already
    response = client.post(url, {"role": Role.BELEIDSMEDEWERKER})
    assert response.status_code == 302
    assert set(alice.user.memberships.filter(active=True).values_list("role", flat=True)) == {
        "leerplichtambtenaar",
        "beleidsmedewerker",
    }


@pytest.mark.django_db
def test_deactivate_a_membership(client, two_organisations):
    alice = two_organisations["alice"]
    url = reverse("beheer:membership_revoke", args=[alice.pk])
    assert "Rol leerplichtambtenaar van" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    alice.refresh_from_db()
    assert not alice.active
    page = client.get(reverse("beheer:index")).content.decode()
    assert "geen (geen toegang)" in page  # still listed, history kept


@pytest.mark.django_db
def test_the_last_beheerder_is_told_why_not(client, two_organisations):
    own = Membership.objects.get(
        organisation=two_organisations["a"], role=Role.FUNCTIONEEL_BEHEERDER
    )
    response = client.post(reverse("beheer:membership_revoke", args=[own.pk]))
    assert response.status_code == 400
    assert "de laatste functioneel beheerder van Gemeente Aadorp" in response.content.decode()


@pytest.mark.django_db
def test_beheer_needs_the_manage_permission(client):
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    client.force_login(membership.user)
    assert client.get(reverse("beheer:index")).status_code == 403
    assert client.get(reverse("beheer:person_add")).status_code == 403


@pytest.mark.django_db
def test_beheer_asks_to_log_in_or_choose_first(client):
    assert client.get(reverse("beheer:index"))["Location"].startswith(reverse("accounts:login"))
    gemeente = OrganisationFactory()
    school = OrganisationFactory(type=OrganisationType.SCHOOL, code="12AB00", name="De Linde")
    membership = MembershipFactory(organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER)
    MembershipFactory(user=membership.user, organisation=school, role=Role.FUNCTIONEEL_BEHEERDER)
    client.force_login(membership.user)
    response = client.get(reverse("beheer:index"))
    assert response["Location"] == reverse("accounts:choose_organisation")


@pytest.mark.django_db
def test_the_beheerder_sets_the_organisations_contact_details_audited(client, two_organisations):
    url = reverse("beheer:organisation_contact")
    assert url in client.get(reverse("beheer:index")).content.decode()
    response = client.post(
        url,
        {
            "address": " Kreupelstraat 1, 9712 HW Aadorp ",
            "phone": "050 367 89 10",
            "email": "leerplicht@aadorp.example",
        },
    )
    assert response.status_code == 302
    gemeente = two_organisations["a"]
    gemeente.refresh_from_db()
    assert (gemeente.contact_address, gemeente.contact_phone, gemeente.contact_email) == (
        "Kreupelstraat 1, 9712 HW Aadorp",
        "050 367 89 10",
        "leerplicht@aadorp.example",
    )
    event = AuditEvent.objects.get(object_type="accounts.Organisation", action="update")
    assert event.detail["after"]["phone"] == "050 367 89 10"
    assert event.detail["before"]["phone"] == ""
    # the form shows what is set; the other organisation is untouched
    assert "Kreupelstraat 1" in client.get(url).content.decode()
    two_organisations["b"].refresh_from_db()
    assert two_organisations["b"].contact_phone == ""


@pytest.mark.django_db
def test_wrong_contact_details_are_refused_per_field_and_nothing_is_saved(
    client, two_organisations
):
    response = client.post(
        reverse("beheer:organisation_contact"), {"phone": "bel me", "email": "geen adres"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een telefoonnummer in" in page
    assert "Vul een e-mailadres in" in page
    two_organisations["a"].refresh_from_db()
    assert two_organisations["a"].contact_phone == ""
    assert not AuditEvent.objects.filter(object_type="accounts.Organisation").exists()


@pytest.mark.django_db
def test_any_contact_details_are_saved_or_refused_with_a_message(two_organisations):
    from django.core.exceptions import ValidationError
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from inbeeld.accounts.services import organisation_contact_update
    from inbeeld.accounts.tests.factories import actor_for

    membership = Membership.objects.get(
        organisation=two_organisations["a"], role=Role.FUNCTIONEEL_BEHEERDER
    )
    actor = actor_for(membership)
    text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=400)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text, text, text)
    def check(address, phone, email):
        before = AuditEvent.objects.count()
        refused: dict[str, list[str]] = {}
        try:
            organisation = organisation_contact_update(
                actor=actor, address=address, phone=phone, email=email
            )
        except ValidationError as error:
            refused = error.message_dict
        if refused:
            assert all(refused.values())  # a message per field refused
            assert AuditEvent.objects.count() == before  # nothing half-written
        else:
            organisation.refresh_from_db()
            assert organisation.contact_phone == phone.strip()
            assert AuditEvent.objects.count() == before + 1

    check()
