"""A school's own free days (RULES.md §1: "schools that close add it to their own calendar")."""

from __future__ import annotations

import datetime as dt

import polars as pl

from inbeeld.rules.calendar import SchoolCalendar, SchoolFreePeriod, school_calendar_key
from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.model import SCHEMAS, Dataset
from inbeeld.rules.reference import analyse_dataset_simply

STUDY_DAY = dt.date(2024, 11, 13)  # a Wednesday, no vacation in noord
ON = dt.date(2024, 12, 20)


def dataset(own_free_day: bool) -> Dataset:
    region = school_calendar_key("noord", "12AB") if own_free_day else "noord"
    schools = [
        {
            "brin": "12AB",
            "name": "X",
            "sector": "vo",
            "region": region,
            "municipality": "GM0014",
            "hours_per_day": 6.0,
            "partnership": None,
        }
    ]
    students = [
        {
            "student_id": "S1",
            "birth_date": dt.date(2011, 3, 3),
            "municipality": "GM0014",
            "region": None,
            "startkwalificatie_date": None,
            "kwalificatieplicht_exempt": False,
            "bsn": None,
            "onderwijsnummer": None,
            "given_names": None,
            "family_name": None,
            "postcode": None,
        }
    ]
    enrolments = [
        {
            "student_id": "S1",
            "brin": "12AB",
            "start_date": dt.date(2023, 8, 1),
            "end_date": None,
            "line": 2,
        }
    ]
    # whole days away from 4 November to 3 December, except the school's study day
    absences = [
        {
            "student_id": "S1",
            "start_date": dt.date(2024, 11, 4),
            "end_date": dt.date(2024, 11, 12),
            "reason": "ongeoorloofd",
            "hours_per_day": None,
        },
        {
            "student_id": "S1",
            "start_date": dt.date(2024, 11, 14),
            "end_date": dt.date(2024, 12, 3),
            "reason": "ongeoorloofd",
            "hours_per_day": None,
        },
    ]
    calendar = (
        [{"region": region, "start_date": STUDY_DAY, "end_date": STUDY_DAY, "name": "studiedag"}]
        if own_free_day
        else []
    )
    return Dataset(
        schools=pl.DataFrame(schools, schema=SCHEMAS["schools"]),
        students=pl.DataFrame(students, schema=SCHEMAS["students"]),
        enrolments=pl.DataFrame(enrolments, schema=SCHEMAS["enrolments"]),
        absences=pl.DataFrame(absences, schema=SCHEMAS["absences"]),
        exemptions=pl.DataFrame(schema=SCHEMAS["exemptions"]),
        calendar=pl.DataFrame(calendar, schema=SCHEMAS["calendar"]),
    )


def lrv_meldingen(data: Dataset) -> tuple[list, list]:
    calendar = calendar_for(data)
    bulk = analyse(data, ON, calendar).meldingen.filter(pl.col("rule") == "lrv")
    _, reference = analyse_dataset_simply(data, calendar, ON)
    return (
        [(r["start_date"], r["end_date"]) for r in bulk.iter_rows(named=True)],
        [(m.start_date, m.end_date) for m in reference if m.rule == "lrv"],
    )


def test_a_study_day_of_the_school_does_not_break_a_long_absence():
    # 4 Nov–3 Dec holds 22 school days in noord; without the study day 21: the 20th is 2 Dec
    bulk, reference = lrv_meldingen(dataset(own_free_day=True))
    assert bulk == reference == [(dt.date(2024, 11, 4), dt.date(2024, 12, 2))]


def test_without_the_study_day_the_school_day_without_absence_breaks_the_run():
    # 14 Nov–3 Dec is 14 school days: no run of 20
    bulk, reference = lrv_meldingen(dataset(own_free_day=False))
    assert bulk == reference == []


def test_a_school_calendar_adds_its_days_to_its_region():
    key = school_calendar_key("noord", "12AB")
    calendar = SchoolCalendar.with_overrides(
        [SchoolFreePeriod(key, STUDY_DAY, STUDY_DAY, "studiedag")]
    )
    assert not calendar.is_school_day(key, STUDY_DAY)
    assert calendar.is_school_day("noord", STUDY_DAY)
    herfst = dt.date(2024, 10, 28)  # noord's autumn vacation holds for the school as well
    assert not calendar.is_school_day(key, herfst)
    assert calendar.free_reason(key, STUDY_DAY) == "studiedag"
    assert calendar.free_reason(key, herfst) == "herfstvakantie 2024"
    arrays = calendar.arrays(dt.date(2024, 8, 1), dt.date(2025, 7, 31))
    row = arrays.row(key)
    assert not arrays.school[row, (STUDY_DAY - arrays.first).days]
    assert not arrays.school[row, (herfst - arrays.first).days]
    assert arrays.school[arrays.row("noord"), (STUDY_DAY - arrays.first).days]
