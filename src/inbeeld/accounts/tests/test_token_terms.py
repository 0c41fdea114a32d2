"""Personal tokens at the service layer: a term (expiry) and scopes chosen when the token is made,
both validated with a message per problem and both in the audit trail (issue 9 §11)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.accounts import services
from inbeeld.accounts.models import PersonalToken, Role
from inbeeld.accounts.tests.factories import (
    READ_STUDENTS,
    MembershipFactory,
    actor_for,
    messages_of,
)
from inbeeld.accounts.token_scopes import (
    READ_ONLY_FAMILIES,
    Access,
    ResourceFamily,
    allows,
    clean_scopes,
    every_scope,
)
from inbeeld.audit.models import AuditAction, AuditEvent


@pytest.fixture
def actor(db):
    return actor_for(MembershipFactory(role=Role.LEERPLICHTAMBTENAAR))


def test_a_token_expires_after_the_default_term(actor):
    before = timezone.now()
    token, _ = services.personal_token_create(actor=actor, name="LAS", scopes=READ_STUDENTS)
    assert before + dt.timedelta(days=90) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=90)


def test_the_term_is_chosen_within_the_maximum(actor, settings):
    settings.INBEELD_API_TOKEN_MAX_DAYS = 30
    token, _ = services.personal_token_create(
        actor=actor, name="kort", scopes=READ_STUDENTS, days=7
    )
    assert round((token.expires_at - token.created_at) / dt.timedelta(days=1)) == 7
    for days in (0, -1, 31):
        with pytest.raises(ValidationError) as excinfo:
            services.personal_token_create(actor=actor, name="x", scopes=READ_STUDENTS, days=days)
        assert list(excinfo.value.message_dict) == ["days"]
        assert "30" in messages_of(excinfo) or "ten minste 1" in messages_of(excinfo)
    assert PersonalToken.objects.count() == 1


def test_scopes_are_chosen_and_stored(actor):
    token, _ = services.personal_token_create(
        actor=actor, name="LAS", scopes={"students": "read", "absences": "write", "cases": ""}
    )
    token.refresh_from_db()
    assert token.scopes == {"absences": "write", "students": "read"}


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ({}, "Kies voor ten minste één soort gegevens wat het token mag."),
        ({"students": ""}, "Kies voor ten minste één soort gegevens wat het token mag."),
        ({"geheim": "read"}, "Onbekende soort gegevens: geheim."),
        ({"students": "write"}, "Leerlingen en inschrijvingen kan niet met toegang write."),
        ({"cases": "admin"}, "Casussen kan niet met toegang admin."),
    ],
)
def test_wrong_scopes_are_refused_with_a_message(actor, scopes, message):
    with pytest.raises(ValidationError) as excinfo:
        services.personal_token_create(actor=actor, name="LAS", scopes=scopes)
    assert excinfo.value.message_dict == {"scopes": [message]}
    assert not PersonalToken.objects.exists()


def test_creation_and_revocation_are_audited_with_scopes_and_term(actor):
    token, key = services.personal_token_create(
        actor=actor, name="LAS", scopes={"cases": "write"}, days=10
    )
    created = AuditEvent.objects.get(object_type="accounts.PersonalToken", action="create")
    assert created.detail["scopes"] == {"cases": "write"}
    assert created.detail["expires_at"] == token.expires_at.isoformat()
    assert key not in str(created.detail)
    services.personal_token_revoke(actor=actor, token=token)
    revoked = AuditEvent.objects.get(object_type="accounts.PersonalToken", action="revoke")
    assert revoked.user == actor.user
    assert revoked.object_id == str(token.pk)


def test_the_expiry_refusal_is_audited_once_per_use(actor):
    token, _ = services.personal_token_create(actor=actor, name="LAS", scopes=READ_STUDENTS)
    services.personal_token_refused_record(token=token, reason="expired", ip="192.0.2.9")
    event = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert event.user == actor.user
    assert event.organisation == actor.organisation
    assert event.detail == {"prefix": token.prefix, "reason": "expired"}
    assert event.ip == "192.0.2.9"


def test_write_includes_read_and_read_is_only_read():
    scopes = {"cases": "write", "students": "read"}
    assert allows(scopes, "cases", Access.READ)
    assert allows(scopes, "cases", Access.WRITE)
    assert allows(scopes, "students", Access.READ)
    assert not allows(scopes, "students", Access.WRITE)
    assert not allows(scopes, "absences", Access.READ)


def test_every_scope_offers_write_only_where_a_family_writes():
    scopes = every_scope()
    assert set(scopes) == {family.value for family in ResourceFamily}
    for family, access in scopes.items():
        assert access == ("read" if family in READ_ONLY_FAMILIES else "write")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=8), max_size=6))
def test_clean_scopes_accepts_only_what_exists(raw):
    try:
        scopes = clean_scopes(raw)
    except ValidationError as error:
        problems = error.message_dict
        scopes = None
    if scopes is None:
        assert list(problems) == ["scopes"]
        assert all(problems["scopes"])
    else:
        assert scopes
        for family, access in scopes.items():
            assert raw[family] == access
            assert access in ("read", "write")
            assert access == "read" or family not in READ_ONLY_FAMILIES


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_90_days_and_what_they_had():
    """accounts/0003: a token made before expiry and scopes existed works for 90 days from the
    upgrade, with read and write on every family (never more than its person's roles)."""
    executor = MigrationExecutor(connection)
    before_tokens = [("accounts", "0002_membership_deactivated_at")]
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before_tokens)
    old = executor.loader.project_state(before_tokens).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        type="gemeente", name="Gemeente A", code="GM0001", municipality_code="GM0001"
    )
    user = old.get_model("accounts", "User").objects.create(username="oud")
    membership = old.get_model("accounts", "Membership").objects.create(
        user=user, organisation=organisation, role=Role.LEERPLICHTAMBTENAAR
    )
    old.get_model("accounts", "PersonalToken").objects.create(
        membership=membership, name="oud", key_hash="0" * 64, prefix="ib_oud00"
    )
    upgraded = timezone.now()
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    token = PersonalToken.objects.get(name="oud")
    assert upgraded + dt.timedelta(days=90) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=90)
    assert token.scopes == every_scope()
