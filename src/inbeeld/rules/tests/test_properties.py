"""Properties of the rules (RULES.md §2–§5) on generated children and data sets (hypothesis).

1. leerplicht starts on a school day of the home region, on or after the first of the month after
   the 5th birthday, and no school day lies between that first and the start;
2. every 16_uur melding covers ≥ 16 unexcused hours (recounted from the child's school days),
   lies within four lesweken, and consecutive 16_uur meldingen end ≥ 7 days apart;
3. no melding starts or ends on a day without duty, without enrolment or on a non-school day;
4. the bulk engine equals the reference, on single children and on multi-student data sets.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.rules import choices
from inbeeld.rules.absence import RULE_16_UUR, effective_enrolment, school_days
from inbeeld.rules.calendar import NO_REGION, REGIONS
from inbeeld.rules.duty import NONE, birthday, duty_period, home_region, leerplicht_start
from inbeeld.rules.engine import analyse
from inbeeld.rules.model import Absence, Enrolment, Exemption, StudentRecord
from inbeeld.rules.reference import StudentAnalysis, analyse_dataset_simply, analyse_student
from inbeeld.rules.tests.builders import (
    CALENDAR,
    SCHOOLS,
    both,
    dataset,
    from_bulk,
    from_reference,
    record,
    student,
)
from inbeeld.rules.tests.random_data import random_dataset

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ONE_DAY = dt.timedelta(days=1)

# -- strategies -----------------------------------------------------------------------------------


@st.composite
def children(draw, sid: str = "S1") -> StudentRecord:
    """One child with a few enrolments (gaps, overlaps, changes of region) and absence rows around
    2024/25, where the built-in calendar has every region's vacations."""
    birth = draw(st.dates(dt.date(2007, 1, 1), dt.date(2019, 6, 30)))
    region = draw(st.sampled_from([None, *REGIONS]))
    skq = draw(st.one_of(st.none(), st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31))))
    stu = student(
        birth.isoformat(),
        sid=sid,
        region=region,
        skq=skq.isoformat() if skq else None,
        exempt=draw(st.booleans()) and draw(st.booleans()),
    )
    enrolments = []
    day = draw(st.dates(dt.date(2023, 6, 1), dt.date(2024, 10, 31)))
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 2, 3]))):
        length = draw(st.sampled_from([0, 5, 40, 150, 300, 500, 700]))
        end = None if draw(st.integers(0, 3)) == 0 else day + dt.timedelta(days=length)
        enrolments.append(Enrolment(draw(st.sampled_from(list(SCHOOLS))), day, end))
        if end is None:
            break
        # next enrolment: overlapping (negative), adjacent (1) or after a gap
        day = end + dt.timedelta(days=draw(st.sampled_from([-40, -3, 1, 1, 1, 3, 12, 60])))
    absences = []
    for _ in range(draw(st.integers(0, 20))):
        start = draw(st.dates(dt.date(2024, 6, 1), dt.date(2025, 7, 15)))
        reason = draw(st.sampled_from(["ongeoorloofd", "ongeoorloofd", "ziek", "geoorloofd"]))
        length = draw(st.sampled_from([0, 0, 0, 1, 2, 4, 8, 12, 30, 45]))
        hours = draw(st.sampled_from([None, None, 1.0, 2.0, 2.5, 3.5, 4.0, 6.0, 8.0]))
        absences.append(Absence(start, start + dt.timedelta(days=length), reason, hours))
    exemptions = []
    if draw(st.integers(0, 5)) == 0:
        start = draw(st.dates(dt.date(2024, 1, 1), dt.date(2025, 6, 30)))
        end = draw(st.one_of(st.none(), st.integers(0, 200)))
        exemptions.append(
            Exemption(
                draw(st.sampled_from(["5a", "15", "3b"])),
                start,
                None if end is None else start + dt.timedelta(days=end),
            )
        )
    return record(stu, enrolments, absences, exemptions)


reference_dates = st.dates(dt.date(2024, 8, 20), dt.date(2025, 7, 31))


# -- 1. leerplicht start -------------------------------------------------------------------------


@SETTINGS
@given(
    birth=st.dates(dt.date(2017, 1, 1), dt.date(2023, 6, 30)),
    region=st.sampled_from([NO_REGION, *REGIONS]),
)
def test_leerplicht_start_is_first_school_day_of_next_month(birth, region):
    start = leerplicht_start(birth, region, CALENDAR)
    fifth = birthday(birth, choices.LEERPLICHT_START_AGE)
    first = dt.date(fifth.year + (fifth.month == 12), fifth.month % 12 + 1, 1)
    assert CALENDAR.is_school_day(region, start)
    assert start >= first
    assert (start.year, start.month) > (fifth.year, fifth.month)
    # no earlier school day from the first of that month on: it is the first one
    assert CALENDAR.school_days(region, first, start) == [start]
    # and never further than a summer vacation away (≤ 7 weeks)
    assert (start - first).days < 50
    # the bulk engine agrees
    rec = record(student(birth.isoformat(), region=region or None))
    ref, bulk = both(rec, dt.date(2024, 9, 2))
    assert ref.status.leerplicht_start == bulk.status.leerplicht_start == start


# -- 2 and 3. properties of the reference's meldingen --------------------------------------------


