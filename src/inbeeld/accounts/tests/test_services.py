"""Services: validate with messages that name the problem, write, and audit in one transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.accounts import services
from inbeeld.accounts.models import Membership, OrganisationType, PersonalToken, Role, User
from inbeeld.accounts.tests.factories import (
    PASSWORD,
    READ_STUDENTS,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
    messages_of,
)
from inbeeld.audit.models import AuditAction, AuditEvent


@pytest.fixture
def beheer():
    """A functioneel beheerder of gemeente A, and a gemeente B next to it."""
    gemeente_a = OrganisationFactory(name="Gemeente A", code="GM0001")
    gemeente_b = OrganisationFactory(name="Gemeente B", code="GM0002")
    membership = MembershipFactory(organisation=gemeente_a, role=Role.FUNCTIONEEL_BEHEERDER)
    return actor_for(membership), gemeente_a, gemeente_b


# -- organisations ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_create_gemeente_is_its_own_municipality_and_is_audited():
    gemeente = services.organisation_create(
        actor=None, type=OrganisationType.GEMEENTE, name="Groningen", code="gm0014"
    )
    assert (gemeente.code, gemeente.municipality_code) == ("GM0014", "GM0014")
    event = AuditEvent.objects.get(object_type="accounts.Organisation")
    assert event.action == AuditAction.CREATE
    assert event.object_id == str(gemeente.pk)


@pytest.mark.django_db
def test_organisation_create_school_needs_a_brin():
    school = services.organisation_create(
        actor=None,
        type=OrganisationType.SCHOOL,
        name="De Linde",
        code="12AB01",
        municipality_code="GM0014",
    )
    assert school.code == "12AB01"
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=None, type=OrganisationType.SCHOOL, name="Fout", code="XYZ"
        )
    assert "XYZ is geen geldige BRIN" in messages_of(excinfo)


@pytest.mark.django_db
def test_organisation_create_refuses_bad_input_naming_each_problem():
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(actor=None, type="club", name=" ", code="")
    errors = excinfo.value.message_dict
    assert errors["type"] == ["Onbekend soort organisatie: club."]
    assert errors["name"] == ["Vul de naam van de organisatie in."]
    assert errors["code"] == ["Vul de code van de organisatie in."]
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=None, type=OrganisationType.GEMEENTE, name="X", code="0014"
        )
    assert "0014 is geen CBS-gemeentecode" in messages_of(excinfo)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_organisation_create_refuses_a_duplicate_code():
    services.organisation_create(actor=None, type="gemeente", name="Groningen", code="GM0014")
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(actor=None, type="gemeente", name="Dubbel", code="GM0014")
    assert "Er is al een organisatie van deze soort met code GM0014" in messages_of(excinfo)


# -- users ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_with_password_and_audit(beheer):
    actor, gemeente_a, _ = beheer
    user = services.user_create(
        actor=actor,
        username="jdevries",
        password=PASSWORD,
        first_name="Jan",
        last_name="de Vries",
        email="jan@example.org",
    )
    assert user.check_password(PASSWORD)
    assert user.memberships.count() == 0  # no access until a role is granted
    event = AuditEvent.objects.get(object_type="accounts.User")
    assert (event.user, event.organisation, event.action) == (actor.user, gemeente_a, "create")
    assert event.ip == "192.0.2.1"


@pytest.mark.django_db
def test_user_create_names_each_problem(beheer):
    actor, _, _ = beheer
    UserFactory(username="bestaat")
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=actor, username="BESTAAT", password="kort", email="geen-mail")
    errors = excinfo.value.message_dict
    assert errors["username"] == ["De gebruikersnaam BESTAAT is al in gebruik."]
    assert errors["email"] == ["geen-mail is geen geldig e-mailadres."]
    assert errors["password"] == ["Het wachtwoord is te kort: gebruik minstens 12 tekens."]
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=actor, username="pietjansen", password="pietjansen12")
    assert excinfo.value.message_dict["password"] == [
        "Het wachtwoord lijkt te veel op de naam of het e-mailadres."
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=actor, username="nieuw", password="1qaz2wsx3edc")
    assert excinfo.value.message_dict["password"] == [
        "Dit wachtwoord is te gewoon en makkelijk te raden."
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(actor=actor, username="met spatie", password="")
    errors = excinfo.value.message_dict
    assert "mag alleen letters, cijfers" in errors["username"][0]
    assert errors["password"] == ["Vul een eerste wachtwoord in."]
    assert User.objects.filter(username="met spatie").count() == 0


@pytest.mark.django_db
def test_user_create_needs_manage_permission():
    actor = actor_for(MembershipFactory(role=Role.LEERPLICHTAMBTENAAR))
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, username="nieuw", password=PASSWORD)


# -- memberships ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_membership_grant_and_revoke_keep_history(beheer):
    actor, gemeente_a, _ = beheer
    user = UserFactory()
    membership = services.membership_grant(
        actor=actor, user=user, organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER
    )
    assert membership.active

    services.membership_revoke(actor=actor, membership=membership)
    membership.refresh_from_db()
    assert not membership.active
    assert membership.deactivated_at is not None
    assert Membership.objects.filter(pk=membership.pk).exists()  # kept, not deleted

    again = services.membership_grant(
        actor=actor, user=user, organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER
    )
    assert again.pk == membership.pk
    assert again.active
    assert again.deactivated_at is None

    actions = list(
        AuditEvent.objects.filter(object_type="accounts.Membership", object_id=str(membership.pk))
        .order_by("id")
        .values_list("action", "summary")
    )
    assert actions == [
        ("create", f"Rol beleidsmedewerker toegekend aan {user.username}"),
        ("revoke", f"Rol beleidsmedewerker van {user.username} ingetrokken"),
        ("create", f"Rol beleidsmedewerker opnieuw toegekend aan {user.username}"),
    ]


@pytest.mark.django_db
def test_membership_grant_refuses_what_does_not_fit(beheer):
    actor, gemeente_a, _ = beheer
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_grant(actor=actor, user=user, organisation=gemeente_a, role="koning")
    assert excinfo.value.message_dict == {"role": ["Onbekende rol: koning."]}
    with pytest.raises(ValidationError) as excinfo:
        services.membership_grant(
            actor=actor, user=user, organisation=gemeente_a, role=Role.SCHOOL_ZORGCOORDINATOR
        )
    assert "De rol zorgcoördinator school bestaat niet bij een gemeente" in messages_of(excinfo)
    services.membership_grant(
        actor=actor, user=user, organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER
    )
    with pytest.raises(ValidationError) as excinfo:
        services.membership_grant(
            actor=actor, user=user, organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER
        )
    assert "heeft de rol beleidsmedewerker al bij Gemeente A" in messages_of(excinfo)


@pytest.mark.django_db
def test_beheerder_cannot_grant_or_revoke_at_another_organisation(beheer):
    actor, _, gemeente_b = beheer
    other = MembershipFactory(organisation=gemeente_b)
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=actor, user=UserFactory(), organisation=gemeente_b, role=Role.BELEIDSMEDEWERKER
        )
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=actor, membership=other)
    other.refresh_from_db()
    assert other.active


@pytest.mark.django_db
def test_a_non_beheerder_cannot_grant():
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=actor_for(membership),
            user=UserFactory(),
            organisation=membership.organisation,
            role=Role.LEERPLICHTAMBTENAAR,
        )


@pytest.mark.django_db
def test_the_last_beheerder_cannot_be_revoked(beheer):
    actor, gemeente_a, _ = beheer
    own = Membership.objects.get(user=actor.user, organisation=gemeente_a)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_revoke(actor=actor, membership=own)
    assert "de laatste functioneel beheerder van Gemeente A" in messages_of(excinfo)
    MembershipFactory(organisation=gemeente_a, role=Role.FUNCTIONEEL_BEHEERDER)
    services.membership_revoke(actor=actor, membership=own)
    own.refresh_from_db()
    assert not own.active


@pytest.mark.django_db
def test_revoking_twice_says_so(beheer):
    actor, gemeente_a, _ = beheer
    membership = MembershipFactory(organisation=gemeente_a)
    services.membership_revoke(actor=actor, membership=membership)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_revoke(actor=actor, membership=membership)
    assert "is al ingetrokken" in messages_of(excinfo)


@pytest.mark.django_db
def test_person_add_is_all_or_nothing(beheer):
    actor, gemeente_a, _ = beheer
    with pytest.raises(ValidationError):
        services.person_add(
            actor=actor, username="half", password=PASSWORD, role=Role.SWV_CONSULTANT
        )
    assert not User.objects.filter(username="half").exists()
    membership = services.person_add(
        actor=actor, username="heel", password=PASSWORD, role=Role.LEERPLICHTAMBTENAAR
    )
    assert membership.organisation == gemeente_a
    assert membership.user.username == "heel"


# -- personal tokens ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_token_create_stores_only_the_hash():
    membership = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    actor = actor_for(membership)
    token, key = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor, name="LAS koppeling"
    )
    assert key.startswith("ib_")
    assert len(key) > 40
    assert token.membership == membership
    assert token.key_hash == PersonalToken.hash(key)
    assert token.prefix == key[:8]
    stored = PersonalToken.objects.values_list("name", "key_hash", "prefix").get()
    assert key not in " ".join(stored)
    event = AuditEvent.objects.get(object_type="accounts.PersonalToken")
    assert key not in event.summary + str(event.detail)
    assert event.user == membership.user


@pytest.mark.django_db
def test_personal_token_needs_use_api_and_a_name():
    beleid = actor_for(MembershipFactory(role=Role.BELEIDSMEDEWERKER))
    with pytest.raises(PermissionDenied):
        services.personal_token_create(scopes=READ_STUDENTS, actor=beleid, name="x")
    actor = actor_for(MembershipFactory(role=Role.LEERPLICHTAMBTENAAR))
    with pytest.raises(ValidationError) as excinfo:
        services.personal_token_create(scopes=READ_STUDENTS, actor=actor, name="  ")
    assert "Geef het token een naam" in messages_of(excinfo)


@pytest.mark.django_db
def test_personal_token_only_for_own_membership():
    mine = MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)
    someone_else = MembershipFactory(organisation=mine.organisation)
    with pytest.raises(PermissionDenied):
        services.personal_token_create(
            scopes=READ_STUDENTS, actor=actor_for(mine), name="x", membership=someone_else
        )


@pytest.mark.django_db
def test_personal_token_hangs_on_the_role_that_gives_api_use():
    gemeente = OrganisationFactory()
    beleid = MembershipFactory(organisation=gemeente, role=Role.BELEIDSMEDEWERKER)
    lpa = MembershipFactory(user=beleid.user, organisation=gemeente)
    token, _ = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(beleid), name="x"
    )
    assert token.membership == lpa


@pytest.mark.django_db
def test_personal_token_revoke_own_only_and_once():
    mine = MembershipFactory()
    other = MembershipFactory(organisation=mine.organisation)
    token, _ = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(mine), name="mijn"
    )
    with pytest.raises(PermissionDenied):
        services.personal_token_revoke(actor=actor_for(other), token=token)
    services.personal_token_revoke(actor=actor_for(mine), token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(ValidationError) as excinfo:
        services.personal_token_revoke(actor=actor_for(mine), token=token)
    assert "is al ingetrokken" in messages_of(excinfo)
    assert AuditEvent.objects.filter(action="revoke", object_id=str(token.pk)).count() == 1


@pytest.mark.django_db
def test_revoking_a_membership_revokes_its_tokens():
    gemeente = OrganisationFactory()
    beheerder = actor_for(MembershipFactory(organisation=gemeente, role=Role.FUNCTIONEEL_BEHEERDER))
    membership = MembershipFactory(organisation=gemeente)
    token, _ = services.personal_token_create(
        scopes=READ_STUDENTS, actor=actor_for(membership), name="x"
    )
    services.membership_revoke(actor=beheerder, membership=membership)
    token.refresh_from_db()
    assert token.revoked_at is not None
