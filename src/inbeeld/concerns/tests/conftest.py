"""A small world: a gemeente, a school with a pupil, a GGD and a wijkteam, each with people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.people.models import School, Student
from inbeeld.people.tests.factories import (
    EnrolmentFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
    actor_for,
)

ON = dt.date(2025, 3, 10)


@dataclass
class World:
    gemeente: Organisation
    school: School
    ggd: Organisation
    wijkteam: Organisation
    pupil: Student
    leerplicht: Membership
    zorg: Membership  # zorgcoördinator at the school
    zorg_2: Membership  # a colleague at the school
    beheer: Membership  # functioneel beheerder at the school: no casework
    jeugdarts: Membership
    wijkteam_member: Membership
    beleid: Membership

    def actor(self, name: str):
        return actor_for(getattr(self, name))


@pytest.fixture
def world(db) -> World:
    gemeente = OrganisationFactory(code="GM0014", name="Gemeente Groningen")
    school = SchoolFactory(brin="12AB", name="De Linde", municipality_code="GM0014")
    ggd = OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-GN", name="GGD Groningen", municipality_code="GM0014"
    )
    wijkteam = OrganisationFactory(
        type=OrganisationType.WIJKTEAM,
        code="WIJ-1",
        name="WIJ Groningen",
        municipality_code="GM0014",
    )
    pupil = StudentFactory(
        given_names="Sanne", family_name="Bakker", birth_date=dt.date(2012, 5, 1)
    )
    EnrolmentFactory(student=pupil, school=school)
    return World(
        gemeente=gemeente,
        school=school,
        ggd=ggd,
        wijkteam=wijkteam,
        pupil=pupil,
        leerplicht=MembershipFactory(organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR),
        zorg=MembershipFactory(organisation=school.organisation, role=Role.SCHOOL_ZORGCOORDINATOR),
        zorg_2=MembershipFactory(
            organisation=school.organisation, role=Role.SCHOOL_ZORGCOORDINATOR
        ),
        beheer=MembershipFactory(organisation=school.organisation, role=Role.FUNCTIONEEL_BEHEERDER),
        jeugdarts=MembershipFactory(organisation=ggd, role=Role.JEUGDARTS),
        wijkteam_member=MembershipFactory(organisation=wijkteam, role=Role.WIJKTEAM_MEDEWERKER),
        beleid=MembershipFactory(organisation=gemeente, role=Role.BELEIDSMEDEWERKER),
    )


def register(
    world: World,
    who: str,
    *,
    student: Student | None = None,
    bsn: str | None = None,
    birth_date=None,
    on=None,
    **kwargs,
):
    """Register a concern as ``who`` (a World field) on ``on`` (default today): about ``student``
    from its page, or by ``bsn`` and ``birth_date`` (default: the pupil's, as a GGD would)."""
    from inbeeld.concerns.services import concern_register

    membership = getattr(world, who)
    values = {
        "domain": "health",
        "urgent": False,
        "contact_name": f"{membership.user.get_full_name()}",
        "contact_phone": "050 123 45 67",
        "contact_email": f"{membership.user.username}@example.org",
    }
    values.update(kwargs)
    if student is not None:
        values["student_id"] = student.pk
    elif bsn is not None or birth_date is not None:
        values.update(bsn=bsn, birth_date=birth_date)
    else:
        values.update(bsn=world.pupil.bsn, birth_date=world.pupil.birth_date)
    return concern_register(actor=actor_for(membership), on=on, **values)
