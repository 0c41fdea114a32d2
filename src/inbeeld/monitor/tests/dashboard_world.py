"""A small world for the dashboard's tests: two gemeenten, a samenwerkingsverband, schools,
pupils, and thuiszitter episodes written directly (as a refresh would)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.attendance.tests.factories import (
    BIRTH_DATE,
    EnrolmentFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
)
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.people.models import School, Student

ON = dt.date(2025, 3, 3)  # school year 2024/25
AV = "absoluut_verzuim"
LRV = "langdurig_relatief_verzuim"


@dataclass
class World:
    refresh: FiguresRefresh
    gemeente_a: Organisation
    gemeente_b: Organisation
    swv: Organisation
    school_a: School
    school_a2: School
    school_b: School
    beleid_a: Membership
    beleid_b: Membership
    beleid_swv: Membership
    beleid_school: Membership
    leerplicht_a: Membership
    thuiszitter_a: Student


def episode(
    world_refresh: FiguresRefresh,
    school: School | None,
    *,
    category: str = AV,
    start: dt.date = dt.date(2024, 9, 2),
    end: dt.date | None = None,
    over: dt.date | None = None,
    student: Student | None = None,
    postcode_area: str = "9711",
) -> Episode:
    municipality = school.municipality_code if school else "GM0001"
    student = student or StudentFactory(municipality_code=municipality, birth_date=BIRTH_DATE)
    return Episode.objects.create(
        student=student,
        category=category,
        start_date=start,
        end_date=end,
        over_3_months_on=over,
        school=school,
        partnership=school.partnership if school else None,
        municipality_code=student.municipality_code,
        postcode_area=postcode_area,
        refresh=world_refresh,
    )


def make_world() -> World:
    refresh = FiguresRefresh.objects.create(on_date=ON, finished_at=timezone.now())
    gemeente_a = OrganisationFactory(code="GM0001", name="Gemeente A")
    gemeente_b = OrganisationFactory(code="GM0002", name="Gemeente B")
    swv = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV0001", name="SWV Noord"
    )
    school_a = SchoolFactory(
        brin="11AA", name="De Linde", municipality_code="GM0001", partnership=swv
    )
    school_a2 = SchoolFactory(brin="12AA", name="De Wilg", municipality_code="GM0001")
    school_b = SchoolFactory(brin="22BB", name="De Eik", municipality_code="GM0002")
    # pupils enrolled now: 20 in A (at De Linde), 30 in B
    for _ in range(20):
        EnrolmentFactory(
            student=StudentFactory(municipality_code="GM0001", birth_date=BIRTH_DATE),
            school=school_a,
        )
    for _ in range(30):
        EnrolmentFactory(
            student=StudentFactory(municipality_code="GM0002", birth_date=BIRTH_DATE),
            school=school_b,
        )
    # A now: 7 absoluut verzuim (3 over three months) at De Linde, 2 LRV at De Wilg
    first = None
    for i in range(7):
        made = episode(
            refresh,
            school_a,
            start=dt.date(2024, 9, 2) if i < 3 else dt.date(2025, 1, 6),
            over=dt.date(2024, 12, 2) if i < 3 else None,
        )
        first = first or made.student
    for _ in range(2):
        episode(refresh, school_a2, category=LRV, start=dt.date(2025, 1, 13), postcode_area="9712")
    # A returned: 6 in October 2024 after 30 days each, one of whom went home again in January
    returned = [
        episode(refresh, school_a, start=dt.date(2024, 9, 2), end=dt.date(2024, 10, 1))
        for _ in range(6)
    ]
    episode(
        refresh,
        school_a,
        start=dt.date(2025, 1, 20),
        end=dt.date(2025, 2, 20),
        student=returned[0].student,
    )
    # B now: 12 absoluut verzuim, 6 LRV
    for _ in range(12):
        episode(refresh, school_b, over=dt.date(2024, 12, 2))
    for _ in range(6):
        episode(refresh, school_b, category=LRV, start=dt.date(2025, 1, 13))
    return World(
        refresh=refresh,
        gemeente_a=gemeente_a,
        gemeente_b=gemeente_b,
        swv=swv,
        school_a=school_a,
        school_a2=school_a2,
        school_b=school_b,
        beleid_a=MembershipFactory(organisation=gemeente_a, role=Role.BELEIDSMEDEWERKER),
        beleid_b=MembershipFactory(organisation=gemeente_b, role=Role.BELEIDSMEDEWERKER),
        beleid_swv=MembershipFactory(organisation=swv, role=Role.BELEIDSMEDEWERKER),
        beleid_school=MembershipFactory(
            organisation=school_a.organisation, role=Role.BELEIDSMEDEWERKER
        ),
        leerplicht_a=MembershipFactory(organisation=gemeente_a),
        thuiszitter_a=first,
    )
