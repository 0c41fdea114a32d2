"""The attendance app's world (two gemeenten, a school each, Aalders a pupil of school A)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    World,
    actor_for,
    pupil,
    two_organisations,
)
from inbeeld.people.models import Student
from inbeeld.prevention import services
from inbeeld.prevention.models import SchoolTeam


@pytest.fixture
def world(db) -> World:
    w = two_organisations()
    w.child = pupil(w.school_a, family_name="Aalders")
    return w


@dataclass
class TeamWorld:
    """Gemeente A with school A (De Linde), a GGD, a wijkteam and a samenwerkingsverband, each
    with one person; school A's team with all five as members; two pupils of school A (Noor,
    Finn) and one of school B (Evers)."""

    w: World
    ggd: Organisation
    wijkteam: Organisation
    swv: Organisation
    jeugdarts: Membership
    wijkteam_worker: Membership
    swv_consultant: Membership
    team: SchoolTeam
    child: Student
    other: Student
    child_b: Student

    def __getattr__(self, name):
        return getattr(self.w, name)

    def actor(self, membership: Membership):
        return actor_for(membership)

    @property
    def school(self):
        return self.actor(self.w.school_staff_a)

    def put_on_list(self, student: Student | None = None, by: Membership | None = None):
        return services.entry_add(
            actor=self.actor(by or self.w.school_staff_a),
            team=self.team,
            student=student or self.child,
            reason="veel ziekmeldingen",
        )


def _person(organisation, role):
    return MembershipFactory(user=UserFactory(), organisation=organisation, role=role)


@pytest.fixture
def team_world(db) -> TeamWorld:
    w = two_organisations()

    def org(kind, code, name):
        return OrganisationFactory(type=kind, code=code, name=name, municipality_code="GM0001")

    ggd = org(OrganisationType.GGD, "GGD-A", "GGD A")
    wijkteam = org(OrganisationType.WIJKTEAM, "WIJ-A", "Wijkteam A")
    swv = org(OrganisationType.SAMENWERKINGSVERBAND, "SWV0001", "SWV A")
    w.school_a.partnership = swv
    w.school_a.save()
    jeugdarts = _person(ggd, Role.JEUGDARTS)
    worker = _person(wijkteam, Role.WIJKTEAM_MEDEWERKER)
    consultant = _person(swv, Role.SWV_CONSULTANT)
    school = actor_for(w.school_staff_a)
    team = services.team_create(actor=school, school=w.school_a)
    for organisation, member in (
        (w.gemeente_a, None),
        (ggd, jeugdarts),
        (swv, consultant),
        (wijkteam, None),
    ):
        services.member_add(
            actor=school,
            team=team,
            organisation=organisation,
            user=member.user if member else None,
        )
    return TeamWorld(
        w,
        ggd,
        wijkteam,
        swv,
        jeugdarts,
        worker,
        consultant,
        team,
        pupil(w.school_a, given_names="Noor", family_name="Aalders"),
        pupil(w.school_a, given_names="Finn", family_name="Bos"),
        pupil(w.school_b, given_names="Eva", family_name="Evers"),
    )
