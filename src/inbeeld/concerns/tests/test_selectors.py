"""Each organisation sees its own concerns; of another's, through a match, only contact details."""

from __future__ import annotations

import dataclasses
import datetime as dt

from inbeeld.concerns import selectors, services
from inbeeld.concerns.tests.conftest import ON, register


def test_neither_organisation_sees_the_others_concerns(world):
    school = register(world, "zorg", on=ON, domain="school")
    ggd = register(world, "jeugdarts", on=ON, domain="health")
    assert list(selectors.concerns_of(actor=world.actor("zorg"), on=ON)) == [school]
    assert list(selectors.concerns_of(actor=world.actor("jeugdarts"), on=ON)) == [ggd]
    assert selectors.concern_of(actor=world.actor("zorg"), pk=ggd.pk) is None
    assert selectors.concern_of(actor=world.actor("jeugdarts"), pk=ggd.pk) == ggd
    assert list(selectors.concerns_of(actor=world.actor("wijkteam_member"), on=ON)) == []
    # without the permission: nothing at all
    assert list(selectors.concerns_of(actor=world.actor("beleid"), on=ON)) == []
    assert selectors.matches_of(actor=world.actor("beleid"), on=ON) == []


def test_a_match_shows_only_the_other_sides_contact_details(world):
    school = register(world, "zorg", on=ON, domain="school")
    register(
        world,
        "jeugdarts",
        on=ON,
        domain="health",
        urgent=True,
        contact_name="A. de Jong",
        contact_phone="050 000 00 00",
        contact_email="jeugdarts@ggd.example",
    )
    [seen] = selectors.matches_of(actor=world.actor("zorg"), on=ON)
    assert seen.own == school
    assert seen.other_organisation == "GGD Groningen"
    assert (seen.other_domain, seen.other_urgent) == ("health", True)
    assert (seen.other_contact_name, seen.other_contact_phone, seen.other_contact_email) == (
        "A. de Jong",
        "050 000 00 00",
        "jeugdarts@ggd.example",
    )
    # the view holds nothing else of the other side: no concern, no user, no dates
    other_fields = {f.name for f in dataclasses.fields(seen) if f.name.startswith("other")}
    assert other_fields == {
        "other_organisation",
        "other_domain",
        "other_domain_label",
        "other_urgent",
        "other_contact_name",
        "other_contact_phone",
        "other_contact_email",
        "other_system",
        "other_contact_address",  # only for a concern of the system: its leerplicht team's
    }
    assert seen.other_contact_address == ""
    [seen_by_ggd] = selectors.matches_of(actor=world.actor("jeugdarts"), on=ON)
    assert seen_by_ggd.other_organisation == "De Linde"
    # the wijkteam is not part of it
    assert selectors.matches_of(actor=world.actor("wijkteam_member"), on=ON) == []


def test_a_match_disappears_when_one_side_withdraws_or_ends(world):
    school = register(world, "zorg", on=ON)
    register(world, "jeugdarts", on=ON + dt.timedelta(days=30))
    assert len(selectors.matches_of(actor=world.actor("jeugdarts"), on=ON + dt.timedelta(days=30)))
    # the school's concern ends two years after it was registered
    later = dt.date(2027, 3, 11)
    assert selectors.matches_of(actor=world.actor("jeugdarts"), on=later) == []
    services.concern_withdraw(actor=world.actor("zorg"), concern=school, on=ON + dt.timedelta(40))
    assert selectors.matches_of(actor=world.actor("jeugdarts"), on=ON + dt.timedelta(41)) == []
