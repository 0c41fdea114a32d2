"""A child's age in the database: the ORM expression of ``rules.duty.age_on``.

``rules.duty.age_on`` is the one definition of a child's age (whole years; the birthday itself
counts; a 29 February birthday falls on ``choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR`` in common
years, RULES.md §2 (choice)). A worklist filters thousands of rows by age, each on its own date, so
the database computes it: :func:`age_on` writes the same rule as one expression, the same on SQLite
and PostgreSQL, and ``people/tests/test_age.py`` checks it against ``rules.duty.age_on`` over
generated dates, leap days included.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Mod
from django.db.models.lookups import Exact, GreaterThan

from inbeeld.rules import choices

LEAP_DAY = 2 * 100 + 29  # month * 100 + day


def _month_day(field: str) -> CombinedExpression:
    return ExtractMonth(field) * 100 + ExtractDay(field)


def _divisible(year: ExtractYear, by: int) -> Exact:
    return Exact(Mod(year, Value(by)), 0)


def _common_year(field: str) -> Q:
    """The year of ``field`` has no 29 February (Gregorian)."""
    year = ExtractYear(field)
    leap = Q(_divisible(year, 4)) & (~Q(_divisible(year, 100)) | Q(_divisible(year, 400)))
    return ~leap


def age_on(birth_date: str, day: str) -> Case:
    """The age in whole years, on the date in field ``day``, of a child born on the date in field
    ``birth_date`` (field paths, e.g. ``"student__birth_date"`` and ``"end_date"``)."""
    month, day_of_month = choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR
    years = ExtractYear(day) - ExtractYear(birth_date)
    born = _month_day(birth_date)
    birthday_that_year = Case(
        When(Q(Exact(born, LEAP_DAY)) & _common_year(day), then=Value(month * 100 + day_of_month)),
        default=born,
        output_field=IntegerField(),
    )
    return Case(
        When(GreaterThan(birthday_that_year, _month_day(day)), then=years - 1),
        default=years,
        output_field=IntegerField(),
    )
