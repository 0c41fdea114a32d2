"""Random, deliberately awkward data sets for checking the bulk engine against the reference.

Several regions, overlapping and nested enrolments, gaps, partial days, overlapping absence rows,
absences across vacations and outside enrolment, exemptions, startkwalificaties; and (RULES.md §7
v2, ``_add_own_timetables_luxe_and_11a``) part-time timetables, luxe and 11a rows, five-year-olds.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from inbeeld.rules.calendar import REGIONS, school_calendar_key
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
