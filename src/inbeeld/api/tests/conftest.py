"""Two schools in two municipalities, each with one pupil and everything the API lists about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from inbeeld.accounts.models import (
    Membership,
    Organisation,
    OrganisationType,
    PersonalToken,
    Role,
    User,
)
from inbeeld.attendance.models import AbsenceRecord, DetectionRun, Melding, StudentStatus
from inbeeld.people.models import Enrolment, Exemption, School, Student


@dataclass
class Side:
    """One organisation's world: its school, its pupil, a user with a token."""

    gemeente: Organisation
    school_org: Organisation
    school: School
    student: Student
    user: User
    membership: Membership
    key: str

    def client(self) -> APIClient:
        return token_client(self.key)


def token_client(key: str) -> APIClient:
    """An API client that sends ``key`` as its bearer token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def make_member(username: str, organisation: Organisation, role: str) -> Membership:
    """A new user ``username`` (password 12 × "x") with ``role`` at ``organisation``."""
    user = User.objects.create_user(username=username, password="x" * 12)
    return Membership.objects.create(user=user, organisation=organisation, role=role)


def make_token(
    membership: Membership,
    *,
    revoked: bool = False,
    scopes: dict[str, str] | None = None,
    expires_at: dt.datetime | None = None,
) -> str:
    """A token straight on the model: every scope and the default term unless given."""
    key = PersonalToken.generate()
    extra = {"scopes": scopes} if scopes is not None else {}
    if expires_at is not None:
        extra["expires_at"] = expires_at
    PersonalToken.objects.create(
        membership=membership,
        name="test",
        key_hash=PersonalToken.hash(key),
        prefix=key[:8],
        revoked_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) if revoked else None,
        **extra,
    )
    return key


def make_side(tag: str, number: int, run: DetectionRun) -> Side:
    municipality = f"GM000{number}"
    gemeente = Organisation.objects.create(
        type=OrganisationType.GEMEENTE,
        name=f"Gemeente {tag}",
        code=municipality,
        municipality_code=municipality,
    )
    school_org = Organisation.objects.create(
        type=OrganisationType.SCHOOL,
        name=f"School {tag}",
        code=f"{number}0AB",
        municipality_code=municipality,
    )
    school = School.objects.create(
        brin=f"{number}0AB",
        name=f"School {tag}",
        sector="vo",
        region="midden",
        municipality_code=municipality,
        organisation=school_org,
    )
    student = Student.objects.create(
        external_id=f"S-{tag}",
        given_names=f"Kind {tag}",
        family_name="Jansen",
        birth_date=dt.date(2012, 3, 1),
        municipality_code=municipality,
    )
    Enrolment.objects.create(student=student, school=school, start_date=dt.date(2024, 8, 1))
    Exemption.objects.create(student=student, article="5a", start_date=dt.date(2025, 1, 1))
    AbsenceRecord.objects.create(
        student=student,
        start_date=dt.date(2025, 10, 6),
        end_date=dt.date(2025, 10, 6),
        reason="ongeoorloofd",
        hours_per_day=Decimal(4),
    )
    StudentStatus.objects.create(
        student=student,
        run=run,
        on_date=dt.date(2025, 11, 1),
        duty="leerplicht",
        leerplicht_start=dt.date(2017, 4, 1),
        leerplicht_end=dt.date(2028, 7, 31),
        category="thuiszitter",
        since=dt.date(2025, 7, 1),
        over_3_months=True,
    )
    melding = Melding.objects.create(
        student=student,
        rule="16_uur",
        start_date=dt.date(2025, 10, 6),
        end_date=dt.date(2025, 11, 3),
        hours=Decimal(16),
        school=school,
        first_run=run,
    )
    melding.organisations.add(gemeente, school_org)  # 16_uur: leerplicht and the school
    membership = make_member(f"zorg-{tag}", school_org, Role.SCHOOL_ZORGCOORDINATOR)
    key = make_token(membership)
    return Side(gemeente, school_org, school, student, membership.user, membership, key)


@pytest.fixture
def sides(db) -> tuple[Side, Side]:
    run = DetectionRun.objects.create(on_date=dt.date(2025, 11, 1))
    return make_side("A", 1, run), make_side("B", 2, run)


@pytest.fixture
def side_a(sides) -> Side:
    return sides[0]


@pytest.fixture
def side_b(sides) -> Side:
    return sides[1]
