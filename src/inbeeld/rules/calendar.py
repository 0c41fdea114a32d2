"""The school calendar: school years, public holidays, school-free periods per region, lesweken.

RULES.md §1. A school day is a Monday to Friday that is neither a public holiday nor inside a
school-free period of the region (``noord``, ``midden``, ``zuid``; the empty region ``""`` knows
weekends and public holidays only). The official vacations are data
(``rules/data/school_vacations.csv``), not code; ``calendar.csv`` in an exchange directory replaces
them for every region it names.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from inbeeld.rules import choices

REGIONS: tuple[str, ...] = ("noord", "midden", "zuid")
NO_REGION = ""
#: Region codes used by the bulk engine: index into ``REGION_CODES``.
REGION_CODES: tuple[str, ...] = (NO_REGION, *REGIONS)
#: A school with free days of its own has its own calendar: its region's, plus those days.
SCHOOL_CALENDAR_SEPARATOR = "+"


def school_calendar_key(region: str, brin: str) -> str:
    """The calendar key of a school with its own free days (RULES.md §1: "schools that close add
    it to their own calendar"), e.g. ``noord+12AB``: the region's school days minus its own."""
    return f"{region}{SCHOOL_CALENDAR_SEPARATOR}{brin}"


def base_region(key: str) -> str:
    """The region a calendar key builds on (``noord+12AB`` → ``noord``)."""
    return key.split(SCHOOL_CALENDAR_SEPARATOR, 1)[0]


#: Dutch month names, January first (the Regelingen's dates, the explanations' dates, letters,
#: signals and the charts' locale: the one list)
MONTH_NAMES_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
#: Dutch day names, Monday first (``date.weekday()``)
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def date_text_nl(day: dt.date) -> str:
    """``5 december 2026``: a date the Dutch way, in words."""
    return f"{day.day} {MONTH_NAMES_NL[day.month - 1]} {day.year}"


EPOCH = dt.date(1970, 1, 1)
ONE_DAY = dt.timedelta(days=1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the integer form of a date used by the bulk engine)."""
    return (day - EPOCH).days


def from_day_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def school_year_start(day: dt.date) -> dt.date:
    """1 August that opens the school year holding ``day`` (RULES.md §1: 1 August to 31 July)."""
    year = day.year if day.month >= 8 else day.year - 1
    return dt.date(year, 8, 1)


def school_year_end(day: dt.date) -> dt.date:
    """31 July that closes the school year holding ``day`` (RULES.md §1)."""
    return dt.date(school_year_start(day).year + 1, 7, 31)


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of the school year that begins in ``year`` (RULES.md §1)."""
    first = dt.date(year, 8, 1)
    return first, school_year_end(first)


def school_year_label(day: dt.date | int) -> str:
    """``2024/25`` for a day of that school year, or for the year it begins in."""
    start = day if isinstance(day, int) else school_year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def add_months_clipped(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` (negative allowed), clipped to the month's end (RULES.md §5)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _days_in_month(year, month)
    return dt.date(year, month, min(day.day, last))


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - ONE_DAY).day


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


#: Koningsdag (27 April) replaced Koninginnedag (30 April) from 2014 on (Wet van 23 april 2013,
#: Stb. 2013, 147; RULES.md §7 "Calendars back to 2011/12").
KINGS_DAY_FROM_YEAR = 2014


def kings_day(year: int) -> tuple[dt.date, str]:
    """The King's (Queen's) day of ``year``, moved back a day when it falls on a Sunday.

    RULES.md §1 and §7: until 2013 Koninginnedag, 30 April (29 April when the 30th is a Sunday);
    from 2014 Koningsdag, 27 April (26 April when the 27th is a Sunday).
    """
    if year < KINGS_DAY_FROM_YEAR:
        day, name = dt.date(year, 4, 30), "Koninginnedag"
    else:
        day, name = dt.date(year, 4, 27), "Koningsdag"
    if day.weekday() == 6:
        day -= ONE_DAY
    return day, name


@lru_cache(maxsize=512)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Public holidays on which every school is closed (RULES.md §1, §7).

    Nieuwjaarsdag, Tweede Paasdag, Koningsdag (27 April, or 26 April when the 27th is a Sunday;
    until 2013 Koninginnedag, 30 April or 29 April, see :func:`kings_day`), Hemelvaartsdag, Tweede
    Pinksterdag, 25 and 26 December, and Bevrijdingsdag (5 May) in years divisible by 5. Goede
    Vrijdag is not in the list **(choice)**: schools that close add it to their own calendar. Both
    engines read this function (the bulk arrays through :class:`CalendarArrays`).
    """
    easter = easter_sunday(year)
    royal_day, royal_name = kings_day(year)
    days = {
        dt.date(year, 1, 1): "Nieuwjaarsdag",
        easter + dt.timedelta(days=1): "Tweede Paasdag",
        royal_day: royal_name,
        easter + dt.timedelta(days=39): "Hemelvaartsdag",
        easter + dt.timedelta(days=50): "Tweede Pinksterdag",
        dt.date(year, 12, 25): "Eerste Kerstdag",
        dt.date(year, 12, 26): "Tweede Kerstdag",
    }
    if year % choices.LIBERATION_DAY_EVERY_N_YEARS == 0:
        days[dt.date(year, 5, 5)] = "Bevrijdingsdag"
    return days


@dataclass(frozen=True, slots=True)
class SchoolFreePeriod:
    """A school-free period of a region, both ends included (RULES.md §1, calendar.csv)."""

    region: str
    start: dt.date
    end: dt.date
    name: str = ""
    #: where the period comes from (the Regeling, or the page listing OCW's advice); shipped
    #: periods only (RULES.md §7), empty for imported ones
    source: str = ""


def builtin_school_free_periods() -> list[SchoolFreePeriod]:
    """The official school vacations shipped with the project (rules/data/school_vacations.csv).

    RULES.md §1 and §7: the statutory and advised vacations of every school year from 2011/12 on,
    each row with its ``source``.
    """
    text = resources.files("inbeeld.rules").joinpath("data/school_vacations.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return [
        SchoolFreePeriod(
            region=row["region"],
            start=dt.date.fromisoformat(row["start_date"]),
            end=dt.date.fromisoformat(row["end_date"]),
            name=row.get("name") or "",
            source=row.get("source") or "",
        )
        for row in rows
    ]


def covered_school_years(periods: Iterable[SchoolFreePeriod], region: str) -> frozenset[int]:
    """The school years (by the calendar year of their 1 August) a calendar covers for ``region``.

    RULES.md §7 (reading, ``choices.READINGS["school years a calendar covers"]``): a school year
    is covered when the region's school-free periods hold both its first day (1 August, inside the
    summer vacation it opens with) and its last day (31 July, inside the summer vacation it ends
    with), so the calendar says where the year's school days start and stop. A school calendar
    (``noord+12AB``) is covered as its region. The empty region is never covered.
    """
    base = base_region(region)
    if not base:
        return frozenset()
    holds_aug1: set[int] = set()
    holds_jul31: set[int] = set()
    for period in periods:
        if period.region != base:
            continue
        for year in range(period.start.year - 1, period.end.year + 1):
            if period.start <= dt.date(year, 8, 1) <= period.end:
                holds_aug1.add(year)
            if period.start <= dt.date(year + 1, 7, 31) <= period.end:
                holds_jul31.add(year)
    return frozenset(holds_aug1 & holds_jul31)


def weekday_rule_days(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the weekday window of an uncovered school year (RULES.md §7).

    **(choice)** ``choices.UNCOVERED_YEAR_WEEKDAY_WINDOW``: 1 September to 30 June; every Monday to
    Friday in it counts, public holidays included.
    """
    (m1, d1), (m2, d2) = choices.UNCOVERED_YEAR_WEEKDAY_WINDOW
    return dt.date(year, m1, d1), dt.date(year + 1, m2, d2)


def combine_school_free_periods(
    builtin: Iterable[SchoolFreePeriod], overrides: Iterable[SchoolFreePeriod] | None
) -> list[SchoolFreePeriod]:
    """The built-in periods, with every region named in ``overrides`` replaced by those (RULES.md §1)."""
    overrides = list(overrides or [])
    replaced = {period.region for period in overrides}
    return [p for p in builtin if p.region not in replaced] + overrides


class SchoolCalendar:
    """School days and lesweken per region (RULES.md §1).

    Scalar methods serve the simple reference implementation and single-child questions
    (``inbeeld leerplicht``); :meth:`arrays` gives the same calendar as numpy lookup tables for the
    bulk engine, so both read one definition.
    """

    def __init__(self, periods: Iterable[SchoolFreePeriod] | None = None) -> None:
        if periods is None:
            periods = builtin_school_free_periods()
        self.periods: tuple[SchoolFreePeriod, ...] = tuple(periods)
        unknown = {base_region(p.region) for p in self.periods} - set(REGIONS)
        if unknown:
            raise ValueError(f"unknown region(s) in calendar: {sorted(unknown)}")
        #: the regions, then every school calendar (a region plus a school's own free days)
        self.keys: tuple[str, ...] = REGION_CODES + tuple(
            sorted({p.region for p in self.periods} - set(REGION_CODES))
        )
        own: dict[str, set[dt.date]] = {key: set() for key in self.keys}
        for period in self.periods:
            day = period.start
            while day <= period.end:
                own[period.region].add(day)
                day += ONE_DAY
        self._covered: dict[str, frozenset[int]] = {}
        self._free: dict[str, set[dt.date]] = {
            key: own[key] | own[base_region(key)] if key not in REGION_CODES else own[key]
            for key in self.keys
        }

    def covered_school_years(self, region: str) -> frozenset[int]:
        """The school years this calendar covers for ``region`` (:func:`covered_school_years`)."""
        key = base_region(region or NO_REGION)
        found = self._covered.get(key)
        if found is None:
            found = self._covered[key] = covered_school_years(self.periods, key)
        return found

    def full_year_days(self, region: str, year: int) -> list[dt.date]:
        """The days a student must be enrolled on for school year ``year``/``year + 1`` to be full.

        LPW art. 3 lid 1 onder a, RULES.md §2 and §7: the region's school days when the calendar
        covers the year; otherwise every weekday from 1 September to 30 June **(choice)**.
        """
        if year in self.covered_school_years(region):
            return self.school_days(region, dt.date(year, 8, 1), dt.date(year + 1, 7, 31))
        first, last = weekday_rule_days(year)
        days = []
        day = first
        while day <= last:
            if day.weekday() < 5:
                days.append(day)
            day += ONE_DAY
        return days

    @classmethod
    def with_overrides(cls, overrides: Iterable[SchoolFreePeriod] | None) -> SchoolCalendar:
        return cls(combine_school_free_periods(builtin_school_free_periods(), overrides))

    # -- scalar questions -------------------------------------------------------------------
    def free_reason(self, region: str, day: dt.date) -> str | None:
        """Why ``day`` is not a school day in ``region`` (weekend, holiday, vacation), else None."""
        if day.weekday() >= 5:
            return "weekend"
        holiday = public_holidays(day.year).get(day)
        if holiday:
            return holiday
        if day in self._free_days(region):
            for period in self.periods:
                if (
                    period.region in (region, base_region(region))
                    and period.start <= day <= period.end
                ):
                    return period.name or "schoolvrije periode"
        return None

    def is_school_day(self, region: str, day: dt.date) -> bool:
        """A Monday to Friday, no public holiday, outside the region's school-free periods (§1)."""
        return (
            day.weekday() < 5
            and day not in public_holidays(day.year)
            and day not in self._free_days(region)
        )

    def _free_days(self, region: str) -> set[dt.date]:
        key = region or NO_REGION
        found = self._free.get(key)
        return found if found is not None else self._free.get(base_region(key), set())

    def first_school_day_on_or_after(self, region: str, day: dt.date) -> dt.date:
        while not self.is_school_day(region, day):
            day += ONE_DAY
        return day

    def school_days(self, region: str, start: dt.date, end: dt.date) -> list[dt.date]:
        days = []
        day = start
        while day <= end:
            if self.is_school_day(region, day):
                days.append(day)
            day += ONE_DAY
        return days

    def is_lesweek(self, region: str, monday: dt.date) -> bool:
        """A Monday-to-Sunday week holding at least one school day of the region (§1)."""
        return any(self.is_school_day(region, monday + dt.timedelta(days=i)) for i in range(5))

    def lesweek_window_start(self, region: str, day: dt.date, lesweken: int) -> dt.date:
        """Monday of the ``lesweken``-th lesweek counted back from ``day``'s week (its week is 1st).

        RULES.md §4: the 16_uur window (4 lesweken) and the mazl_4_in_12 window (12 lesweken).
        ``day``'s own week counts as the first, whether or not it is a lesweek (the rules only ask
        on school days, whose week always is one). Weeks without a school day are skipped.
        """
        monday = monday_of(day)
        counted = 1
        while counted < lesweken:
            monday -= dt.timedelta(days=7)
            if monday.year < 1900:
                break
            if self.is_lesweek(region, monday):
                counted += 1
        return monday

    # -- the same calendar as arrays ---------------------------------------------------------
    def arrays(self, first: dt.date, last: dt.date) -> CalendarArrays:
        return CalendarArrays(self, first, last)


class CalendarArrays:
    """Lookup tables over day numbers ``[first, last]`` for every region code (bulk engine).

    Row ``r`` is calendar ``keys[r]`` (the regions of ``REGION_CODES`` first, then the calendars
    of schools with free days of their own). Index ``i`` is day ``first + i``.
    """

    def __init__(self, calendar: SchoolCalendar, first: dt.date, last: dt.date) -> None:
        first = monday_of(first)
        self.first = first
        self.last = last
        self.offset = day_number(first)
        n = (last - first).days + 1
        self.size = n
        days = self.offset + np.arange(n, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (3)
        holiday = np.zeros(n, dtype=bool)
        for year in range(first.year, last.year + 1):
            for day in public_holidays(year):
                i = (day - first).days
                if 0 <= i < n:
                    holiday[i] = True
        base = (weekday < 5) & ~holiday
        self.calendar = calendar
        self.keys = calendar.keys
        self._row = {key: r for r, key in enumerate(self.keys)}
        school = np.repeat(base[None, :], len(self.keys), axis=0)
        for period in calendar.periods:
            a = max((period.start - first).days, 0)
            b = min((period.end - first).days, n - 1)
            if a > b:
                continue
            school[self._row[period.region], a : b + 1] = False
            if period.region in REGION_CODES:  # a region's period holds for its schools too
                for r, key in enumerate(self.keys):
                    if key not in REGION_CODES and base_region(key) == period.region:
                        school[r, a : b + 1] = False
        self.school = school
        #: number of school days up to and including each day (consecutive-day tests).
        self.ordinal = np.cumsum(school, axis=1, dtype=np.int32)
        self._window_cache: dict[int, np.ndarray] = {}

    def row(self, key: str | None) -> int:
        """The row of a calendar key (a region, or a school calendar)."""
        return self._row[key or NO_REGION]

    def index(self, day_numbers: np.ndarray) -> np.ndarray:
        idx = np.asarray(day_numbers, dtype=np.int64) - self.offset
        if idx.size and (idx.min() < 0 or idx.max() >= self.size):
            raise ValueError("date outside the calendar range")
        return idx

    def flat(self, region: np.ndarray, day_numbers: np.ndarray) -> np.ndarray:
        """Index into a raveled (region, day) table: one gather instead of a 2-D fancy index."""
        return np.asarray(region, dtype=np.int64) * self.size + (day_numbers - self.offset)

    @cached_property
    def full_year_required(self) -> np.ndarray:
        """Per calendar row and day: must the student be enrolled on it for a full school year?

        The bulk form of :meth:`SchoolCalendar.full_year_days` (LPW art. 3 lid 1 onder a, RULES.md
        §7): school days in the school years the row's region is covered for, weekdays from
        1 September to 30 June in the others **(choice)**.
        """
        days = self.offset + np.arange(self.size, dtype=np.int64)
        dates = days.astype("datetime64[D]")
        months = dates.astype("datetime64[M]")
        month_day = (
            ((months.astype(np.int64) % 12) + 1) * 100 + (dates - months).astype(np.int64) + 1
        )
        weekday = (days + 3) % 7
        (m1, d1), (m2, d2) = choices.UNCOVERED_YEAR_WEEKDAY_WINDOW
        # the window runs over the new year: from (m1, d1) to the end of December, and from
        # January to (m2, d2)
        in_window = (month_day >= m1 * 100 + d1) | (month_day <= m2 * 100 + d2)
        weekday_rule = (weekday < 5) & in_window
        out = np.empty_like(self.school)
        for r, key in enumerate(self.keys):
            covered = np.isin(self.school_year, sorted(self.calendar.covered_school_years(key)))
            out[r] = np.where(covered, self.school[r], weekday_rule)
        return out

    @cached_property
    def next_full_year_day(self) -> np.ndarray:
        """Day number of the first :attr:`full_year_required` day on or after each day."""
        return self._next_true(self.full_year_required)

    @cached_property
    def any_school(self) -> np.ndarray:
        """A school day in some region: a weekday that is no public holiday."""
        return np.asarray(self.school.any(axis=0))

    @cached_property
    def ordinal_flat(self) -> np.ndarray:
        return self.ordinal.ravel()

    def ordinal_before(self, region: np.ndarray, day_numbers: np.ndarray) -> np.ndarray:
        """School days of ``region`` from the table start up to the day before each day."""
        return (
            self.ordinal_flat[self.flat(region, day_numbers)]
            - self.school.ravel()[self.flat(region, day_numbers)]
        )

    @cached_property
    def school_year(self) -> np.ndarray:
        """Per day: the calendar year in which its school year began (RULES.md §1)."""
        dates = (self.offset + np.arange(self.size)).astype("datetime64[D]")
        months = dates.astype("datetime64[M]").astype(np.int64)
        return months // 12 + 1970 - ((months % 12) < 7)

    @cached_property
    def school_year_start(self) -> np.ndarray:
        """Per day: the day number of the 1 August opening its school year."""
        months = (self.school_year - 1970) * 12 + 7
        return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)

    @cached_property
    def next_school_day(self) -> np.ndarray:
        """Day number of the first school day on or after each day (or a far-future sentinel)."""
        return self._next_true(self.school)

    def _next_true(self, table: np.ndarray) -> np.ndarray:
        n = self.size
        out = np.empty_like(table, dtype=np.int64)
        idx = np.arange(n, dtype=np.int64)
        for r in range(table.shape[0]):
            marks = np.where(table[r], idx, n + 10_000)
            out[r] = np.minimum.accumulate(marks[::-1])[::-1] + self.offset
        return out

    def window_start(self, lesweken: int) -> np.ndarray:
        """Day number of the window start for every region and day (see lesweek_window_start)."""
        if lesweken in self._window_cache:
            return self._window_cache[lesweken]
        n = self.size
        weeks = n // 7 + 1
        padded = np.zeros((self.school.shape[0], weeks * 7), dtype=bool)
        padded[:, :n] = self.school
        is_lesweek = np.asarray(padded.reshape(self.school.shape[0], weeks, 7).any(axis=2))
        out = np.empty((self.school.shape[0], n), dtype=np.int64)
        week_of_day = np.arange(n) // 7
        for r in range(self.school.shape[0]):
            lw = is_lesweek[r]
            # lesweken strictly before each week
            before = np.concatenate([[0], np.cumsum(lw)[:-1]])
            lesweek_positions = np.flatnonzero(lw)
            # the day's own week is the 1st; we need (lesweken - 1) lesweken strictly before it
            need = lesweken - 1
            k = before - need  # index into lesweek_positions of the earliest counted lesweek
            if need == 0:
                start_week = np.arange(weeks)
            elif lesweek_positions.size == 0:
                start_week = np.zeros(weeks, dtype=np.int64)
            else:
                # earliest counted lesweek; a window reaching before the table starts at week 0
                start_week = np.where(
                    k >= 0, lesweek_positions[np.clip(k, 0, lesweek_positions.size - 1)], 0
                )
            # windows reaching before the calendar start begin at its first Monday (clipped)
            start_week = np.maximum(start_week, 0)
            out[r] = start_week[week_of_day] * 7 + self.offset
        self._window_cache[lesweken] = out
        return out
