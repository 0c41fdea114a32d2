"""RULES.md §2: leerplicht start and end, full school years, kwalificatieplicht, duty on a date.

Every expected date is worked out by hand from RULES.md §2 and the built-in calendar. Cases that
go through ``both`` are checked on the reference (duty_period / analyse_student) and on the bulk
engine (engine.analyse) with the same one-child data set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbeeld.rules.calendar import NO_REGION, SchoolCalendar, SchoolFreePeriod
from inbeeld.rules.calendar import builtin_school_free_periods as builtin
from inbeeld.rules.duty import (
    KWALIFICATIEPLICHT,
    LEERPLICHT,
    NONE,
    DutyPeriod,
    age_on,
    birthday,
    duty_period,
    full_school_years,
    home_region,
    kwalificatieplicht_end,
    latest_birth_date,
    leerplicht_end,
    leerplicht_end_by_age,
    leerplicht_start,
)
from inbeeld.rules.tests.builders import (
    CALENDAR,
    NOORD_PO,
    NOORD_VO,
    SCHOOLS,
    ZUID_PO,
    ZUID_VO,
    both,
    d,
    enrol,
    record,
    student,
)

# -- birthdays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "age", "expected"),
    [
        pytest.param("2020-02-29", 5, "2025-03-01", id="leap-day-in-common-year-is-1-march"),
        pytest.param("2020-02-29", 4, "2024-02-29", id="leap-day-in-leap-year"),
        pytest.param("2008-02-29", 18, "2026-03-01", id="leap-day-18th"),
        pytest.param("2008-02-29", 16, "2024-02-29", id="leap-day-16th-leap-year"),
        pytest.param("2010-06-15", 16, "2026-06-15", id="plain"),
    ],
)
def test_birthday(birth, age, expected):
    assert birthday(d(birth), age) == d(expected)


# -- age on a date, and the birth dates of an age range ---------------------------------------------


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        pytest.param("2014-11-04", "2024-11-04", 10, id="on-the-birthday"),
        pytest.param("2014-11-04", "2024-11-03", 9, id="the-day-before"),
        pytest.param("2012-02-29", "2024-02-28", 11, id="leap-day-before-in-leap-year"),
        pytest.param("2012-02-29", "2024-02-29", 12, id="leap-day-in-leap-year"),
        pytest.param("2012-02-29", "2023-02-28", 10, id="leap-day-28-feb-common-year"),
        pytest.param("2012-02-29", "2023-03-01", 11, id="leap-day-is-1-march-in-common-year"),
        pytest.param("2010-12-31", "2024-01-01", 13, id="new-year"),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(d(birth), d(day)) == age


def test_latest_birth_date_of_an_age_on_a_leap_day():
    assert latest_birth_date(12, d("2024-02-29")) == d("2012-02-29")
    assert latest_birth_date(11, d("2024-02-29")) == d("2013-02-28")
    assert latest_birth_date(11, d("2023-02-28")) == d("2012-02-28")
    assert latest_birth_date(11, d("2023-03-01")) == d("2012-03-01")


DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
AGES = st.integers(min_value=0, max_value=40)


@given(birth=DAYS, day=DAYS)
def test_age_on_is_the_birthday_passed(birth, day):
    """The age is the last birthday (:func:`birthday`, leap days included) on or before ``day``."""
    age = age_on(birth, day)
    assert birthday(birth, age) <= day < birthday(birth, age + 1)


# -- leerplicht start -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "region", "expected"),
    [
        # 5th birthday 1 Mar 2024 → still the next month: 1 Apr 2024 = Tweede Paasdag → Tue 2 Apr.
        pytest.param("2019-03-01", "zuid", "2024-04-02", id="birthday-on-1st-moves-a-month"),
        # 5th birthday 1 Oct 2024 → 1 Nov 2024 (Fri): a school day in zuid, noord autumn vacation
        # (26 Oct–3 Nov) → Mon 4 Nov.
        pytest.param("2019-10-01", "zuid", "2024-11-01", id="1st-zuid"),
        pytest.param("2019-10-01", "noord", "2024-11-04", id="1st-noord-autumn-vacation"),
        # last day of a month: 31 Oct 2024 → 1 Nov 2024, as above
        pytest.param("2019-10-31", "zuid", "2024-11-01", id="last-of-month-zuid"),
        pytest.param("2019-10-31", "midden", "2024-11-04", id="last-of-month-midden"),
        # 30 Apr 2024 → 1 May 2024: meivakantie 27 Apr–5 May everywhere → Mon 6 May 2024
        pytest.param("2019-04-30", "noord", "2024-05-06", id="last-of-april-meivakantie"),
        # 31 Dec 2024 → 1 Jan 2025 (Nieuwjaarsdag, Christmas until 5 Jan) → Mon 6 Jan 2025
        pytest.param("2019-12-31", "zuid", "2025-01-06", id="31-december-christmas"),
        # ...and without a region only weekends and holidays: Thu 2 Jan 2025
        pytest.param("2019-12-31", NO_REGION, "2025-01-02", id="31-december-no-region"),
        # 29 Feb 2020: 5th birthday 1 Mar 2025 (common year) → April → Tue 1 Apr 2025
        # (reading it as 28 Feb would give Mon 3 Mar 2025)
        pytest.param("2020-02-29", "zuid", "2025-04-01", id="29-february"),
        # 29 Feb 2016: 1 Mar 2021 → Thu 1 Apr 2021 (no vacation data for 2021)
        pytest.param("2016-02-29", "noord", "2021-04-01", id="29-february-2016"),
        # 5th birthday in July 2024 → 1 Aug 2024 is in every summer vacation → the first school
        # day after the region's: zuid (until 18 Aug) 19 Aug, midden (25 Aug) 26 Aug, noord
        # (1 Sep) 2 Sep; no region: Thu 1 Aug itself.
        pytest.param("2019-07-10", "zuid", "2024-08-19", id="july-zuid"),
        pytest.param("2019-07-10", "midden", "2024-08-26", id="july-midden"),
        pytest.param("2019-07-10", "noord", "2024-09-02", id="july-noord"),
        pytest.param("2019-07-10", NO_REGION, "2024-08-01", id="july-no-region"),
        # 31 Jul 2025 → 1 Aug 2025 (Fri): zuid until 17 Aug → 18 Aug; noord until 24 Aug → 25 Aug;
        # midden until 31 Aug → 1 Sep 2025.
        pytest.param("2020-07-31", "zuid", "2025-08-18", id="july-2025-zuid"),
        pytest.param("2020-07-31", "noord", "2025-08-25", id="july-2025-noord"),
        pytest.param("2020-07-31", "midden", "2025-09-01", id="july-2025-midden"),
        # June 2025 → 1 Jul 2025 (Tue) is before every summer vacation of 2025: a school day
        pytest.param("2020-06-15", "zuid", "2025-07-01", id="june-before-summer"),
        # 31 Jan 2025 → 1 Feb 2025 is a Saturday → Mon 3 Feb 2025
        pytest.param("2020-01-31", "noord", "2025-02-03", id="after-a-weekend"),
        # 15 Aug 2024 → 1 Sep 2024 is a Sunday → Mon 2 Sep (noord's summer ends that Sunday)
        pytest.param("2019-08-15", "noord", "2024-09-02", id="sunday-end-of-noord-summer"),
        # 30 Nov 2024 → 1 Dec 2024 (Sunday) → Mon 2 Dec 2024
        pytest.param("2019-11-30", "midden", "2024-12-02", id="sunday-1-december"),
    ],
)
def test_leerplicht_start(birth, region, expected):
    assert leerplicht_start(d(birth), region, CALENDAR) == d(expected)


@pytest.mark.parametrize(
    ("region", "enrolments", "expected"),
    [
        # students.csv region wins over the school's region
        pytest.param("zuid", [("03NP", "2023-08-01")], "2024-08-19", id="students-region"),
        # no region: the earliest enrolment's school (noord) → 2 Sep 2024
        pytest.param(
            None,
            [("03NP", "2023-08-01"), ("01ZP", "2024-01-08")],
            "2024-09-02",
            id="earliest-enrolment-noord",
        ),
        pytest.param(
            None,
            [("01ZP", "2023-08-01"), ("03NP", "2024-01-08")],
            "2024-08-19",
            id="earliest-enrolment-zuid",
        ),
        # no region and no enrolment: weekends and holidays only → Thu 1 Aug 2024
        pytest.param(None, [], "2024-08-01", id="no-region"),
    ],
)
def test_leerplicht_start_home_region(region, enrolments, expected):
    # born 10 Jul 2019: 5th birthday in July 2024, see test_leerplicht_start
    rec = record(student("2019-07-10", region=region), [enrol(b, s) for b, s in enrolments])
    assert home_region(rec.student, rec.enrolments, SCHOOLS) == (
        region or (SCHOOLS[enrolments[0][0]].region if enrolments else NO_REGION)
    )
    ref, bulk = both(rec, "2024-10-01")
    assert ref.status.leerplicht_start == bulk.status.leerplicht_start == d(expected)


# -- leerplicht end -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        # 16 on 31 Jul 2024: the school year 2023/24 → that same 31 July
        pytest.param("2008-07-31", "2024-07-31", id="16-on-31-july"),
        # 16 on 1 Aug 2024: school year 2024/25 → 31 Jul 2025
        pytest.param("2008-08-01", "2025-07-31", id="16-on-1-august"),
        pytest.param("2008-12-15", "2025-07-31", id="16-in-december"),
        pytest.param("2009-01-01", "2025-07-31", id="16-on-1-january"),
        # 29 Feb 2008 → 16 on 29 Feb 2024 (a leap year) → 31 Jul 2024
        pytest.param("2008-02-29", "2024-07-31", id="29-february"),
    ],
)
def test_leerplicht_end_by_age(birth, expected):
    assert leerplicht_end_by_age(d(birth)) == d(expected)
    # without enrolments the age rule decides, in both implementations
    ref, bulk = both(record(student(birth, region="zuid")), "2024-06-03")
    assert ref.status.leerplicht_end == bulk.status.leerplicht_end == d(expected)


#: Born 1 Aug 2008 (16 on 1 Aug 2024 → by age leerplicht ends 31 Jul 2025). The built-in calendar
#: has no vacations before 2023, so 1 Aug 2012 (a Wednesday) is the first school day of 2012/13.
BORN_AUGUST = "2008-08-01"
#: zuid summer 2012 added, so that a child who turns 4 on 10 Aug 2012 is enrolled from before the
#: first school day (20 Aug 2012) of the school year.
CALENDAR_2012 = SchoolCalendar(
    [*builtin(), SchoolFreePeriod("zuid", d("2012-07-07"), d("2012-08-19"), "zomervakantie 2012")]
)


@pytest.mark.parametrize(
    ("birth", "region", "enrolments", "calendar", "expected"),
    [
        # Enrolled from 1 Aug 2012 (age 4) without a break: full school years 2012/13 … 2023/24
        # are twelve → leerplicht ends 31 Jul 2024, a year before the age rule (31 Jul 2025).
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-01", "2020-07-31"), (ZUID_VO, "2020-08-01", None)],
            CALENDAR,
            "2024-07-31",
            id="twelve-full-years",
        ),
        # Born 10 Aug 2008, enrolled on the 4th birthday, 10 Aug 2012; zuid's (added) summer 2012
        # lasts until 19 Aug, so 2012/13 is full → twelve full years → 31 Jul 2024.
        pytest.param(
            "2008-08-10",
            "zuid",
            [(ZUID_PO, "2012-08-10", None)],
            CALENDAR_2012,
            "2024-07-31",
            id="enrolled-at-4-before-first-school-day",
        ),
        # The same child with the built-in calendar (v2 ships zuid's summer 2012, 30 Jun–12 Aug,
        # Regeling for 2012, BO dates): 1–9 Aug 2012 are vacation, 2012/13 is full → twelve full
        # years → 31 Jul 2024. (v1 had no 2012 calendar: 1–9 Aug were school days → 2025.)
        pytest.param(
            "2008-08-10",
            "zuid",
            [(ZUID_PO, "2012-08-10", None)],
            CALENDAR,
            "2024-07-31",
            id="enrolled-in-shipped-summer-2012",
        ),
        # A gap on Wed 11 Mar 2015 (a school day) breaks 2014/15 → eleven full years by 2023/24;
        # the 12th would end 31 Jul 2025 = the age rule → 31 Jul 2025.
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-01", "2015-03-10"), (ZUID_PO, "2015-03-12", None)],
            CALENDAR,
            "2025-07-31",
            id="gap-on-a-school-day-breaks-a-year",
        ),
        # A gap over a weekend (Fri 13 → Mon 16 Mar 2015) misses no school day → still twelve.
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-01", "2015-03-13"), (ZUID_PO, "2015-03-16", None)],
            CALENDAR,
            "2024-07-31",
            id="gap-over-a-weekend",
        ),
        # A gap over zuid's summer 2023 (15 Jul–27 Aug): out 14 Jul, back 28 Aug → no school day
        # of the home region zuid missed → twelve → 31 Jul 2024.
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-01", "2023-07-14"), (ZUID_VO, "2023-08-28", None)],
            CALENDAR,
            "2024-07-31",
            id="gap-in-home-region-summer",
        ),
        # The same dates with home region noord (summer 2023: 22 Jul–3 Sep): 17–21 Jul 2023 are
        # noord school days without enrolment → 2022/23 not full → 31 Jul 2025.
        pytest.param(
            BORN_AUGUST,
            "noord",
            [(NOORD_PO, "2012-08-01", "2023-07-14"), (NOORD_VO, "2023-08-28", None)],
            CALENDAR,
            "2025-07-31",
            id="same-gap-noord-breaks-2022-23",
        ),
        # Enrolled from Tue 14 Aug 2012: Mon 13 Aug 2012, zuid's first school day after its summer
        # (30 Jun–12 Aug 2012), missed → 2012/13 not full → 31 Jul 2025.
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-14", None)],
            CALENDAR,
            "2025-07-31",
            id="one-day-late",
        ),
        # Enrolled from Mon 13 Aug 2012, the first school day: 2012/13 full → 31 Jul 2024.
        pytest.param(
            BORN_AUGUST,
            "zuid",
            [(ZUID_PO, "2012-08-13", None)],
            CALENDAR,
            "2024-07-31",
            id="on-the-first-school-day",
        ),
        # Born 31 Jul 2008: the age rule already ends 31 Jul 2024 = the 12th full year's end.
        pytest.param(
            "2008-07-31",
            "zuid",
            [(ZUID_PO, "2012-08-01", None)],
            CALENDAR,
            "2024-07-31",
            id="age-rule-and-12-years-coincide",
        ),
    ],
)
def test_leerplicht_end_full_school_years(birth, region, enrolments, calendar, expected):
    rec = record(student(birth, region=region), [enrol(*e) for e in enrolments])
    assert leerplicht_end(d(birth), rec.enrolments, region, calendar) == d(expected)
    ref, bulk = both(rec, "2024-09-02", calendar=calendar)
    assert ref.status.leerplicht_end == bulk.status.leerplicht_end == d(expected)


def test_full_school_years_lists_the_first_of_august():
    # twelve-full-years case: full years 2012/13 … 2024/25 (until 31 Jul 2025), 13 in all
    enrolments = record(
        student(BORN_AUGUST),
        [enrol(ZUID_PO, "2012-08-01", "2020-07-31"), enrol(ZUID_VO, "2020-08-01")],
    ).enrolments
    years = full_school_years(enrolments, "zuid", CALENDAR, d("2025-07-31"))
    assert years == [d(f"{y}-08-01") for y in range(2012, 2025)]
    # with the gap of 11 Mar 2015: 2014/15 drops out
    gap = record(
        student(BORN_AUGUST),
        [enrol(ZUID_PO, "2012-08-01", "2015-03-10"), enrol(ZUID_PO, "2015-03-12")],
    ).enrolments
    years = full_school_years(gap, "zuid", CALENDAR, d("2025-07-31"))
    assert d("2014-08-01") not in years
    assert len(years) == 12


# -- kwalificatieplicht ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "skq", "exempt", "expected"),
    [
        # born 10 Mar 2008: leerplicht ends 31 Jul 2024 (16 on 10 Mar 2024); 18 on 10 Mar 2026
        pytest.param("2008-03-10", None, False, "2026-03-09", id="day-before-18th-birthday"),
        pytest.param("2008-03-10", "2025-06-20", False, "2025-06-19", id="startkwalificatie"),
        pytest.param("2008-03-10", "2024-07-31", False, None, id="skq-on-end-of-leerplicht"),
        pytest.param("2008-03-10", "2024-06-01", False, None, id="skq-before-end-of-leerplicht"),
        # skq on 1 Aug 2024: kwalificatieplicht would run from 1 Aug to 31 Jul → empty → none
        pytest.param("2008-03-10", "2024-08-01", False, None, id="skq-day-after-leerplicht"),
        pytest.param("2008-03-10", "2024-08-02", False, "2024-08-01", id="skq-gives-one-day"),
        pytest.param("2008-03-10", "2027-01-01", False, "2026-03-09", id="skq-after-18"),
        pytest.param("2008-03-10", None, True, None, id="exempt"),
        pytest.param("2008-03-10", "2025-06-20", True, None, id="exempt-with-skq"),
        # 29 Feb 2008 → 18 on 1 Mar 2026 → last day 28 Feb 2026
        pytest.param("2008-02-29", None, False, "2026-02-28", id="29-february"),
    ],
)
def test_kwalificatieplicht_end(birth, skq, exempt, expected):
    stu = student(birth, region="zuid", skq=skq, exempt=exempt)
    assert kwalificatieplicht_end(stu, d("2024-07-31")) == (d(expected) if expected else None)
    ref, bulk = both(record(stu), "2024-06-03")
    assert ref.status.leerplicht_end == bulk.status.leerplicht_end == d("2024-07-31")
    assert (
        ref.status.kwalificatieplicht_end
        == bulk.status.kwalificatieplicht_end
        == (d(expected) if expected else None)
    )


def test_twelve_years_then_kwalificatieplicht():
    # twelve-full-years child: leerplicht from Mon 2 Sep 2013 (1 Sep 2013 is a Sunday), ends 31 Jul 2024, kwalificatieplicht until the day
    # before the 18th birthday (1 Aug 2026) = 31 Jul 2026; on 2 Sep 2024 (enrolled) the duty is
    # kwalificatieplicht and there is no category.
    rec = record(
        student(BORN_AUGUST, region="zuid"),
        [enrol(ZUID_PO, "2012-08-01", "2020-07-31"), enrol(ZUID_VO, "2020-08-01")],
    )
    period = duty_period(rec.student, rec.enrolments, SCHOOLS, CALENDAR)
    assert period == DutyPeriod(d("2013-09-02"), d("2024-07-31"), d("2026-07-31"))
    ref, bulk = both(rec, "2024-09-02")
    assert ref.status == bulk.status
    assert (ref.status.duty, ref.status.category) == (KWALIFICATIEPLICHT, None)


# -- duty on a date --------------------------------------------------------------------------------

# Born 10 Mar 2008, zuid, never enrolled. 5th birthday 10 Mar 2013 → 1 Apr 2013 = Tweede Paasdag
# (Easter 31 Mar 2013) → leerplicht from Tue 2 Apr 2013 to 31 Jul 2024; kwalificatieplicht
# 1 Aug 2024 – 9 Mar 2026. Never enrolled: absoluut verzuim since the start of leerplicht, the
# stretch running on unbroken into kwalificatieplicht.
DUTY_DATES = [
    ("2013-04-01", NONE, None, None, False),
    ("2013-04-02", LEERPLICHT, "absoluut_verzuim", "2013-04-02", False),
    ("2013-07-02", LEERPLICHT, "absoluut_verzuim", "2013-04-02", True),
    ("2024-07-31", LEERPLICHT, "absoluut_verzuim", "2013-04-02", True),
    ("2024-08-01", KWALIFICATIEPLICHT, "absoluut_verzuim", "2013-04-02", True),
    ("2026-03-09", KWALIFICATIEPLICHT, "absoluut_verzuim", "2013-04-02", True),
    ("2026-03-10", NONE, None, None, False),
]


@pytest.mark.parametrize(
    ("on", "duty", "category", "since", "over"),
    DUTY_DATES,
    ids=[
        "before-start",
        "first-day",
        "3-months-later",
        "last-leerplicht-day",
        "first-kwalificatieplicht-day",
        "last-kwalificatieplicht-day",
        "after",
    ],
)
def test_duty_on_dates(on, duty, category, since, over):
    rec = record(student("2008-03-10", region="zuid"))
    period = duty_period(rec.student, rec.enrolments, SCHOOLS, CALENDAR)
    assert period == DutyPeriod(d("2013-04-02"), d("2024-07-31"), d("2026-03-09"))
    assert period.on(d(on)) == duty
    ref, bulk = both(rec, on)
    assert ref.status == bulk.status
    assert ref.status.duty == duty
    assert ref.status.category == category
    assert ref.status.since == (d(since) if since else None)
    assert ref.status.over_3_months is over


def test_no_kwalificatieplicht_means_none_after_leerplicht():
    rec = record(student("2008-03-10", region="zuid", exempt=True))
    ref, bulk = both(rec, "2024-08-01")
    assert ref.status == bulk.status
    assert (ref.status.duty, ref.status.category, ref.status.since) == (NONE, None, None)


# -- RULES.md §7 (v2): calendars back to 2011/12 and the weekday rule for uncovered years ----------
BORN_AUG_2007 = (
    "2007-08-02"  # 16 on 2 Aug 2023 → the age rule ends 31 Jul 2024 (art. 3 lid 1 onder b)
)
BORN_AUG_2006 = "2006-08-02"  # 16 on 2 Aug 2022 → the age rule ends 31 Jul 2023


@pytest.mark.parametrize(
    ("birth", "region", "enrolments", "expected"),
    [
        # zuid's summer 2011 (Regeling spreiding zomervakantie 2011, BO): 9 Jul–21 Aug; enrolled
        # from Mon 22 Aug 2011, its first school day → 2011/12 full, twelve full years 2011/12 ..
        # 2022/23 → 31 Jul 2023, a year before the age rule (v1: 1–19 Aug 2011 were school days,
        # 2011/12 not full → 31 Jul 2024).
        pytest.param(
            BORN_AUG_2007,
            "zuid",
            [(ZUID_PO, "2011-08-22", "2019-07-31"), (ZUID_VO, "2019-08-01", None)],
            "2023-07-31",
            id="started-aug-2011-zuid-first-school-day",
        ),
        # One day later: Mon 22 Aug 2011 missed → 2011/12 not full → eleven by 2022/23 → the
        # 12th is 2023/24 → 31 Jul 2024 (= the age rule).
        pytest.param(
            BORN_AUG_2007,
            "zuid",
            [(ZUID_PO, "2011-08-23", None)],
            "2024-07-31",
            id="started-a-day-late-2011",
        ),
        # noord's summer 2011 (BO): 23 Jul–4 Sep; enrolled from Mon 5 Sep 2011 → full → 2023.
        pytest.param(
            BORN_AUG_2007,
            "noord",
            [(NOORD_PO, "2011-09-05", None)],
            "2023-07-31",
            id="started-sep-2011-noord",
        ),
        # 2010/11 has no shipped calendar: full when enrolled on every weekday 1 Sep 2010 –
        # 30 Jun 2011 (choice). Enrolled from Wed 1 Sep 2010 → 2010/11 .. 2021/22 = twelve
        # → 31 Jul 2022, a year before the age rule.
        pytest.param(
            BORN_AUG_2006,
            "zuid",
            [(ZUID_PO, "2010-09-01", None)],
            "2022-07-31",
            id="before-2011-weekday-rule-full",
        ),
        # From Thu 2 Sep 2010: Wed 1 Sep missed → 2010/11 not full → the age rule, 31 Jul 2023.
        pytest.param(
            BORN_AUG_2006,
            "zuid",
            [(ZUID_PO, "2010-09-02", None)],
            "2023-07-31",
            id="before-2011-weekday-missed",
        ),
        # Out from 1 Jul 2011 (after the window's 30 June) and back on zuid's first school day,
        # Mon 22 Aug 2011: 1–8 Jul 2011 were zuid school days but 2010/11 is judged by the
        # weekday rule → still twelve → 31 Jul 2022.
        pytest.param(
            BORN_AUG_2006,
            "zuid",
            [(ZUID_PO, "2010-09-01", "2011-06-30"), (ZUID_PO, "2011-08-22", None)],
            "2022-07-31",
            id="gap-after-30-june-of-uncovered-year",
        ),
        # A gap on Tweede Paasdag, Mon 25 Apr 2011 (out Fri 22 Apr, back Tue 26 Apr): a public
        # holiday, but a weekday → 2010/11 not full under the weekday rule (choice) → 2023.
        pytest.param(
            BORN_AUG_2006,
            "zuid",
            [(ZUID_PO, "2010-09-01", "2011-04-22"), (ZUID_PO, "2011-04-26", None)],
            "2023-07-31",
            id="gap-on-a-holiday-of-uncovered-year",
        ),
        # The same gap in a covered year (Tweede Paasdag Mon 21 Apr 2014, out Fri 18 Apr, back
        # Tue 22 Apr; zuid): no school day missed → twelve → 31 Jul 2022.
        pytest.param(
            BORN_AUG_2006,
            "zuid",
            [(ZUID_PO, "2010-09-01", "2014-04-18"), (ZUID_PO, "2014-04-22", None)],
            "2022-07-31",
            id="gap-on-a-holiday-of-covered-year",
        ),
    ],
)
def test_twelve_full_years_with_calendars_back_to_2011(birth, region, enrolments, expected):
    rec = record(student(birth, region=region), [enrol(*e) for e in enrolments])
    assert leerplicht_end(d(birth), rec.enrolments, region, CALENDAR) == d(expected)
    ref, bulk = both(rec, "2022-09-05")
    assert ref.status.leerplicht_end == bulk.status.leerplicht_end == d(expected)


def test_an_imported_calendar_without_both_summers_leaves_the_year_to_the_weekday_rule():
    """A calendar.csv that replaces zuid with one year's vacations but not summer 2011: 2011/12 is
    then judged by the weekday rule (1 Sep 2011 – 30 Jun 2012), so enrolment from Thu 1 Sep 2011
    makes it full although 22–31 Aug 2011 are school days of that calendar."""
    own = SchoolCalendar.with_overrides(
        [
            SchoolFreePeriod("zuid", d("2011-10-15"), d("2011-10-23"), "herfst"),
            SchoolFreePeriod("zuid", d("2012-06-30"), d("2012-08-12"), "zomer"),
        ]
    )
    assert 2011 not in own.covered_school_years("zuid")
    rec = record(student(BORN_AUG_2007, region="zuid"), [enrol(ZUID_PO, "2011-09-01", None)])
    years = full_school_years(rec.enrolments, "zuid", own, d("2013-07-31"))
    assert years == [d("2011-08-01"), d("2012-08-01")]
    # zuid is covered in no year now (no period holds 31 July 2013): all by the weekday rule,
    # twelve from 2011/12 → 31 Jul 2023
    assert own.covered_school_years("zuid") == frozenset()
    ref, bulk = both(rec, "2022-09-05", calendar=own)
    assert ref.status.leerplicht_end == bulk.status.leerplicht_end == d("2023-07-31")
