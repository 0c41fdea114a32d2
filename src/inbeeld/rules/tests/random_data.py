"""Random, deliberately awkward data sets for checking the bulk engine against the reference.

Several regions, overlapping and nested enrolments, gaps, partial days, overlapping absence rows,
absences across vacations and outside enrolment, exemptions, startkwalificaties. For RULES.md §7
(v2): part-time timetables, luxe and 11a rows, five-year-olds
(:func:`_add_own_timetables_luxe_and_11a`); status and exemptions (:func:`_v2_status_rows`):
school changes over weekends and summers, 3a/3b rows, art. 15 rows at every age, 5a rows without
end (some permanent), 5a_trekkend.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from inbeeld.rules.calendar import ONE_DAY, REGIONS, SchoolCalendar, school_calendar_key
from inbeeld.rules.duty import birthday
from inbeeld.rules.model import SCHEMAS, Dataset

BASE = dt.date(2024, 8, 1)


def _d(day: dt.date) -> dt.date:
    return day


def random_dataset(seed: int, students: int = 60, on: dt.date = dt.date(2025, 6, 20)) -> Dataset:
    rnd = random.Random(seed)
    schools = []
    for i, region in enumerate(REGIONS * 2):
        sector = rnd.choice(["po", "vo", "mbo", "so", "vso"])
        hours = rnd.choice([None, None, 4.0, 5.5, 6.0, 8.0])
        default = {"po": 5.0, "so": 5.0, "vo": 6.0, "vso": 6.0, "mbo": 6.0}[sector]
        schools.append(
            {
                "brin": f"{10 + i:02d}{chr(65 + i)}{chr(66 + i)}",
                "name": f"School {i}",
                "sector": sector,
                "region": region,
                "municipality": "GM0014",
                "hours_per_day": hours if hours is not None else default,
                "partnership": None,
            }
        )
    brins = [s["brin"] for s in schools]
    st, en, ab, ex = [], [], [], []
    line = 2
    for n in range(students):
        sid = f"S{n:05d}"
        birth = dt.date(2005, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 16))
        if rnd.random() < 0.05:
            birth = dt.date(rnd.choice([2008, 2012, 2016]), 2, 29)
        skq = None
        if rnd.random() < 0.1:
            skq = birth + dt.timedelta(days=rnd.randrange(16 * 365, 19 * 365))
        st.append(
            {
                "student_id": sid,
                "birth_date": birth,
                "municipality": "GM0014",
                "region": rnd.choice([None, None, *REGIONS]),
                "startkwalificatie_date": skq,
                "kwalificatieplicht_exempt": rnd.random() < 0.05,
                "bsn": None,
                "onderwijsnummer": None,
                "given_names": None,
                "family_name": None,
                "postcode": None,
            }
        )
        # enrolment history: from age 4, with changes, gaps, overlaps and nesting
        day = birth + dt.timedelta(days=4 * 365 + rnd.randrange(0, 200))
        while day < on + dt.timedelta(days=200) and rnd.random() < 0.97:
            length = rnd.choice([rnd.randrange(20, 400), rnd.randrange(300, 3000)])
            end = day + dt.timedelta(days=length)
            open_end = end > on and rnd.random() < 0.6
            en.append(
                {
                    "student_id": sid,
                    "brin": rnd.choice(brins),
                    "start_date": day,
                    "end_date": None if open_end else end,
                    "line": line,
                }
            )
            line += 1
            if rnd.random() < 0.08:  # a nested or overlapping second enrolment
                a = day + dt.timedelta(days=rnd.randrange(0, max(1, length)))
                b = a + dt.timedelta(days=rnd.randrange(0, 120))
                en.append(
                    {
                        "student_id": sid,
                        "brin": rnd.choice(brins),
                        "start_date": a,
                        "end_date": b,
                        "line": line,
                    }
                )
                line += 1
            if open_end:
                break
            day = end + dt.timedelta(days=rnd.choice([1, 1, 1, 2, 5, 30, 90]))
        line = _v2_status_rows(rnd, sid, birth, on, st[-1]["region"], schools, en, ex, line)
        # absences in 2024/25 (and a bit of the year before)
        profile = rnd.random()
        rows = rnd.randrange(0, 6) if profile < 0.6 else rnd.randrange(5, 40)
        for _ in range(rows):
            start = BASE - dt.timedelta(days=60) + dt.timedelta(days=rnd.randrange(0, 380))
            kind = rnd.random()
            if kind < 0.35:
                reason, length, hours = "ziek", rnd.choice([0, 0, 1, 2, 6, 9]), None
            elif kind < 0.75:
                reason, length, hours = (
                    "ongeoorloofd",
                    rnd.choice([0, 0, 0, 3]),
                    rnd.choice([None, 1.0, 2.0, 3.5, 4.0, 6.0, 7.0]),
                )
            elif kind < 0.85:
                reason, length, hours = "ongeoorloofd", rnd.randrange(20, 60), None
            else:
                reason, length, hours = "geoorloofd", rnd.randrange(0, 5), rnd.choice([None, 2.0])
            ab.append(
                {
                    "student_id": sid,
                    "start_date": start,
                    "end_date": start + dt.timedelta(days=length),
                    "reason": reason,
                    "hours_per_day": hours,
                }
            )
        if rnd.random() < 0.08:
            a = on - dt.timedelta(days=rnd.randrange(0, 600))
            until: dt.date | None = (
                None if rnd.random() < 0.5 else a + dt.timedelta(days=rnd.randrange(0, 400))
            )
            ex.append(
                {
                    "student_id": sid,
                    "article": rnd.choice(["5a", "5b", "15"]),
                    "start_date": a,
                    "end_date": until,
                }
            )
    _add_own_timetables_luxe_and_11a(random.Random(f"v2-absence-{seed}"), brins, st, en, ab)
    # two schools keep free days of their own (study days, a Friday before a holiday)
    own_days = []
    for school in schools[:2]:
        school["region"] = school_calendar_key(school["region"], school["brin"])
        for _ in range(6):
            day = BASE + dt.timedelta(days=rnd.randrange(0, 330))
            own_days.append(
                {
                    "region": school["region"],
                    "start_date": day,
                    "end_date": day + dt.timedelta(days=rnd.choice([0, 0, 1, 4])),
                    "name": "studiedag",
                }
            )
    return Dataset(
        calendar=pl.DataFrame(own_days, schema=SCHEMAS["calendar"]),
        schools=pl.DataFrame(schools, schema=SCHEMAS["schools"]),
        students=pl.DataFrame(st, schema=SCHEMAS["students"]),
        enrolments=pl.DataFrame(en, schema=SCHEMAS["enrolments"]),
        absences=pl.DataFrame(ab, schema=SCHEMAS["absences"]),
        exemptions=pl.DataFrame(ex, schema=SCHEMAS["exemptions"]),
    )


# -- RULES.md §7 (v2): status and exemptions ------------------------------------------------------

_CALENDAR = SchoolCalendar()


def _break_around(region: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the run of days without school (``region``) that holds the first
    day without school on or after ``day`` (a weekend, a holiday, a vacation)."""
    first = day
    while _CALENDAR.is_school_day(region, first):
        first += ONE_DAY
    last = first
    while not _CALENDAR.is_school_day(region, last + ONE_DAY):
        last += ONE_DAY
    while not _CALENDAR.is_school_day(region, first - ONE_DAY):
        first -= ONE_DAY
    return first, last


