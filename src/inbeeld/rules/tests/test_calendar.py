"""RULES.md §1: public holidays, school days per region, calendar.csv overrides, lesweken, months.

Expected values are worked out by hand from RULES.md and rules/data/school_vacations.csv (whose
2024/25 rows equal the table in RULES.md §1).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from inbeeld.rules.calendar import (
    NO_REGION,
    REGION_CODES,
    SchoolCalendar,
    SchoolFreePeriod,
    add_months_clipped,
    builtin_school_free_periods,
    easter_sunday,
    from_day_number,
    public_holidays,
)
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.model import SCHEMAS
from inbeeld.rules.tests.builders import (
    CALENDAR,
    ZUID_VO,
    both,
    d,
    dataset,
    enrol,
    m16,
    record,
    student,
    unexcused,
)

# -- public holidays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "royal_day", "name", "not_a_holiday"),
    [
        # RULES.md §7: until 2013 Koninginnedag, 30 April; 30 Apr 2013 is a Tuesday.
        (2013, "2013-04-30", "Koninginnedag", "2013-04-27"),
        # 30 Apr 2012 is a Monday: Koninginnedag that day, 27 Apr 2012 (Friday) is no holiday.
        (2012, "2012-04-30", "Koninginnedag", "2012-04-27"),
        # 30 Apr 2006 is a Sunday → Koninginnedag on Saturday 29 April.
        (2006, "2006-04-29", "Koninginnedag", "2006-04-30"),
        # From 2014 Koningsdag, 27 April; 27 Apr 2014 is a Sunday → Saturday 26 April.
        (2014, "2014-04-26", "Koningsdag", "2014-04-30"),
        # 27 Apr 2015 is a Monday; 30 Apr 2015 (Thursday) is an ordinary day.
        (2015, "2015-04-27", "Koningsdag", "2015-04-30"),
    ],
)
def test_koninginnedag_until_2013_koningsdag_from_2014(year, royal_day, name, not_a_holiday):
    holidays = public_holidays(year)
    assert holidays[d(royal_day)] == name
    assert d(not_a_holiday) not in holidays
    assert sum(1 for n in holidays.values() if n in ("Koningsdag", "Koninginnedag")) == 1
    # both engines: the scalar calendar and the bulk arrays (weekends and holidays only region)
    arrays = CALENDAR.arrays(dt.date(year, 1, 1), dt.date(year, 12, 31))
    for day in (d(royal_day), d(not_a_holiday)):
        scalar = CALENDAR.is_school_day(NO_REGION, day)
        bulk = bool(arrays.school[arrays.row(NO_REGION), (day - arrays.first).days])
        assert scalar == bulk == (day.weekday() < 5 and day != d(royal_day))


def test_tuesday_30_april_2013_is_no_school_day_and_saturday_27_april_was_never_one():
    assert not CALENDAR.is_school_day(NO_REGION, d("2013-04-30"))
    assert CALENDAR.free_reason(NO_REGION, d("2013-04-30")) == "Koninginnedag"
    assert CALENDAR.is_school_day(NO_REGION, d("2012-04-27"))


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Easter 31 Mar 2024 → Tweede Paasdag 1 Apr, Hemelvaart +39 = 9 May, Pinkstermaandag +50 =
        # 20 May. 27 Apr 2024 is a Saturday (not a Sunday) so Koningsdag stays on the 27th.
        # 2024 is not divisible by 5: no Bevrijdingsdag.
        (
            2024,
            [
                "2024-01-01",
                "2024-04-01",
                "2024-04-27",
                "2024-05-09",
                "2024-05-20",
                "2024-12-25",
                "2024-12-26",
            ],
        ),
        # Easter 20 Apr 2025 → 21 Apr, 29 May, 9 Jun. 27 Apr 2025 is a Sunday → Koningsdag 26 Apr.
        # 2025 is divisible by 5: Bevrijdingsdag 5 May.
        (
            2025,
            [
                "2025-01-01",
                "2025-04-21",
                "2025-04-26",
                "2025-05-05",
                "2025-05-29",
                "2025-06-09",
                "2025-12-25",
                "2025-12-26",
            ],
        ),
        # Easter 5 Apr 2026 → 6 Apr, 14 May, 25 May; 27 Apr 2026 is a Monday; no Bevrijdingsdag.
        (
            2026,
            [
                "2026-01-01",
                "2026-04-06",
                "2026-04-27",
                "2026-05-14",
                "2026-05-25",
                "2026-12-25",
                "2026-12-26",
            ],
        ),
        # Easter 21 Apr 2030 → 22 Apr, 30 May, 10 Jun; 27 Apr 2030 is a Saturday; 2030 % 5 == 0.
        (
            2030,
            [
                "2030-01-01",
                "2030-04-22",
                "2030-04-27",
                "2030-05-05",
                "2030-05-30",
                "2030-06-10",
                "2030-12-25",
                "2030-12-26",
            ],
        ),
    ],
    ids=["2024", "2025-koningsdag-26-april-and-bevrijdingsdag", "2026", "2030-bevrijdingsdag"],
)
def test_public_holidays(year, expected):
    assert sorted(public_holidays(year)) == [d(x) for x in expected]


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2019, "2019-04-21")],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == d(easter)


@pytest.mark.parametrize(
    ("day", "school_day"),
    [
        # NO_REGION: weekends and public holidays only, so these isolate the holiday list.
        pytest.param("2024-03-29", True, id="goede-vrijdag-2024-is-a-school-day"),
        pytest.param("2025-04-18", True, id="goede-vrijdag-2025-is-a-school-day"),
        pytest.param("2026-04-03", True, id="goede-vrijdag-2026-is-a-school-day"),
        pytest.param("2024-04-01", False, id="tweede-paasdag-2024"),
        pytest.param("2025-04-21", False, id="tweede-paasdag-2025"),
        pytest.param("2026-04-06", False, id="tweede-paasdag-2026"),
        pytest.param("2026-04-27", False, id="koningsdag-2026-monday"),
        pytest.param("2024-05-09", False, id="hemelvaart-2024"),
        pytest.param("2025-05-29", False, id="hemelvaart-2025"),
        pytest.param("2025-05-30", True, id="friday-after-hemelvaart-2025"),
        pytest.param("2026-05-14", False, id="hemelvaart-2026"),
        pytest.param("2024-05-20", False, id="tweede-pinksterdag-2024"),
        pytest.param("2025-06-09", False, id="tweede-pinksterdag-2025"),
        pytest.param("2026-05-25", False, id="tweede-pinksterdag-2026"),
        pytest.param("2025-05-05", False, id="bevrijdingsdag-2025-monday"),
        pytest.param("2026-05-05", True, id="5-may-2026-tuesday-no-bevrijdingsdag"),
        pytest.param("2027-05-05", True, id="5-may-2027-wednesday-no-bevrijdingsdag"),
        pytest.param("2030-05-06", True, id="6-may-2030-after-bevrijdingsdag-sunday"),
        pytest.param("2025-01-01", False, id="nieuwjaarsdag-2025"),
        pytest.param("2025-12-25", False, id="eerste-kerstdag-2025"),
        pytest.param("2025-12-26", False, id="tweede-kerstdag-2025"),
        pytest.param("2025-12-24", True, id="24-december-is-no-holiday"),
        pytest.param("2024-10-26", False, id="saturday"),
    ],
)
def test_public_holidays_without_region(day, school_day):
    assert CALENDAR.is_school_day(NO_REGION, d(day)) is school_day


def test_bevrijdingsdag_only_every_five_years():
    # 5 May is in the list in 2025 and 2030 only (2024: a Sunday anyway, still not listed).
    years = [y for y in range(2024, 2031) if dt.date(y, 5, 5) in public_holidays(y)]
    assert years == [2025, 2030]


def test_free_reason_names_the_holiday_before_the_vacation():
    # 27 Apr 2026 (Monday) is Koningsdag and inside every region's meivakantie (25 Apr–3 May).
    assert CALENDAR.free_reason("zuid", d("2026-04-27")) == "Koningsdag"
    assert CALENDAR.free_reason("zuid", d("2026-04-28")) == "meivakantie 2026"
    assert CALENDAR.free_reason("zuid", d("2026-04-25")) == "weekend"
    assert CALENDAR.free_reason("zuid", d("2026-05-04")) is None


# -- school days per region ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # zuid autumn vacation 19–27 Oct 2024; noord and midden 26 Oct–3 Nov 2024.
        pytest.param("2024-10-18", {"zuid": True, "noord": True, "midden": True}, id="fri-18-oct"),
        pytest.param("2024-10-21", {"zuid": False, "noord": True, "midden": True}, id="mon-21-oct"),
        pytest.param("2024-10-25", {"zuid": False, "noord": True, "midden": True}, id="fri-25-oct"),
        pytest.param("2024-10-26", {"zuid": False, "noord": False, "midden": False}, id="sat-26"),
        pytest.param(
            "2024-10-28", {"zuid": True, "noord": False, "midden": False}, id="mon-28-oct"
        ),
        pytest.param("2024-11-01", {"zuid": True, "noord": False, "midden": False}, id="fri-1-nov"),
        pytest.param("2024-11-04", {"zuid": True, "noord": True, "midden": True}, id="mon-4-nov"),
        # summer 2024: zuid 6 Jul–18 Aug, midden 13 Jul–25 Aug, noord 20 Jul–1 Sep.
        pytest.param("2024-08-19", {"zuid": True, "noord": False, "midden": False}, id="19-aug"),
        pytest.param("2024-08-26", {"zuid": True, "noord": False, "midden": True}, id="26-aug"),
        pytest.param("2024-09-02", {"zuid": True, "noord": True, "midden": True}, id="2-sep"),
        pytest.param("2024-07-08", {"zuid": False, "noord": True, "midden": True}, id="8-jul"),
        # spring 2025: noord 15–23 Feb, midden and zuid 22 Feb–2 Mar.
        pytest.param("2025-02-17", {"zuid": True, "noord": False, "midden": True}, id="17-feb"),
        pytest.param("2025-02-24", {"zuid": False, "noord": True, "midden": False}, id="24-feb"),
        # Christmas 21 Dec 2024–5 Jan 2025 for all; 6 Jan is back at school.
        pytest.param("2024-12-23", {"zuid": False, "noord": False, "midden": False}, id="23-dec"),
        pytest.param("2025-01-06", {"zuid": True, "noord": True, "midden": True}, id="6-jan"),
    ],
)
def test_is_school_day_per_region(day, expected):
    assert {r: CALENDAR.is_school_day(r, d(day)) for r in expected} == expected
    # weekdays outside holidays are school days without a region
    assert CALENDAR.is_school_day(NO_REGION, d(day)) is (d(day).weekday() < 5)


def test_builtin_2024_25_matches_rules_table():
    # RULES.md §1 table, region → periods (start, end) of 2024 summer to summer 2025.
    table = {
        "noord": [
            ("2024-07-20", "2024-09-01"),
            ("2024-10-26", "2024-11-03"),
            ("2024-12-21", "2025-01-05"),
            ("2025-02-15", "2025-02-23"),
            ("2025-04-26", "2025-05-04"),
            ("2025-07-12", "2025-08-24"),
        ],
        "midden": [
            ("2024-07-13", "2024-08-25"),
            ("2024-10-26", "2024-11-03"),
            ("2024-12-21", "2025-01-05"),
            ("2025-02-22", "2025-03-02"),
            ("2025-04-26", "2025-05-04"),
            ("2025-07-19", "2025-08-31"),
        ],
        "zuid": [
            ("2024-07-06", "2024-08-18"),
            ("2024-10-19", "2024-10-27"),
            ("2024-12-21", "2025-01-05"),
            ("2025-02-22", "2025-03-02"),
            ("2025-04-26", "2025-05-04"),
            ("2025-07-05", "2025-08-17"),
        ],
    }
    periods = builtin_school_free_periods()
    for region, rows in table.items():
        got = sorted(
            (p.start, p.end)
            for p in periods
            if p.region == region and d("2024-07-01") <= p.start <= d("2025-07-31")
        )
        assert got == [(d(a), d(b)) for a, b in rows], region


def test_outside_the_calendar_only_weekends_and_holidays():
    # 2030 is not in the built-in table: a summer weekday is a school day in every region.
    for region in ("noord", "midden", "zuid"):
        assert CALENDAR.is_school_day(region, d("2030-07-24"))
        assert not CALENDAR.is_school_day(region, d("2030-04-22"))  # Tweede Paasdag 2030


# -- calendar.csv overrides ---------------------------------------------------------------------

OVERRIDE = [SchoolFreePeriod("zuid", d("2024-10-28"), d("2024-10-30"), "eigen herfstvakantie")]


@pytest.mark.parametrize(
    ("region", "day", "expected"),
    [
        # zuid is replaced: its built-in autumn vacation (19–27 Oct) is gone...
        pytest.param("zuid", "2024-10-21", True, id="zuid-builtin-autumn-gone"),
        # ...the override holds, both ends included (28–30 Oct)...
        pytest.param("zuid", "2024-10-28", False, id="zuid-override-first-day"),
        pytest.param("zuid", "2024-10-30", False, id="zuid-override-last-day"),
        pytest.param("zuid", "2024-10-31", True, id="zuid-day-after-override"),
        # ...and so are all other built-in zuid periods (Christmas 2024 included).
        pytest.param("zuid", "2024-12-23", True, id="zuid-builtin-christmas-gone"),
        # public holidays stay.
        pytest.param("zuid", "2024-12-25", False, id="zuid-christmas-day-still-holiday"),
        # noord and midden keep the built-in calendar.
        pytest.param("noord", "2024-10-21", True, id="noord-21-oct"),
        pytest.param("noord", "2024-10-28", False, id="noord-builtin-autumn"),
        pytest.param("midden", "2024-10-31", False, id="midden-builtin-autumn"),
        pytest.param("noord", "2024-12-23", False, id="noord-builtin-christmas"),
    ],
)
def test_calendar_csv_overrides_a_region(region, day, expected):
    calendar = SchoolCalendar.with_overrides(OVERRIDE)
    assert calendar.is_school_day(region, d(day)) is expected
    # the bulk engine's calendar from a data set's calendar.csv frame is the same
    ds = dataset([])
    ds.calendar = pl.DataFrame(
        [
            {"region": p.region, "start_date": p.start, "end_date": p.end, "name": p.name}
            for p in OVERRIDE
        ],
        schema=SCHEMAS["calendar"],
    )
    assert calendar_for(ds).is_school_day(region, d(day)) is expected
    arrays = calendar.arrays(d("2024-01-01"), d("2025-12-31"))
    index = (d(day) - arrays.first).days
    assert bool(arrays.school[REGION_CODES.index(region), index]) is expected


def test_calendar_csv_override_changes_the_analysis():
    # The RULES.md 16_uur example (4 h on 7, 14, 28 Oct and 4 Nov 2024, zuid school) fires on
    # 4 Nov with the built-in calendar (window 7 Oct–4 Nov, autumn week 21 Oct skipped). With zuid's
    # autumn vacation moved to 28 Oct–1 Nov, 28 Oct no longer counts; the window of 4 Nov is then
    # 4 Nov, [28 Oct skipped], 21, 14 Oct → starts 14 Oct: 4 + 4 = 8 h → no melding.
    rec = record(
        student("2011-05-05"),
        [enrol(ZUID_VO, "2023-08-01")],
        [unexcused(x, hours=4) for x in ("2024-10-07", "2024-10-14", "2024-10-28", "2024-11-04")],
    )
    ref, bulk = both(rec, "2024-11-08")
    assert ref.meldingen == bulk.meldingen == [m16("2024-10-07", "2024-11-04", 16, ZUID_VO)]
    moved = SchoolCalendar.with_overrides(
        [SchoolFreePeriod("zuid", d("2024-10-26"), d("2024-11-03"), "verschoven")]
    )
    ref, bulk = both(rec, "2024-11-08", calendar=moved)
    assert ref.meldingen == bulk.meldingen == []


def test_unknown_region_in_calendar_is_refused():
    with pytest.raises(ValueError, match="unknown region"):
        SchoolCalendar([SchoolFreePeriod("oost", d("2024-01-01"), d("2024-01-02"))])


# -- lesweken -----------------------------------------------------------------------------------


WINDOW_CASES = [
    # zuid, 4 Nov 2024: weeks 4 Nov (1), 28 Oct (2), [21 Oct autumn vacation], 14 Oct (3), 7 Oct (4)
    pytest.param("zuid", "2024-11-04", 4, "2024-10-07", id="zuid-skips-autumn-week"),
    # noord, 4 Nov: 4 Nov (1), [28 Oct vacation], 21 (2), 14 (3), 7 Oct (4)
    pytest.param("noord", "2024-11-04", 4, "2024-10-07", id="noord-skips-its-autumn-week"),
    # noord, 11 Nov: 11 (1), 4 Nov (2), [28 Oct], 21 (3), 14 Oct (4)
    pytest.param("noord", "2024-11-11", 4, "2024-10-14", id="noord-11-nov"),
    # zuid, 28 Oct: 28 (1), [21 Oct], 14 (2), 7 (3), 30 Sep (4)
    pytest.param("zuid", "2024-10-28", 4, "2024-09-30", id="zuid-28-oct"),
    # noord, 28 Oct is a vacation week but a day's own week always counts first
    pytest.param("noord", "2024-10-28", 4, "2024-10-07", id="own-week-counts-in-vacation"),
    # no region: no vacations, 4 Nov → 14 Oct
    pytest.param("", "2024-11-04", 4, "2024-10-14", id="no-region"),
    # Friday/Sunday of the same week give the same window as the Monday
    pytest.param("zuid", "2024-11-08", 4, "2024-10-07", id="zuid-friday"),
    pytest.param("zuid", "2024-11-10", 4, "2024-10-07", id="zuid-sunday"),
    # zuid, 6 Jan 2025: 6 Jan (1), [30 Dec, 23 Dec Christmas], 16 Dec (2), 9 (3), 2 Dec (4)
    pytest.param("zuid", "2025-01-06", 4, "2024-12-02", id="zuid-skips-christmas"),
    # zuid, 19 Aug 2024: 19 Aug (1), [5 summer weeks 8 Jul..12 Aug], 1 Jul (2), 24 Jun (3), 17 Jun (4)
    pytest.param("zuid", "2024-08-19", 4, "2024-06-17", id="zuid-skips-summer"),
    # 12 lesweken, zuid 14 Oct 2024: 14 Oct, 7, 30 Sep, 23, 16, 9, 2 Sep, 26 Aug, 19 Aug (9),
    # [summer], 1 Jul (10), 24 Jun (11), 17 Jun (12)
    pytest.param("zuid", "2024-10-14", 12, "2024-06-17", id="zuid-12-lesweken"),
    # 1 lesweek: the day's own Monday
    pytest.param("zuid", "2024-10-23", 1, "2024-10-21", id="one-lesweek"),
]


@pytest.mark.parametrize(("region", "day", "lesweken", "expected"), WINDOW_CASES)
def test_lesweek_window_start(region, day, lesweken, expected):
    assert CALENDAR.lesweek_window_start(region, d(day), lesweken) == d(expected)


@pytest.mark.parametrize(
    ("region", "day", "lesweken", "expected"),
    [pytest.param(*case.values, id=case.id) for case in WINDOW_CASES],
)
def test_lesweek_window_start_bulk_table(region, day, lesweken, expected):
    # the bulk engine's table (CalendarArrays.window_start) agrees with the scalar answer
    arrays = CALENDAR.arrays(d("2023-09-01"), d("2025-12-31"))
    row = arrays.window_start(lesweken)[REGION_CODES.index(region), (d(day) - arrays.first).days]
    assert from_day_number(row) == d(expected)


def test_is_lesweek():
    assert not CALENDAR.is_lesweek("zuid", d("2024-10-21"))
    assert CALENDAR.is_lesweek("noord", d("2024-10-21"))
    # a week with a public holiday is still a lesweek (Hemelvaart week 2025)
    assert CALENDAR.is_lesweek("zuid", d("2025-05-26"))
    # a week with a single school day is a lesweek: zuid vacation Mon–Thu, Friday at school
    calendar = SchoolCalendar.with_overrides(
        [SchoolFreePeriod("zuid", d("2024-10-21"), d("2024-10-24"))]
    )
    assert calendar.is_lesweek("zuid", d("2024-10-21"))
    # a week inside a vacation is not (noord autumn vacation 26 Oct–3 Nov 2024)
    assert not CALENDAR.is_lesweek("noord", d("2024-10-28"))


# -- months -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param("2025-05-31", -3, "2025-02-28", id="31-may-minus-3-common-year"),
        pytest.param("2024-05-31", -3, "2024-02-29", id="31-may-minus-3-leap-year"),
        pytest.param("2025-05-30", -3, "2025-02-28", id="30-may-minus-3"),
        pytest.param("2025-05-28", -3, "2025-02-28", id="28-may-minus-3-not-clipped"),
        pytest.param("2025-01-06", -3, "2024-10-06", id="across-new-year"),
        pytest.param("2024-11-30", 3, "2025-02-28", id="plus-3-clipped"),
        pytest.param("2025-01-31", 1, "2025-02-28", id="31-jan-plus-1"),
        pytest.param("2024-03-31", -13, "2023-02-28", id="minus-13"),
        pytest.param("2024-02-29", 12, "2025-02-28", id="leap-day-plus-year"),
        pytest.param("2024-12-15", 0, "2024-12-15", id="zero"),
        pytest.param("2024-07-31", -1, "2024-06-30", id="31-jul-minus-1"),
    ],
)
def test_add_months_clipped(day, months, expected):
    assert add_months_clipped(d(day), months) == d(expected)
