"""Thuiszitter episodes (rules.episodes): hand-made cases with known answers, and the bulk form
against the day-by-day reading on generated data."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from inbeeld.rules.engine import calendar_for
from inbeeld.rules.episodes import (
    Episode,
    episodes_frame,
    episodes_of_student,
    episodes_simply,
    thuiszitter_episodes,
)
from inbeeld.rules.status import ABSOLUUT_VERZUIM as AV
from inbeeld.rules.status import LANGDURIG_RELATIEF_VERZUIM as LRV
from inbeeld.rules.tests.builders import (
    CALENDAR,
    SCHOOLS,
    ZUID_PO,
    d,
    dataset,
    enrol,
    exemption,
    record,
    student,
    unexcused,
)
from inbeeld.rules.tests.random_data import random_dataset


def both(rec, on: str) -> list[Episode]:
    """The episodes of one child by both implementations; they must agree."""
    day = d(on)
    simple = episodes_of_student(rec, SCHOOLS, CALENDAR, day)
    bulk = thuiszitter_episodes(dataset([rec]), day, CALENDAR)
    assert episodes_frame(simple).rows() == bulk.rows()
    return simple


def ep(category, start, end, counted, passed, sid="S1") -> Episode:
    return Episode(
        sid,
        category,
        d(start),
        d(end) if end else None,
        d(counted),
        d(passed) if passed else None,
    )


# When an episode passes three months (periods.first_day_over_three_months) is pinned in
# test_periods.py (RULES.md §7: one function for status, escalation and episodes).


# -- hand-made cases ----------------------------------------------------------------------------

PUPIL = "2014-03-10"  # leerplicht until 31 July 2030


def test_absoluut_verzuim_crossing_the_school_year_boundary_goes_on():
    rec = record(student(PUPIL), [enrol(ZUID_PO, "2019-04-01", "2024-06-30")])
    assert both(rec, "2024-10-15") == [ep(AV, "2024-07-01", None, "2024-07-01", "2024-10-01")]
    # seen before three months had passed: no over_3_months_on yet
    assert both(rec, "2024-09-30") == [ep(AV, "2024-07-01", None, "2024-07-01", None)]


def test_absoluut_verzuim_ends_with_a_new_enrolment_after_the_summer():
    rec = record(
        student(PUPIL),
        [enrol(ZUID_PO, "2019-04-01", "2024-06-30"), enrol(ZUID_PO, "2024-11-04")],
    )
    assert both(rec, "2025-01-10") == [
        ep(AV, "2024-07-01", "2024-11-03", "2024-07-01", "2024-10-01")
    ]


def test_an_exemption_interrupts_absoluut_verzuim():
    # RULES.md §7 (v2): the second stretch starts on 1 January 2025 (Nieuwjaarsdag, in the
    # Christmas vacation until 5 January), so its episode starts on Monday 6 January (v1: 1 Jan)
    rec = record(
        student(PUPIL),
        [enrol(ZUID_PO, "2019-04-01", "2024-09-30")],
        exemptions=[exemption("5a", "2024-11-01", "2024-12-31")],
    )
    assert both(rec, "2025-03-01") == [
        ep(AV, "2024-10-01", "2024-10-31", "2024-10-01", None),
        ep(AV, "2025-01-06", None, "2025-01-06", None),
    ]
    assert both(rec, "2025-04-05")[-1].over_3_months_on is None
    assert both(rec, "2025-04-07")[-1].over_3_months_on == d("2025-04-06")


def test_a_child_leaving_duty_ends_the_episode():
    # no kwalificatieplicht after 31 July 2022 ... a child born 15 December 2006 has it until
    # the day before the 18th birthday: 14 December 2024
    rec = record(student("2006-12-15"), [enrol(ZUID_PO, "2012-01-02", "2024-06-30")])
    assert both(rec, "2025-03-01") == [
        ep(AV, "2024-07-01", "2024-12-14", "2024-07-01", "2024-10-01")
    ]


def test_a_child_never_enrolled_is_in_absoluut_verzuim_from_the_start_of_leerplicht():
    rec = record(student("2019-06-10", region="zuid"))
    # 5 in June 2024: leerplicht from the first school day on or after 1 July 2024 (zuid: the
    # summer holiday runs 6 July – 18 August, so 1 July is a school day)
    assert both(rec, "2024-12-01") == [ep(AV, "2024-07-01", None, "2024-07-01", "2024-10-01")]


def test_lrv_run_across_the_summer_holiday():
    """Whole days away from 3 June to 30 September 2024 (zuid: holiday 6 July – 18 August): one
    run over the holiday; the 20th school day is 28 June; back at school on 1 October."""
    rec = record(
        student(PUPIL),
        [enrol(ZUID_PO, "2019-04-01")],
        [unexcused("2024-06-03", "2024-09-30")],
    )
    assert both(rec, "2024-10-15") == [
        ep(LRV, "2024-06-03", "2024-09-30", "2024-06-28", "2024-09-03")
    ]
    # on 1 September (a Sunday) the run still goes on: it reached the last school day up to then
    assert both(rec, "2024-09-01") == [ep(LRV, "2024-06-03", None, "2024-06-28", None)]


def test_lrv_needs_twenty_days_and_a_day_at_school_breaks_the_run():
    rec = record(
        student(PUPIL),
        [enrol(ZUID_PO, "2019-04-01")],
        [unexcused("2024-09-02", "2024-09-26"), unexcused("2024-09-30", "2024-11-29")],
    )
    # 2–26 September is 19 school days: no episode; from 30 September it is one, whose 20th
    # school day is 1 November (zuid: autumn holiday 19–27 October)
    [episode] = both(rec, "2024-12-20")
    assert episode == ep(LRV, "2024-09-30", "2024-11-29", "2024-11-01", None)


def test_lrv_ends_when_the_enrolment_ends_and_absoluut_verzuim_follows():
    # the enrolment ends on Friday 29 November: absoluut verzuim from the first school day after,
    # Monday 2 December (RULES.md §7 (v2); v1: Saturday 30 November)
    rec = record(
        student(PUPIL),
        [enrol(ZUID_PO, "2019-04-01", "2024-11-29")],
        [unexcused("2024-09-02", "2024-11-29")],
    )
    assert both(rec, "2025-01-10") == [
        ep(LRV, "2024-09-02", "2024-11-29", "2024-09-27", None),
        ep(AV, "2024-12-02", None, "2024-12-02", None),
    ]


# -- the bulk form against the reading day by day -----------------------------------------------


def _agree(seed: int, on: dt.date, students: int = 70) -> int:
    data = random_dataset(seed, students, on)
    calendar = calendar_for(data)
    simple = episodes_frame(episodes_simply(data, calendar, on))
    bulk = thuiszitter_episodes(data, on, calendar)
    only_simple = sorted(set(simple.rows()) - set(bulk.rows()))
    only_bulk = sorted(set(bulk.rows()) - set(simple.rows()))
    assert simple.rows() == bulk.rows(), (only_simple[:5], only_bulk[:5])
    return bulk.height


@pytest.mark.parametrize("seed", range(8))
def test_bulk_equals_reference_on_awkward_random_data(seed):
    _agree(seed, dt.date(2025, 6, 20))


@pytest.mark.parametrize("on", [dt.date(2024, 9, 1), dt.date(2025, 1, 6), dt.date(2025, 7, 31)])
def test_bulk_equals_reference_on_other_reference_dates(on):
    _agree(200 + on.month, on)


def test_random_data_has_episodes_of_every_kind():
    """Guard against a comparison that passes because nothing happens."""
    on = dt.date(2025, 6, 20)
    frame = pl.concat([thuiszitter_episodes(random_dataset(s, 70, on), on) for s in range(8)])
    assert set(frame["category"]) == {AV, LRV}
    for category in (AV, LRV):
        part = frame.filter(category=category)
        assert part["end_date"].null_count() > 0, category  # ongoing
        assert part["end_date"].null_count() < part.height, category  # ended
        assert part["over_3_months_on"].null_count() < part.height, category