def _v2_status_rows(
    rnd: random.Random,
    sid: str,
    birth: dt.date,
    on: dt.date,
    region: str | None,
    schools: list[dict],
    en: list[dict],
    ex: list[dict],
    line: int,
) -> int:
    """RULES.md §7 (v2) cases for one student, added to ``en``/``ex``; returns the next line.

    Some students get a new enrolment history: schools changed over a weekend or a summer (the
    enrolment ends on the last school day before the break, the next starts on the first after
    it), sometimes a school day or a week later, sometimes out of school at the end. Some get
    exemption rows: 3a/3b, art. 15 at any age, 5a without end (some permanent), 5a_trekkend.
    """
    if rnd.random() < 0.3:
        while en and en[-1]["student_id"] == sid:
            en.pop()
        school = rnd.choice(schools)
        home = region or school["region"].split("+")[0]
        start = birth + dt.timedelta(days=4 * 365 + rnd.randrange(0, 4000))
        for _ in range(rnd.randrange(1, 5)):
            if rnd.random() < 0.5:  # a summer vacation
                year = (start + dt.timedelta(days=rnd.randrange(30, 700))).year
                first, last = _break_around(home, dt.date(year, 7, 25))
            else:  # a weekend (or a longer break)
                first, last = _break_around(home, start + dt.timedelta(days=rnd.randrange(5, 500)))
            if first <= start:
                break
            end = first - ONE_DAY
            after = last + ONE_DAY
            late = rnd.random()
            if late < 0.15:  # the next starts a school day later: school days in the gap
                after = _CALENDAR.first_school_day_on_or_after(home, after + ONE_DAY)
            elif late < 0.25:  # ... or a week or more later
                after += dt.timedelta(days=rnd.randrange(7, 40))
            en.append(
                {
                    "student_id": sid,
                    "brin": school["brin"],
                    "start_date": start,
                    "end_date": end,
                    "line": line,
                }
            )
            line += 1
            school, start = rnd.choice(schools), after
        if start <= on + dt.timedelta(days=200):
            ends = rnd.random()
            en.append(
                {
                    "student_id": sid,
                    "brin": school["brin"],
                    "start_date": start,
                    "end_date": None
                    if ends < 0.6
                    else start + dt.timedelta(days=rnd.randrange(0, 600)),
                    "line": line,
                }
            )
            line += 1
    if rnd.random() < 0.3:
        for _ in range(rnd.randrange(1, 3)):
            article = rnd.choice(["3a", "3b", "15", "15", "5a", "5a", "5a_trekkend", "5b", "5c"])
            if article == "15":  # at any age from 5 to 18
                start = birth + dt.timedelta(days=rnd.randrange(5 * 365, 18 * 365))
            else:
                start = on - dt.timedelta(days=rnd.randrange(0, 900))
            until = (
                None
                if rnd.random() < 0.5
                else start + dt.timedelta(days=rnd.choice([0, 30, 200, 400, 800]))
            )
            ex.append(
                {
                    "student_id": sid,
                    "article": article,
                    "start_date": start,
                    "end_date": until,
                    "permanent": article == "5a" and rnd.random() < 0.4,
                }
            )
    return line


