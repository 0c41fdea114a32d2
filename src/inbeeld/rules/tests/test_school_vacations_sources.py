"""RULES.md §7 "Calendars back to 2011/12": the shipped vacations against their source texts.

The files under ``data/vacation_sources/`` hold short verbatim excerpts of the sources (the table
lines of the Regelingen, the lines of the pages that list OCW's dates), each with its origin. The
tests parse the dates out of those lines and compare them with rules/data/school_vacations.csv, so a
typo in either shows. Plus: every row names a source, the periods of one region never overlap, and
every school year from 2011/12 to the last shipped one has a summer vacation per region.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from inbeeld.rules import choices
from inbeeld.rules.calendar import (
    MONTH_NAMES_NL,
    REGIONS,
    SchoolCalendar,
    SchoolFreePeriod,
    builtin_school_free_periods,
    covered_school_years,
)

SOURCES = Path(__file__).parent / "data" / "vacation_sources"
MONTH_NAMES = MONTH_NAMES_NL
MONTHS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)}
# abbreviations ("16 okt t/m 24 okt 2027") after the full names, so "oktober" is read whole
MONTHS.update({name[:3]: i + 1 for i, name in enumerate(MONTH_NAMES) if name[:3] not in MONTHS})
MONTHS["mrt"] = 3
_MONTH = "|".join(MONTHS)
_WORDS = re.compile(
    rf"(\d{{1,2}})(?:\s+({_MONTH}))?(?:\s+(\d{{4}}))?\s*(?:t/m|tot en met)\s*"
    rf"(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?"
)
_NUMBERS = re.compile(
    r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})\s*(?:t/m|-|\s)\s*(\d{1,2})[-.](\d{1,2})[-.](\d{4})"
)


def parse_ranges(line: str, default_year: int) -> list[tuple[dt.date, dt.date]]:
    """Every date range in a line of a source ("23 juli t/m 4 september 2011", "20 t/m 28
    oktober", "22 december t/m 6 januari 2013", "10-7-2021 t/m 22-8-2021", "12.10.2013 -
    20.10.2013"); a missing year is the end's year, or ``default_year``, one less for a start month
    after the end month."""
    found: list[tuple[int, tuple[dt.date, dt.date]]] = []
    for m in _NUMBERS.finditer(line):
        d1, m1, y1, d2, m2, y2 = (int(x) for x in m.groups())
        found.append((m.start(), (dt.date(y1, m1, d1), dt.date(y2, m2, d2))))
    if not found:
        for m in _WORDS.finditer(line):
            d1, mon1, y1, d2, mon2, y2 = m.groups()
            end_month = MONTHS[mon2]
            end_year = int(y2) if y2 else default_year
            start_month = MONTHS[mon1] if mon1 else end_month
            start_year = int(y1) if y1 else end_year - (start_month > end_month)
            found.append(
                (
                    m.start(),
                    (
                        dt.date(start_year, start_month, int(d1)),
                        dt.date(end_year, end_month, int(d2)),
                    ),
                )
            )
    return [r for _, r in sorted(found)]


def source_line(file: str, contains: str) -> str:
    """The one line of a source excerpt that holds ``contains`` (verbatim)."""
    lines = [
        line
        for line in (SOURCES / file).read_text("utf-8").splitlines()
        if contains in line and not line.startswith("#")
    ]
    assert len(lines) == 1, f"{file}: {len(lines)} lines hold {contains!r}"
    return lines[0]


SHIPPED = builtin_school_free_periods()


def shipped(region: str, name: str) -> SchoolFreePeriod:
    found = [p for p in SHIPPED if p.region == region and p.name == name]
    assert len(found) == 1, f"{len(found)} rows {region} {name}"
    return found[0]


R11 = "regeling_spreiding_zomervakantie_2011.txt"
R13 = "regeling_spreiding_zomervakantie_2013.txt"
R1316 = "regeling_vaststelling_schoolvakanties_2013_2016.txt"
R1619 = "regeling_vaststelling_schoolvakanties_2016_2019.txt"
PAGES = "pages_ocw_listings.txt"
ALL = "noord/midden/zuid"

# (file, verbatim part of the line, which range on the line, year when the line has none,
#  regions, name in the CSV)
CHECKS = [
    # summers: the primary (BO/SO) line where primary and secondary differed (choice)
    (R11, "| Regio Noord  | BO/SO", 0, 2011, "noord", "zomervakantie 2011"),
    (R11, "| Regio Midden  | BO/SO", 0, 2011, "midden", "zomervakantie 2011"),
    (R11, "| Regio Zuid  | BO/SO", 0, 2011, "zuid", "zomervakantie 2011"),
    (PAGES, "21 juli t/m 2 september | noord | bo", 0, 2012, "noord", "zomervakantie 2012"),
    (PAGES, "7 juli t/m 19 augustus | midden | bo", 0, 2012, "midden", "zomervakantie 2012"),
    (PAGES, "30 juni t/m 12 augustus | zuid | bo", 0, 2012, "zuid", "zomervakantie 2012"),
    (R13, "| Regio Noord  | BO/SO", 0, 2013, "noord", "zomervakantie 2013"),
    (R13, "| Regio Midden  | BO/SO", 0, 2013, "midden", "zomervakantie 2013"),
    (R13, "| Regio Zuid  | BO/SO", 0, 2013, "zuid", "zomervakantie 2013"),
    *[
        (R1316, f"| Regio {r.capitalize()}  | {day}", 0, year, r, f"zomervakantie {year}")
        for year, days in {
            2014: ("5 juli", "19 juli", "12 juli"),
            2015: ("4 juli", "11 juli", "18 juli"),
            2016: ("16 juli", "9 juli", "23 juli"),
        }.items()
        for r, day in zip(REGIONS, days, strict=True)
    ],
    *[
        (R1619, f"| Regio {r.capitalize()}  | {day}", 0, year, r, f"zomervakantie {year}")
        for year, days in {
            2017: ("22 juli", "8 juli", "15 juli"),
            2018: ("21 juli", "14 juli", "7 juli"),
            2019: ("13 juli", "20 juli", "6 juli"),
        }.items()
        for r, day in zip(REGIONS, days, strict=True)
    ],
    *[
        (PAGES, "Zomervakantie: 4 juli t/m 16 augustus 2020", i, 2020, r, "zomervakantie 2020")
        for i, r in enumerate(REGIONS)
    ],
    (PAGES, "Regio Noord 10-7-2021", 0, 2021, "noord", "zomervakantie 2021"),
    (PAGES, "Regio Midden 17 juli", 0, 2021, "midden", "zomervakantie 2021"),
    (PAGES, "Regio Zuid 24 juli", 0, 2021, "zuid", "zomervakantie 2021"),
    (PAGES, "Regio Noord: 16 juli", 0, 2022, "noord", "zomervakantie 2022"),
    (PAGES, "Regio Midden: 9 juli", 0, 2022, "midden", "zomervakantie 2022"),
    (PAGES, "Regio Zuid: 23 juli", 0, 2022, "zuid", "zomervakantie 2022"),
    (PAGES, "Regio Noord 22 juli", 0, 2023, "noord", "zomervakantie 2023"),
    (PAGES, "Regio Midden 8 juli", 0, 2023, "midden", "zomervakantie 2023"),
    (PAGES, "Regio Zuid 15 juli", 0, 2023, "zuid", "zomervakantie 2023"),
    (PAGES, "Zij hebben van 13 juli", 0, 2024, "midden", "zomervakantie 2024"),
    (PAGES, "Zij hebben van 13 juli", 1, 2024, "noord", "zomervakantie 2024"),
    (PAGES, "Regio Noord: 12 juli", 0, 2025, "noord", "zomervakantie 2025"),
    (PAGES, "Regio Midden: 19 juli", 0, 2025, "midden", "zomervakantie 2025"),
    (PAGES, "Regio Zuid: 5 juli", 0, 2025, "zuid", "zomervakantie 2025"),
    (PAGES, "Regio Noord: 4 juli", 0, 2026, "noord", "zomervakantie 2026"),
    (PAGES, "Regio Midden: 18 juli", 0, 2026, "midden", "zomervakantie 2026"),
    (PAGES, "Regio Zuid: 11 juli", 0, 2026, "zuid", "zomervakantie 2026"),
    # Christmas and May: statutory from 2013/14 (Regelingen), advised before
    (PAGES, "Kerstvakantie | 22 december", 0, 2012, ALL, "kerstvakantie 2012"),
    (PAGES, "Meivakantie | 28 april", 0, 2012, ALL, "meivakantie 2012"),
    (PAGES, "Meivakantie Noord/Midden/Zuid", 0, 2013, ALL, "meivakantie 2013"),
    (R1316, "| Kerst  | 21 december 2013", 0, 2013, ALL, "kerstvakantie 2013"),
    (R1316, "| Mei  | 2 mei", 0, 2015, ALL, "meivakantie 2015"),
    (R1316, "| Kerst  | 19 december 2015", 0, 2015, ALL, "kerstvakantie 2015"),
    (R1619, "| Kerst  | 24 december 2016", 0, 2016, ALL, "kerstvakantie 2016"),
    (R1619, "| Mei  | 22 april", 0, 2017, ALL, "meivakantie 2017"),
    (R1619, "| Mei  | 27 april", 0, 2019, ALL, "meivakantie 2019"),
    (PAGES, "Meivakantie: 25 april t/m 3 mei 2020", 0, 2020, ALL, "meivakantie 2020"),
    (PAGES, "Kerstvakantie: 19 december 2020", 0, 2020, ALL, "kerstvakantie 2020"),
    (PAGES, "Regio Midden 1 mei", 0, 2021, ALL, "meivakantie 2021"),
    (PAGES, "Alle regios’s: 25 december 2021", 0, 2021, ALL, "kerstvakantie 2021"),
    (PAGES, "Alle regio’s: 30 april", 0, 2022, ALL, "meivakantie 2022"),
    (PAGES, "Regio Zuid 24-12-2022", 0, 2022, ALL, "kerstvakantie 2022"),
    (PAGES, "Regio Noord 29 april", 0, 2023, ALL, "meivakantie 2023"),
    (PAGES, "Regio Zuid 23 december 2023", 0, 2023, ALL, "kerstvakantie 2023"),
    (PAGES, "Kerstvakantie: 21 december 2024", 0, 2024, ALL, "kerstvakantie 2024"),
    (PAGES, "Meivakantie: 26 april t/m 4 mei 2025", 0, 2025, ALL, "meivakantie 2025"),
    # advised autumn and spring vacations
    (PAGES, "Voorjaarsvakantie | 25 februari", 0, 2012, "noord", "voorjaarsvakantie 2012"),
    (PAGES, "Voorjaarsvakantie | 18 t/m 26", 0, 2012, "midden/zuid", "voorjaarsvakantie 2012"),
    (PAGES, "Herfstvakantie | 20 t/m 28", 0, 2012, "noord", "herfstvakantie 2012"),
    (PAGES, "Herfstvakantie | 13 t/m 21", 0, 2012, "midden/zuid", "herfstvakantie 2012"),
    (PAGES, "Voorjaarsvakantie Noord/Midden", 0, 2013, "noord/midden", "voorjaarsvakantie 2013"),
    (PAGES, "Voorjaarsvakantie Zuid: 23", 0, 2013, "zuid", "voorjaarsvakantie 2013"),
    (PAGES, "12.10.2013 - 20.10.2013", 0, 2013, "zuid", "herfstvakantie 2013"),
    (PAGES, "19.10.2013 - 27.10.2013", 0, 2013, "noord/midden", "herfstvakantie 2013"),
    (PAGES, "15.02.2014 - 23.02.2014", 0, 2014, "midden/zuid", "voorjaarsvakantie 2014"),
    (PAGES, "22.02.2014 - 02.03.2014", 0, 2014, "noord", "voorjaarsvakantie 2014"),
    (PAGES, "Herfstvakantie noord bo / vo", 0, 2014, "noord", "herfstvakantie 2014"),
    (PAGES, "Herfstvakantie midden / zuid", 0, 2014, "midden/zuid", "herfstvakantie 2014"),
    (PAGES, "21 februari t/m 1 maart 2015", 0, 2015, "noord/midden", "voorjaarsvakantie 2015"),
    (PAGES, "14 februari t/m 22 februari 2015", 0, 2015, "zuid", "voorjaarsvakantie 2015"),
    (PAGES, "| Noord Nederland | 27 februari", 0, 2016, "noord", "voorjaarsvakantie 2016"),
    (PAGES, "Midden Nederland | 20 februari", 0, 2016, "midden/zuid", "voorjaarsvakantie 2016"),
    (PAGES, "Herfst *) Noord", 0, 2017, "noord", "herfstvakantie 2017"),
    (PAGES, "Zuid 14 oktober", 0, 2017, "midden/zuid", "herfstvakantie 2017"),
    (PAGES, "Voorjaar Noord", 0, 2018, "noord/midden", "voorjaarsvakantie 2018"),
    (PAGES, "Zuid 17 februari", 0, 2018, "zuid", "voorjaarsvakantie 2018"),
    (PAGES, "Voorjaarsvakantie: 15 februari", 0, 2020, "noord", "voorjaarsvakantie 2020"),
    (PAGES, "Voorjaarsvakantie: 15 februari", 1, 2020, "midden/zuid", "voorjaarsvakantie 2020"),
    (PAGES, "Herfstvakantie: 10 t/m 18", 0, 2020, "noord", "herfstvakantie 2020"),
    (PAGES, "Herfstvakantie: 10 t/m 18", 1, 2020, "midden/zuid", "herfstvakantie 2020"),
    (PAGES, "Regio Zuid 13 februari", 0, 2021, "zuid", "voorjaarsvakantie 2021"),
    (PAGES, "Regio Noord en regio Midden: 16", 0, 2021, "noord/midden", "herfstvakantie 2021"),
    (PAGES, "Regio Zuid: 23 oktober", 0, 2021, "zuid", "herfstvakantie 2021"),
    (PAGES, "Regio Noord: 19 februari", 0, 2022, "noord", "voorjaarsvakantie 2022"),
    (PAGES, "Regio Noord 15-10-2022", 0, 2022, "noord", "herfstvakantie 2022"),
    (PAGES, "Regio Midden 22-10-2022", 0, 2022, "midden/zuid", "herfstvakantie 2022"),
    (PAGES, "Regio Zuid 18 februari", 0, 2023, "zuid", "voorjaarsvakantie 2023"),
    (PAGES, "Regio Noord 21 oktober", 0, 2023, "noord", "herfstvakantie 2023"),
    (PAGES, "Regio Midden 14 oktober", 0, 2023, "midden/zuid", "herfstvakantie 2023"),
    (PAGES, "Regio Zuid: 19 oktober", 0, 2024, "zuid", "herfstvakantie 2024"),
    (PAGES, "Regio Noord: 15 februari", 0, 2025, "noord", "voorjaarsvakantie 2025"),
    (PAGES, "Regio Zuid: 11 oktober", 0, 2025, "zuid", "herfstvakantie 2025"),
    (PAGES, "Voor Noord Nederland staat", 0, 2026, "noord", "herfstvakantie 2026"),
    (PAGES, "Voor Noord Nederland staat", 1, 2026, "midden", "herfstvakantie 2026"),
    (PAGES, "Voor Noord Nederland staat", 2, 2026, "zuid", "herfstvakantie 2026"),
    (PAGES, "Herfstvakantie 2027 |", 0, 2027, "noord", "herfstvakantie 2027"),
    (PAGES, "Herfstvakantie 2027 |", 1, 2027, "midden", "herfstvakantie 2027"),
    (PAGES, "Herfstvakantie 2027 |", 2, 2027, "zuid", "herfstvakantie 2027"),
]


@pytest.mark.parametrize(
    ("file", "contains", "index", "year", "regions", "name"),
    CHECKS,
    ids=[f"{c[5]}-{c[4]}-{i}" for i, c in enumerate(CHECKS)],
)
def test_shipped_period_equals_its_source_text(file, contains, index, year, regions, name):
    start, end = parse_ranges(source_line(file, contains), year)[index]
    for region in regions.split("/"):
        period = shipped(region, name)
        assert (period.start, period.end) == (start, end)
        assert period.source, f"{region} {name} names no source"


def test_the_2011_and_2013_summers_are_the_primary_dates_not_the_secondary():
    """RULES.md §7 (choice): where BO/SO and VO/VSO differed, the CSV holds the BO/SO dates."""
    assert choices.SUMMER_2011_2013_SCHOOL_TYPE == "BO/SO"
    vo = parse_ranges(source_line(R11, "| --- | VO/VSO  | 16 juli"), 2011)[0]
    assert (shipped("noord", "zomervakantie 2011").start, vo[0]) == (
        dt.date(2011, 7, 23),
        dt.date(2011, 7, 16),
    )
    vo = parse_ranges(source_line(R13, "| --- | VO/VSO  | 13 juli"), 2013)[0]
    assert shipped("midden", "zomervakantie 2013").start == dt.date(2013, 7, 20) != vo[0]


def _holidays_summer(year: int, region: str) -> tuple[dt.date, dt.date]:
    """The summer of ``year`` by the holidays package's rule (holidays_package_summer_weeks.txt)."""
    text = (SOURCES / "holidays_package_summer_weeks.txt").read_text("utf-8")
    weeks = tuple(
        int(w) for w in re.search(r"summer_break_weeks = \(([^)]*)\)", text)[1].split(",")
    )
    order = re.search(r"school_regions = \(([^)]*)\)", text)[1].replace('"', "").split(", ")
    week = weeks[(year - 2015 - 2 * order.index(region.capitalize())) % 6]
    start = dt.date.fromisocalendar(year, week - 1, 6)
    return start, start + dt.timedelta(days=6 * 7 + 1)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("year", [2024, 2027])
def test_summers_without_a_stored_text_equal_the_holidays_package_rule(year, region):
    """Zuid 2024 and every region in 2027 (school year 2026/27): no stored text lists them, the
    cross-check is the holidays package's rule for the Regelingen (stcrt-2021-25317,
    stcrt-2024-19237)."""
    period = shipped(region, f"zomervakantie {year}")
    assert (period.start, period.end) == _holidays_summer(year, region)


def test_the_holidays_rule_reproduces_the_regeling_summers_it_claims():
    """The cross-check itself checked: 2015-2019 from the Regelingen texts above."""
    assert _holidays_summer(2016, "zuid") == (dt.date(2016, 7, 23), dt.date(2016, 9, 4))
    assert _holidays_summer(2018, "noord") == (dt.date(2018, 7, 21), dt.date(2018, 9, 2))
    assert _holidays_summer(2019, "midden") == (dt.date(2019, 7, 20), dt.date(2019, 9, 1))


def test_the_parser_reads_each_form():
    assert parse_ranges("22 december t/m 6 januari 2013", 2012) == [
        (dt.date(2012, 12, 22), dt.date(2013, 1, 6))
    ]
    assert parse_ranges("Herfstvakantie | 20 t/m 28 oktober | noord", 2012) == [
        (dt.date(2012, 10, 20), dt.date(2012, 10, 28))
    ]
    assert parse_ranges("Regio Noord 10-7-2021 t/m 22-8-2021", 2000) == [
        (dt.date(2021, 7, 10), dt.date(2021, 8, 22))
    ]
    assert parse_ranges("x 11-10-2014 19-10-2014", 2000) == [
        (dt.date(2014, 10, 11), dt.date(2014, 10, 19))
    ]


# -- the CSV as a whole -------------------------------------------------------------------------


def test_every_shipped_row_names_its_source_and_a_known_region():
    assert SHIPPED
    for period in SHIPPED:
        assert period.region in REGIONS
        assert period.start <= period.end
        assert len(period.source) > 20, period
        assert period.name


@pytest.mark.parametrize("region", REGIONS)
def test_the_periods_of_a_region_do_not_overlap(region):
    periods = sorted((p for p in SHIPPED if p.region == region), key=lambda p: p.start)
    for before, after in itertools.pairwise(periods):
        assert before.end < after.start, (before.name, after.name)


@pytest.mark.parametrize("region", REGIONS)
def test_every_school_year_from_2011_12_has_a_summer_per_region(region):
    """The summer that closes each school year (and the one of 2011 that opens 2011/12)."""
    summers = {p.start.year for p in SHIPPED if p.region == region and p.name.startswith("zomer")}
    last = max(p.end for p in SHIPPED).year
    assert summers == set(range(2011, last + 1))
    names = {p.name for p in SHIPPED if p.region == region}
    for year in range(2012, last + 1):
        assert f"zomervakantie {year}" in names


def test_the_shipped_calendar_covers_2011_12_to_2027_28_and_not_2010_11():
    for region in REGIONS:
        covered = covered_school_years(SHIPPED, region)
        assert covered == frozenset(range(2011, 2028)), region
    assert covered_school_years(SHIPPED, "") == frozenset()
    assert SchoolCalendar().covered_school_years("noord+12AB") == frozenset(range(2011, 2028))


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        # both summers → 2024/25 covered
        (
            [("2024-07-20", "2024-09-01"), ("2025-07-12", "2025-08-24")],
            {2024},
        ),
        # only the summer that ends the year: 1 August 2024 not held → not covered
        ([("2024-10-26", "2024-11-03"), ("2025-07-12", "2025-08-24")], set()),
        # a summer ending on 31 July does not open the next year
        ([("2024-07-01", "2024-07-31"), ("2025-07-01", "2025-08-31")], set()),
        # three summers → two years
        (
            [
                ("2024-07-20", "2024-09-01"),
                ("2025-07-12", "2025-08-24"),
                ("2026-07-04", "2026-08-16"),
            ],
            {2024, 2025},
        ),
    ],
)
def test_covered_school_years_needs_both_summers(periods, expected):
    rows = [
        SchoolFreePeriod("noord", dt.date.fromisoformat(s), dt.date.fromisoformat(e))
        for s, e in periods
    ]
    assert covered_school_years(rows, "noord") == frozenset(expected)
    assert covered_school_years(rows, "zuid") == frozenset()
