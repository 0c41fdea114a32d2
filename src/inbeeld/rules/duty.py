"""Duty: leerplicht and kwalificatieplicht of one child (RULES.md §2).

Plain functions on one child; the bulk engine (``rules.engine``) computes the same for everyone at
once and is checked against these in the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inbeeld.rules import choices
from inbeeld.rules.calendar import NO_REGION, ONE_DAY, SchoolCalendar
from inbeeld.rules.model import Enrolment, School, Student

LEERPLICHT = "leerplicht"
KWALIFICATIEPLICHT = "kwalificatieplicht"
NONE = "none"


def birthday(birth_date: dt.date, age: int) -> dt.date:
    """The day a child turns ``age``; a 29 February birthday falls on 1 March in common years.

    RULES.md §2 **(choice)**, see ``choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR``.
    """
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a common year
        month, day = choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR
        return dt.date(year, month, day)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``: the birthday itself counts, and a 29 February birthday
    falls where :func:`birthday` puts it. The one definition of a child's age (the worklist's
    age and its filter, the letters' age checks)."""
    age = day.year - birth_date.year
    return age - 1 if birthday(birth_date, age) > day else age


def latest_birth_date(age: int, day: dt.date) -> dt.date:
    """The latest birth date of a child who is ``age`` or older on ``day`` (:func:`age_on`)."""
    year = day.year - age
    born = dt.date(year, 2, 28) if (day.month, day.day) == (2, 29) else day.replace(year=year)
    while age_on(born, day) < age:  # a 29 February birthday after ``day`` in a common year
        born -= ONE_DAY
    while age_on(born + ONE_DAY, day) >= age:
        born += ONE_DAY
    return born


def home_region(
    student: Student, enrolments: Sequence[Enrolment], schools: dict[str, School]
) -> str:
    """The region whose calendar applies when no enrolment says otherwise (RULES.md §1).

    The ``region`` column of students.csv, else the region of the school of the earliest enrolment
    (on equal start dates the one on the earlier line), else none (weekends and holidays only).
    """
    if student.region:
        return student.region
    if enrolments:
        first = min(enrolments, key=lambda e: (e.start, e.line))
        return schools[first.brin].region
    return NO_REGION


def leerplicht_start(birth_date: dt.date, region: str, calendar: SchoolCalendar) -> dt.date:
    """First day of leerplicht: LPW art. 3 lid 1, RULES.md §2.

    The first school day (home region) on or after the first day of the month following the month
    of the 5th birthday. A birthday on the 1st still moves it to the next month; when that month
    starts with a vacation the first school day after it counts **(choice)**.
    """
    fifth = birthday(birth_date, choices.LEERPLICHT_START_AGE)
    first_of_next_month = dt.date(fifth.year + (fifth.month == 12), fifth.month % 12 + 1, 1)
    return calendar.first_school_day_on_or_after(region, first_of_next_month)


def leerplicht_end_by_age(birth_date: dt.date) -> dt.date:
    """31 July of the school year in which the child turns 16: LPW art. 3 lid 1 onder b, RULES.md §2."""
    sixteenth = birthday(birth_date, choices.LEERPLICHT_END_AGE)
    year = sixteenth.year + 1 if sixteenth.month >= 8 else sixteenth.year
    return dt.date(year, 7, 31)


def enrolled_on(enrolments: Iterable[Enrolment], day: dt.date) -> bool:
    return any(e.covers(day) for e in enrolments)


def full_school_years(
    enrolments: Sequence[Enrolment], region: str, calendar: SchoolCalendar, until: dt.date
) -> list[dt.date]:
    """The school years (by their 1 August) ending on or before ``until`` that were full.

    LPW art. 3 lid 1 onder a, RULES.md §2 and §7 (v2).

    A school year is full when the child was enrolled on every day of
    ``calendar.full_year_days(region, year)``: every school day of the home region when a shipped
    or imported calendar covers the year (``choices.READINGS["school years a calendar covers"]``),
    else every weekday from 1 September to 30 June **(choice)**. An enrolment without end date is
    taken to continue (``choices.READINGS``).
    """
    if not enrolments:
        return []
    first_year = min(e.start for e in enrolments).year - 1
    full = []
    year = first_year
    while dt.date(year + 1, 7, 31) <= until:
        days = calendar.full_year_days(region, year)
        if days and all(enrolled_on(enrolments, day) for day in days):
            full.append(dt.date(year, 8, 1))
        year += 1
    return full


def leerplicht_end(
    birth_date: dt.date, enrolments: Sequence[Enrolment], region: str, calendar: SchoolCalendar
) -> dt.date:
    """Last day of leerplicht: LPW art. 3 lid 1 onder a and b, RULES.md §2 and §7.

    31 July of the school year in which the child turns 16 (onder b), or, when earlier, 31 July of
    the 12th full school year (onder a; :func:`full_school_years`).
    """
    by_age = leerplicht_end_by_age(birth_date)
    years = full_school_years(enrolments, region, calendar, by_age)
    if len(years) >= choices.FULL_SCHOOL_YEARS_FOR_END:
        twelfth = years[choices.FULL_SCHOOL_YEARS_FOR_END - 1]
        return min(by_age, dt.date(twelfth.year + 1, 7, 31))
    return by_age


def kwalificatieplicht_end(student: Student, leerplicht_last_day: dt.date) -> dt.date | None:
    """Last day of kwalificatieplicht, or None when it does not apply: LPW art. 4b, RULES.md §2.

    It follows leerplicht from the next day until the day before the 18th birthday, or until the day
    before ``startkwalificatie_date`` when that is earlier. It does not apply when the
    startkwalificatie was obtained on or before the end of leerplicht, nor when the student is
    exempt from it (``kwalificatieplicht_exempt``: praktijkonderwijs certificate, VSO; art. 4a lid 2).
    """
    if student.kwalificatieplicht_exempt:
        return None
    skq = student.startkwalificatie_date
    if skq is not None and skq <= leerplicht_last_day:
        return None
    end = birthday(student.birth_date, choices.KWALIFICATIEPLICHT_END_AGE) - ONE_DAY
    if skq is not None:
        end = min(end, skq - ONE_DAY)
    if end <= leerplicht_last_day:
        return None
    return end


@dataclass(frozen=True, slots=True)
class DutyPeriod:
    """When one child's duty starts and ends."""

    leerplicht_start: dt.date
    leerplicht_end: dt.date
    kwalificatieplicht_end: dt.date | None

    @property
    def last_day(self) -> dt.date:
        return self.kwalificatieplicht_end or self.leerplicht_end

    def on(self, day: dt.date) -> str:
        """``leerplicht``, ``kwalificatieplicht`` or ``none`` on ``day`` (RULES.md §2)."""
        if self.leerplicht_start <= day <= self.leerplicht_end:
            return LEERPLICHT
        if (
            self.kwalificatieplicht_end is not None
            and self.leerplicht_end < day <= self.kwalificatieplicht_end
        ):
            return KWALIFICATIEPLICHT
        return NONE


def duty_period(
    student: Student,
    enrolments: Sequence[Enrolment],
    schools: dict[str, School],
    calendar: SchoolCalendar,
) -> DutyPeriod:
    """Leerplicht start and end and the end of kwalificatieplicht for one child (RULES.md §2)."""
    region = home_region(student, enrolments, schools)
    start = leerplicht_start(student.birth_date, region, calendar)
    end = leerplicht_end(student.birth_date, enrolments, region, calendar)
    return DutyPeriod(start, end, kwalificatieplicht_end(student, end))
