"""The world of these tests: two gemeenten, each with a school and leerplicht, a pupil of 14 and
one of 10 at school A, a pupil at school B (out of A's sight), and meldingen of A's older pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from inbeeld.accounts.models import Membership, OrganisationType, Role
from inbeeld.accounts.tests.factories import MembershipFactory, OrganisationFactory, actor_for
from inbeeld.attendance.models import DetectionRun, Melding
from inbeeld.attendance.tests.factories import World, pupil, two_organisations
from inbeeld.people.models import Student

TODAY = timezone.localdate()


def years_ago(years: int, days: int = 30) -> dt.date:
    """A birth date: ``years`` full years old today (and ``days`` more)."""
    return dt.date(TODAY.year - years, TODAY.month, 1) - dt.timedelta(days=days)


@dataclass
class Letters:
    w: World
    child: Student  # 14, at school A
    young: Student  # 10, at school A
    child_b: Student  # at school B, gemeente B
    ggd: Membership
    melding_16: Melding  # 16 uur, with hours, routed to gemeente A and school A
    melding_lrv: Melding  # lrv without hours
    melding_mazl: Melding
    melding_young: Melding  # 16 uur of the 10-year-old

    def actor(self, membership: Membership):
        return actor_for(membership)

    @property
    def leerplicht(self):
        return actor_for(self.w.leerplicht_a)

    @property
    def school(self):
        return actor_for(self.w.school_staff_a)


def _melding(student, rule, run, orgs, hours=None, school=None, days_back=40):
    start = TODAY - dt.timedelta(days=days_back)
    melding = Melding.objects.create(
        student=student,
        rule=rule,
        start_date=start,
        end_date=start + dt.timedelta(days=20),
        hours=hours,
        school=school,
        first_run=run,
    )
    melding.organisations.add(*orgs)
    return melding


@pytest.fixture
def world(db) -> Letters:
    w = two_organisations()
    child = pupil(w.school_a, given_names="Sanne", family_name="de Vries", birth_date=years_ago(14))
    young = pupil(w.school_a, given_names="Tim", family_name="Bakker", birth_date=years_ago(10))
    child_b = pupil(w.school_b, given_names="Anders", family_name="Buiten")
    ggd = MembershipFactory(
        organisation=OrganisationFactory(
            type=OrganisationType.GGD, code="GGD1", name="GGD", municipality_code="GM0001"
        ),
        role=Role.JEUGDARTS,
    )
    run = DetectionRun.objects.create(on_date=TODAY)
    orgs = (w.gemeente_a, w.school_a.organisation)
    return Letters(
        w=w,
        child=child,
        young=young,
        child_b=child_b,
        ggd=ggd,
        melding_16=_melding(child, "16_uur", run, orgs, Decimal("17.5"), w.school_a),
        melding_lrv=_melding(child, "lrv", run, orgs, None, w.school_a, days_back=80),
        melding_mazl=_melding(child, "mazl_7_dagen", run, orgs, None, w.school_a),
        melding_young=_melding(young, "16_uur", run, orgs, Decimal("16"), w.school_a),
    )
