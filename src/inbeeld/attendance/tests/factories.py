"""Factories for detection, worklist and child-page tests, and a small two-organisation world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role, User
from inbeeld.attendance.models import AbsenceRecord
from inbeeld.people.models import Enrolment, Exemption, School, Student
from inbeeld.rules.identifiers import check_digit

PASSWORD = "geheim-wachtwoord-42"


def bsn_for(n: int) -> str:
    """A valid BSN (11-proef) derived from ``n``."""
    base = 10_000_000 + n * 7
    while True:
        digits = f"{base:08d}"[-8:]
        last = check_digit(digits)
        if last is not None and digits != "00000000":
            return digits + str(last)
        base += 1


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("type", "code")

    type = OrganisationType.GEMEENTE
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    code = factory.Sequence(lambda n: f"GM{8000 + n:04d}")
    municipality_code = factory.LazyAttribute(
        lambda o: o.code if o.type == OrganisationType.GEMEENTE else ""
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"detect{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.LEERPLICHTAMBTENAAR


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    brin = factory.Sequence(
        lambda n: f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(65 + n % 26)}"
    )
    name = factory.Sequence(lambda n: f"School {n}")
    sector = "po"
    region = "zuid"
    municipality_code = "GM0001"
    hours_per_day = Decimal("5")
    organisation = factory.LazyAttribute(
        lambda s: Organisation.objects.get_or_create(
            type=OrganisationType.SCHOOL, code=s.brin, defaults={"name": s.name}
        )[0]
    )


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    external_id = factory.Sequence(lambda n: f"LL{n:05d}")
    bsn = factory.Sequence(lambda n: bsn_for(n))
    given_names = factory.Sequence(lambda n: f"Kind{n}")
    family_name = factory.Sequence(lambda n: f"Jansen{n}")
    birth_date = dt.date(2014, 3, 10)
    municipality_code = "GM0001"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    school = factory.SubFactory(SchoolFactory)
    start_date = dt.date(2020, 8, 1)
    end_date = None


class ExemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exemption

    student = factory.SubFactory(StudentFactory)
    article = "5a"
    start_date = dt.date(2024, 9, 2)


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbsenceRecord

    student = factory.SubFactory(StudentFactory)
    start_date = dt.date(2024, 10, 7)
    end_date = factory.LazyAttribute(lambda a: a.start_date)
    reason = "ongeoorloofd"
    hours_per_day = None


def actor_for(membership: Membership, ip: str = "192.0.2.1") -> Actor:
    return Actor.for_membership([membership], ip=ip)


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
    school_a = SchoolFactory(brin="11AA", name="De Linde", municipality_code="GM0001")
    school_b = SchoolFactory(brin="22BB", name="De Eik", municipality_code="GM0002")
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


def pupil(school: School, **kwargs) -> Student:
    """A pupil living in the school's municipality, enrolled there since 2020."""
    kwargs.setdefault("municipality_code", school.municipality_code)
    student = StudentFactory(**kwargs)
    EnrolmentFactory(student=student, school=school)
    return student
