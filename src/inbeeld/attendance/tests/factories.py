"""Factories for detection, worklist and child-page tests, and a small two-organisation world.

The model factories are those of the apps that own the models (accounts, people); this module adds
absences, and the world these tests share: two gemeenten in the region zuid, each with a school
(GM0001 / GM0002), :func:`pupil`, a child of 2014 enrolled there since 2020, :func:`truant`, its
16 hours away, and :func:`log_in`. conftest.py makes the world a fixture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.accounts.tests.factories import (  # noqa: F401  (re-exported for these tests)
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
)
from inbeeld.attendance.models import AbsenceRecord
from inbeeld.people.models import School, Student
from inbeeld.people.tests.factories import (  # noqa: F401  (re-exported for these tests)
    EnrolmentFactory,
    ExemptionFactory,
    SchoolFactory,
    StudentFactory,
    valid_bsn,
)

#: the defaults of the world of these tests (the factories' own defaults are the registry's)
REGION = "zuid"
MUNICIPALITY = "GM0001"
BIRTH_DATE = dt.date(2014, 3, 10)
EXEMPT_FROM = dt.date(2024, 9, 2)
#: the day the detection of these tests runs on (a Friday), and the four Mondays before it on
#: which :func:`truant` has a child away for 4 hours (16 hours: the 16_uur norm)
ON = dt.date(2024, 11, 8)
TRUANT_MONDAYS = (
    dt.date(2024, 10, 7),
    dt.date(2024, 10, 14),
    dt.date(2024, 10, 28),
    dt.date(2024, 11, 4),
)


def bsn_for(n: int) -> str:
    """A valid BSN (11-proef) derived from ``n``."""
    return valid_bsn(n)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbsenceRecord

    student = factory.SubFactory(StudentFactory)
    start_date = dt.date(2024, 10, 7)
    end_date = factory.LazyAttribute(lambda a: a.start_date)
    reason = "ongeoorloofd"
    hours_per_day = None


@dataclass
class World:
    """Two gemeenten, each with one school (its own organisation) and pupils living there."""

    gemeente_a: Organisation
    gemeente_b: Organisation
    school_a: School
    school_b: School
    leerplicht_a: Membership
    leerplicht_b: Membership
    school_staff_a: Membership
    school_staff_b: Membership
    beleid_a: Membership
    beheer_a: Membership


def two_organisations() -> World:
    gemeente_a = OrganisationFactory(code="GM0001", name="Gemeente A")
    gemeente_b = OrganisationFactory(code="GM0002", name="Gemeente B")
    school_a = SchoolFactory(
        brin="11AA", name="De Linde", region=REGION, municipality_code=MUNICIPALITY
    )
    school_b = SchoolFactory(brin="22BB", name="De Eik", region=REGION, municipality_code="GM0002")
    return World(
        gemeente_a=gemeente_a,
        gemeente_b=gemeente_b,
        school_a=school_a,
        school_b=school_b,
        leerplicht_a=MembershipFactory(organisation=gemeente_a),
        leerplicht_b=MembershipFactory(organisation=gemeente_b),
        school_staff_a=MembershipFactory(
            organisation=school_a.organisation, role=Role.SCHOOL_ZORGCOORDINATOR
        ),
        school_staff_b=MembershipFactory(
            organisation=school_b.organisation, role=Role.SCHOOL_ZORGCOORDINATOR
        ),
        beleid_a=MembershipFactory(organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER),
        beheer_a=MembershipFactory(organisation=gemeente_a, role=Role.FUNCTIONEEL_BEHEERDER),
    )


def truant(student: Student) -> Student:
    """``student`` away without leave for 4 hours on each of the four :data:`TRUANT_MONDAYS`."""
    for day in TRUANT_MONDAYS:
        AbsenceFactory(student=student, start_date=day, hours_per_day=Decimal("4"))
    return student


def log_in(client, membership: Membership):
    """``client``, logged in as the user of ``membership``."""
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def pupil(school: School, **kwargs) -> Student:
    """A pupil living in the school's municipality, born in 2014, enrolled there since 2020."""
    kwargs.setdefault("municipality_code", school.municipality_code)
    kwargs.setdefault("birth_date", BIRTH_DATE)
    student = StudentFactory(**kwargs)
    EnrolmentFactory(student=student, school=school)
    return student


def jeugdarts_of_ggd(code: str, municipality_code: str, **kwargs) -> Membership:
    """A jeugdarts of a new GGD ``code`` whose region holds ``municipality_code`` (and
    ``region_municipality_codes``, when given): issue 12 §2."""
    ggd = OrganisationFactory(
        type=OrganisationType.GGD,
        code=code,
        name=kwargs.pop("name", code),
        municipality_code=municipality_code,
        **kwargs,
    )
    return MembershipFactory(organisation=ggd, role=Role.JEUGDARTS)


def consultant_of_partnership(school: School, code: str) -> Membership:
    """A consultant of a new samenwerkingsverband ``code`` that ``school`` becomes a member of."""
    swv = OrganisationFactory(type=OrganisationType.SAMENWERKINGSVERBAND, code=code, name=code)
    school.partnership = swv
    school.save()
    return MembershipFactory(organisation=swv, role=Role.SWV_CONSULTANT)