# -- RULES.md §7 (v2): calendars back to 2011/12 --------------------------------------------------


def random_dataset_long_careers(
    seed: int, students: int = 60, on: dt.date = dt.date(2024, 9, 2)
) -> Dataset:
    """``random_dataset`` with school careers that start in 2008-2012 (RULES.md §7, calendars back
    to 2011/12): births in 2004-2008 and enrolments that start on or around 1 August and 1
    September, end on 30 June, in July or on a Friday before a holiday, and restart a day, a weekend,
    a holiday or a summer later, so that the 12-full-school-years rule meets both the years the
    shipped calendar covers and the uncovered ones before 2011 (the weekday rule)."""
    base = random_dataset(seed, students, on)
    rnd = random.Random(50_000 + seed)
    brins = base.schools["brin"].to_list()
    births, en = [], []
    line = 2
    for sid in base.students["student_id"].to_list():
        year = rnd.randrange(2008, 2013)
        births.append(dt.date(year - 5, 8, 1) + dt.timedelta(days=rnd.randrange(0, 400)))
        day = rnd.choice(
            [
                dt.date(year, 8, 1),
                dt.date(year, 8, rnd.randrange(15, 32)),
                dt.date(year, 9, 1),
                dt.date(year, 9, 2),
                dt.date(year, 9, 5),
            ]
        )
        # a third: one school career without a gap (changes over a weekend), 4 in August of the
        # first year, so twelve full years end a year before the age rule
        tidy = rnd.random() < 0.35
        if tidy:
            day = rnd.choice([dt.date(year, 8, 1), dt.date(year, 9, 1)])
            births[-1] = dt.date(year - 4, 8, rnd.randrange(1, 29))
        while day < on:
            end = day + dt.timedelta(days=rnd.choice([300, 700, rnd.randrange(60, 1800)]))
            snap = 1.0 if tidy else rnd.random()
            if tidy and end.weekday() < 5:
                end += dt.timedelta(days=4 - end.weekday())  # the Friday
            if snap < 0.3:
                end = dt.date(end.year, 6, 30)
            elif snap < 0.45:
                end = dt.date(end.year, 7, rnd.randrange(1, 25))
            if end < day:
                end = day
            if end >= on and rnd.random() < 0.7:
                en.append(
                    {
                        "student_id": sid,
                        "brin": rnd.choice(brins),
                        "start_date": day,
                        "end_date": None,
                        "line": line,
                    }
                )
                line += 1
                break
            en.append(
                {
                    "student_id": sid,
                    "brin": rnd.choice(brins),
                    "start_date": day,
                    "end_date": end,
                    "line": line,
                }
            )
            line += 1
            if tidy:
                day = end + dt.timedelta(days=7 - end.weekday())  # the Monday after
            elif end.month in (6, 7) and rnd.random() < 0.6:
                day = rnd.choice(
                    [
                        dt.date(end.year, 8, 22),
                        dt.date(end.year, 9, 1),
                        dt.date(end.year, 9, 5),
                        dt.date(end.year, 8, 13),
                    ]
                )
            else:
                day = end + dt.timedelta(days=rnd.choice([1, 1, 1, 3, 4, 5, 12]))
    return Dataset(
        calendar=base.calendar,
        schools=base.schools,
        students=base.students.with_columns(pl.Series("birth_date", births, dtype=pl.Date)),
        enrolments=pl.DataFrame(en, schema=SCHEMAS["enrolments"]),
        absences=base.absences,
        exemptions=base.exemptions,
    )


