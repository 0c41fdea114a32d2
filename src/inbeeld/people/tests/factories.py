"""Factories for the registry: schools (with their organisation), students, enrolments, exemptions.

Organisations, users and memberships come from ``inbeeld.accounts.tests.factories``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.tests.factories import (  # noqa: F401  (re-exported for tests)
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
)
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.rules.identifiers import is_valid_bsn, is_valid_onderwijsnummer


def login(client, membership):
    """``client`` logged in as the user of ``membership`` (with the factories' password)."""
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def valid_bsn(n: int) -> str:
    """The ``n``-th valid BSN (11-proef) from 100000000 upwards, different for every ``n``: a
    valid BSN lies within every 20 numbers, so steps of 23 never reach the next one (steps of 13
    did, and two children then shared a BSN)."""
    value = 100_000_000 + n * 23
    while not is_valid_bsn(f"{value:09d}"):
        value += 1
    return f"{value:09d}"


def valid_onderwijsnummer(n: int) -> str:
    """The ``n``-th valid onderwijsnummer (10xxxxxxx, remainder 5) from 100000000 upwards."""
    value = 100_000_000 + n * 13
    while not is_valid_onderwijsnummer(f"{value:09d}"):
        value += 1
    return f"{value:09d}"


def brin_for(n: int) -> str:
    return f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(65 + n % 26)}"


class SchoolFactory(factory.django.DjangoModelFactory):
    """A school with its organisation (type school, code = BRIN)."""

    class Meta:
        model = School
        django_get_or_create = ("brin",)

    brin = factory.Sequence(lambda n: brin_for(n + 500))
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    sector = "po"
    region = "noord"
    municipality_code = "GM0014"
    hours_per_day = Decimal("5.00")
    organisation = factory.LazyAttribute(
        lambda s: Organisation.objects.get_or_create(
            type=OrganisationType.SCHOOL,
            code=s.brin,
            defaults={"name": s.name, "municipality_code": s.municipality_code},
        )[0]
    )


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    external_id = factory.Sequence(lambda n: f"P{n:06d}")
    bsn = factory.Sequence(lambda n: valid_bsn(n + 1000))
    given_names = factory.Sequence(lambda n: f"Kind{n}")
    family_name = "Jansen"
    birth_date = dt.date(2012, 5, 1)
    municipality_code = "GM0014"


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
    start_date = dt.date(2024, 1, 1)


class SchoolFreePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolFreePeriod

    school = factory.SubFactory(SchoolFactory)
    start_date = dt.date(2025, 3, 14)
    end_date = dt.date(2025, 3, 14)
    name = "Studiedag"