def _check_meldingen(rec: StudentRecord, result: StudentAnalysis) -> None:
    schools = SCHOOLS
    region = home_region(rec.student, rec.enrolments, schools)
    period = duty_period(rec.student, rec.enrolments, schools, CALENDAR)
    previous_16 = None
    for m in result.meldingen:
        assert m.start_date <= m.end_date
        for day in (m.start_date, m.end_date):
            enrolment = effective_enrolment(rec.enrolments, day)
            assert enrolment is not None, (m, day)
            assert period.on(day) != NONE, (m, day)
            assert CALENDAR.is_school_day(schools[enrolment.brin].region, day), (m, day)
        assert m.brin == effective_enrolment(rec.enrolments, m.end_date).brin
        if m.rule != RULE_16_UUR:
            continue
        # (2) ≥ 16 unexcused hours between start and end, recounted from the school days
        facts = school_days(
            enrolments=rec.enrolments,
            absences=rec.absences,
            schools=schools,
            calendar=CALENDAR,
            duty=period,
            region=region,
            first=m.start_date,
            last=m.end_date,
        )
        recount = sum(f.unexcused for f in facts if f.counted)
        assert recount >= choices.HOURS_16_THRESHOLD
        assert abs(recount - m.hours) < 1e-6
        # start and end within four lesweken of the end's school region
        end_region = schools[m.brin].region
        assert m.start_date >= CALENDAR.lesweek_window_start(end_region, m.end_date, 4)
        # never across 1 August
        assert m.start_date >= dt.date(m.end_date.year - (m.end_date.month < 8), 8, 1)
        if previous_16 is not None:
            assert (m.end_date - previous_16.end_date).days >= choices.HOURS_16_MIN_SPACING_DAYS
            assert m.start_date > previous_16.end_date
        previous_16 = m


@SETTINGS
@given(rec=children(), on=reference_dates)
def test_meldingen_properties_on_generated_children(rec, on):
    _check_meldingen(rec, analyse_student(rec, SCHOOLS, CALENDAR, on))


@settings(
    max_examples=8, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(seed=st.integers(0, 10**6))
def test_meldingen_properties_on_random_datasets(seed):
    ds = random_dataset(seed, students=15)
    schools = ds.schools_by_brin()
    for rec in ds.student_records():
        result = analyse_student(rec, schools, CALENDAR, dt.date(2025, 6, 20))
        period = duty_period(rec.student, rec.enrolments, schools, CALENDAR)
        previous = None
        for m in result.meldingen:
            enrolment = effective_enrolment(rec.enrolments, m.end_date)
            assert enrolment is not None
            assert enrolment.brin == m.brin
            assert period.on(m.end_date) != NONE
            assert CALENDAR.is_school_day(schools[m.brin].region, m.end_date)
            if m.rule == RULE_16_UUR:
                assert m.hours >= choices.HOURS_16_THRESHOLD
                region = schools[m.brin].region
                assert m.start_date >= CALENDAR.lesweek_window_start(region, m.end_date, 4)
                if previous is not None:
                    assert (m.end_date - previous.end_date).days >= 7
                previous = m


# -- 4. bulk engine == reference -----------------------------------------------------------------


@SETTINGS
@given(rec=children(), on=reference_dates)
def test_bulk_equals_reference_single_child(rec, on):
    ref, bulk = both(rec, on)
    assert ref == bulk


def _compare_dataset(ds, on: dt.date) -> None:
    statuses, meldingen = analyse_dataset_simply(ds, CALENDAR, on)
    bulk = analyse(ds, on, CALENDAR)
    by_student: dict[str, list] = {}
    for m in meldingen:
        by_student.setdefault(m.student_id, []).append(m)
    for s in statuses:
        ref = from_reference(
            StudentAnalysis(
                status=s, meldingen=tuple(by_student.get(s.student_id, ())), period=None
            )  # type: ignore[arg-type]
        )
        got = from_bulk(bulk.status, bulk.meldingen, s.student_id)
        assert ref == got, s.student_id
    assert bulk.status.height == len(statuses)
    assert bulk.meldingen.height == len(meldingen)


@SETTINGS
@given(
    recs=st.lists(st.integers(0, 10**6), min_size=2, max_size=5).flatmap(
        lambda ids: st.tuples(*[children(sid=f"S{i}") for i in range(len(ids))])
    ),
    on=reference_dates,
)
def test_bulk_equals_reference_multi_child(recs, on):
    _compare_dataset(dataset(recs), on)


@settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    seed=st.integers(0, 10**6),
    on=st.sampled_from([dt.date(2024, 10, 25), dt.date(2025, 1, 3), dt.date(2025, 6, 20)]),
)
def test_bulk_equals_reference_random_datasets(seed, on):
    _compare_dataset(random_dataset(seed, students=15, on=on), on)


def test_compare_dataset_sees_all_rows():
    # guard for the helper: a data set with meldingen really compares them
    ds = random_dataset(7, students=20)
    _, meldingen = analyse_dataset_simply(ds, CALENDAR, dt.date(2025, 6, 20))
    assert meldingen
    assert pl.Series([m.rule for m in meldingen]).n_unique() >= 2
    _compare_dataset(ds, dt.date(2025, 6, 20))