# -- RULES.md §7 (v2) "what counts on a day": own timetables, luxe verzuim, 11a -------------------

#: an enrolment's own timetable (enrolments.csv hours_per_day), exact in binary floating point
OWN_TIMETABLE_HOURS = (2.0, 3.5, 4.0, 7.0)


def _add_own_timetables_luxe_and_11a(
    rnd: random.Random,
    brins: list[str],
    st: list[dict],
    en: list[dict],
    ab: list[dict],
) -> None:
    """Make the rows of ``random_dataset`` exercise RULES.md §7 (v2) "what counts on a day".

    It draws from its own ``rnd`` (so the rest of the data set is what it was) and changes the
    lists in place:

    * some enrolments get an own timetable (``hours_per_day`` 2, 3.5, 4 or 7), and some students a
      nested second enrolment at the *same* school with other hours (segments must not merge);
    * some students become five-year-olds in 2024/25 (born 2019–early 2020, enrolled from about
      their 4th birthday; some turn 6 before the reference date) with ``11a`` rows of several
      days and hours (weeks above and below the 10 hours), and a few older students get ``11a``
      rows too (all unexcused);
    * some students get ``luxe`` rows: around vacations, over weekends, past the reference date,
      before enrolment; a few part-time pupils miss every lesson of their timetable for weeks
      (an lrv on a 2-hour day).
    """
    lines = max((row["line"] for row in en), default=1) + 1
    for row in en:
        if rnd.random() < 0.15:
            row["hours_per_day"] = rnd.choice(OWN_TIMETABLE_HOURS)
    young: set[str] = set()
    for row in st:
        if rnd.random() < 0.15:
            young.add(row["student_id"])
            row["birth_date"] = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(0, 455))
    en[:] = [row for row in en if row["student_id"] not in young]
    for row in st:
        sid = row["student_id"]
        if sid in young:
            start = row["birth_date"].replace(year=row["birth_date"].year + 4)
            start += dt.timedelta(days=rnd.randrange(0, 40))
            hours = rnd.choice([None, None, *OWN_TIMETABLE_HOURS])
            en.append(_enrolment(sid, rnd.choice(brins), start, None, hours, lines))
            lines += 1
        own = [e for e in en if e["student_id"] == sid]
        if own and rnd.random() < 0.08:  # nested, same school, another timetable
            outer = rnd.choice(own)
            a = outer["start_date"] + dt.timedelta(days=rnd.randrange(0, 200))
            b = a + dt.timedelta(days=rnd.randrange(5, 90))
            if outer["end_date"] is None or b < outer["end_date"]:
                hours = rnd.choice(
                    [h for h in OWN_TIMETABLE_HOURS if h != outer.get("hours_per_day")]
                )
                en.append(_enrolment(sid, outer["brin"], a, b, hours, lines))
                lines += 1
        # 11a: mostly five-year-olds, a few older children (whose 11a hours are all unexcused)
        if sid in young or rnd.random() < 0.03:
            for _ in range(rnd.randrange(1, 8)):
                start = BASE + dt.timedelta(days=rnd.randrange(0, 330))
                ab.append(
                    _absence(
                        sid,
                        start,
                        start + dt.timedelta(days=rnd.choice([0, 0, 1, 2, 4, 6])),
                        "11a",
                        rnd.choice([None, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                    )
                )
        if sid in young and rnd.random() < 0.4:  # the days around the 6th birthday
            sixth = birthday(row["birth_date"], 6)
            ab.append(
                _absence(
                    sid,
                    sixth - dt.timedelta(days=rnd.randrange(0, 4)),
                    sixth + dt.timedelta(days=rnd.randrange(0, 4)),
                    "11a",
                    rnd.choice([None, 2.0, 4.0]),
                )
            )
        if rnd.random() < 0.15:
            for _ in range(rnd.randrange(1, 3)):
                # around a vacation or a weekend: often from a Thursday or Friday
                start = BASE - dt.timedelta(days=30) + dt.timedelta(days=rnd.randrange(0, 400))
                ab.append(
                    _absence(
                        sid,
                        start,
                        start + dt.timedelta(days=rnd.choice([0, 1, 3, 4, 8, 11, 16])),
                        "luxe",
                        rnd.choice([None, None, 3.0]),
                    )
                )
        part_time = [e for e in en if e["student_id"] == sid and e.get("hours_per_day")]
        if part_time and rnd.random() < 0.3:  # misses every lesson of the own timetable
            e = rnd.choice(part_time)
            start = max(e["start_date"], BASE)
            ab.append(
                _absence(
                    sid,
                    start,
                    start + dt.timedelta(days=rnd.randrange(20, 50)),
                    rnd.choice(["ongeoorloofd", "ongeoorloofd", "luxe"]),
                    rnd.choice([None, e["hours_per_day"]]),
                )
            )


def _enrolment(
    sid: str, brin: str, start: dt.date, end: dt.date | None, hours: float | None, line: int
) -> dict:
    return {
        "student_id": sid,
        "brin": brin,
        "start_date": start,
        "end_date": end,
        "hours_per_day": hours,
        "line": line,
    }


def _absence(sid: str, start: dt.date, end: dt.date, reason: str, hours: float | None) -> dict:
    return {
        "student_id": sid,
        "start_date": start,
        "end_date": end,
        "reason": reason,
        "hours_per_day": hours,
    }
