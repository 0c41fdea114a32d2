"""A small world for case tests: gemeente A with a school, a GGD and a wijkteam; gemeente B with
its own school. A pupil of school A is at home (lrv) with an lrv melding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
    pupil,
    two_organisations,
)
from inbeeld.people.models import Student

D = dt.date
LRV_ON = D(2025, 9, 15)


@dataclass
class CaseWorld:
    w: object
    ggd: Organisation
    wijkteam: Organisation
    jeugdarts: Membership
    wijkteam_worker: Membership
    child: Student
    child_b: Student
    melding: Melding

    def __getattr__(self, name):
        return getattr(self.w, name)

    def actor(self, membership: Membership):
        return actor_for(membership)


def _user(membership_org, role, first, last):
    user = UserFactory(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
    return MembershipFactory(user=user, organisation=membership_org, role=role)


@pytest.fixture
def world(db) -> CaseWorld:
    w = two_organisations()
    for m, (first, last) in zip(
        (w.leerplicht_a, w.leerplicht_b, w.school_staff_a, w.school_staff_b),
        (("Lotte", "Vries"), ("Bram", "Berg"), ("Sanne", "Bakker"), ("Kees", "Kok")),
        strict=True,
    ):
        m.user.first_name, m.user.last_name, m.user.email = first, last, f"{first}@example.org"
        m.user.save()
    ggd = OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-A", name="GGD A", municipality_code="GM0001"
    )
    wijkteam = OrganisationFactory(
        type=OrganisationType.WIJKTEAM, code="WIJ-A", name="Wijkteam A", municipality_code="GM0001"
    )
    jeugdarts = _user(ggd, Role.JEUGDARTS, "Eva", "Mulder")
    wijkteam_worker = _user(wijkteam, Role.WIJKTEAM_MEDEWERKER, "Daan", "Visser")
    child = pupil(w.school_a, given_names="Noor", family_name="Aalders")
    child_b = pupil(w.school_b, given_names="Finn", family_name="Evers")
    run = DetectionRun.objects.create(on_date=D(2025, 9, 15))
    StudentStatus.objects.create(
        student=child,
        run=run,
        on_date=D(2025, 9, 15),
        duty="leerplicht",
        leerplicht_start=D(2019, 8, 1),
        leerplicht_end=D(2030, 7, 31),
        category="langdurig_relatief_verzuim",
        since=D(2025, 8, 18),
    )
    melding = Melding.objects.create(
        student=child,
        rule="lrv",
        start_date=D(2025, 8, 18),
        end_date=LRV_ON,
        hours=Decimal(80),
        school=w.school_a,
        first_run=run,
    )
    melding.organisations.add(w.gemeente_a)
    return CaseWorld(w, ggd, wijkteam, jeugdarts, wijkteam_worker, child, child_b, melding)
