"""The child's access history shows each viewer only what it may know (issue 9 finding 6).

Before: leerplicht saw "zorg geregistreerd (health, urgent)" of the GGD, with which it has no
concern and no match about the child. Now: the own organisation's rows in full; another
organisation's rows as organisation, when and kind only (no person, no summary); another
organisation's concern rows only to an organisation with a match with it about the child.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.selectors import access_history_for
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    actor_for,
    log_in,
)
from inbeeld.concerns.services import concern_register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ggd(world):
    """The GGD of gemeente A (``world.ggd``) and its jeugdarts (``world.jeugdarts``)."""
    world.ggd = OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-A", name="GGD A", municipality_code="GM0001"
    )
    world.jeugdarts = MembershipFactory(organisation=world.ggd, role=Role.JEUGDARTS)


def _concern(membership, child, **values):
    return concern_register(
        actor=actor_for(membership),
        bsn=child.bsn,  # the Verwijsindex way: by BSN and birth date, which gives no sight
        birth_date=child.birth_date,
        domain=values.get("domain", "psychological"),
        urgent=values.get("urgent", True),
        contact_name="Eva Mulder",
        contact_phone="050 123 45 67",
        contact_email="eva@example.org",
    )


def _history_html(client, membership, child) -> str:
    page = (
        log_in(client, membership)
        .get(reverse("attendance:student", args=[child.pk]))
        .content.decode()
    )
    return page[page.index('data-testid="access-history"') :]


def test_another_organisations_concern_is_not_in_the_history_without_a_match(client, world):
    _concern(world.jeugdarts, world.child)
    history = _history_html(client, world.leerplicht_a, world.child)
    assert "psychological" not in history
    assert "urgent" not in history
    assert "GGD A" not in history  # not even that the GGD is involved
    assert world.jeugdarts.user.username not in history


def test_with_a_match_the_other_side_shows_as_organisation_and_kind_only(world):
    _concern(world.jeugdarts, world.child)
    _concern(world.leerplicht_a, world.child, domain="school", urgent=False)
    entries = access_history_for(actor=actor_for(world.leerplicht_a), student=world.child)
    ggd_rows = [e for e in entries if e.organisation_name == "GGD A"]
    assert ggd_rows
    for entry in ggd_rows:
        assert entry.username == ""
        assert "psychological" not in entry.summary
        assert "urgent" not in entry.summary
        assert not entry.own
    own = [e for e in entries if e.own]
    assert any("school" in e.summary for e in own)  # the own concern in full
    assert all(e.username == world.leerplicht_a.user.username for e in own)


def test_other_organisations_views_show_organisation_when_and_kind(client, world):
    school = actor_for(world.school_staff_a)
    client.force_login(world.school_staff_a.user)
    client.get(reverse("attendance:student", args=[world.child.pk]))
    client.logout()
    entries = access_history_for(actor=actor_for(world.leerplicht_a), student=world.child)
    school_rows = [e for e in entries if e.organisation_name == school.organisation.name]
    assert len(school_rows) == 1
    assert school_rows[0].action == "view"
    assert school_rows[0].username == ""
    assert world.child.external_id not in school_rows[0].summary
