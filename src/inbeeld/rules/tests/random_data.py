"""Random, deliberately awkward data sets for checking the bulk engine against the reference.

Several regions, overlapping and nested enrolments, gaps, partial days, overlapping absence rows,
absences across vacations and outside enrolment, exemptions, startkwalificaties.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from inbeeld.rules.calendar import REGIONS, school_calendar_key
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
