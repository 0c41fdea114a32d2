"""The bulk care signals (rules/signal_replay.py) fire exactly what the plain rules
(rules/care_signals.care_signals_on) fire, for random children on random days (issue 12 §4)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inbeeld.rules.care_signals import (
    ChildFacts,
    EnrolmentSpan,
    MeldingFact,
    SchoolDay,
    ThuiszitterEpisode,
    WaitingList,
    care_signals_on,
)
from inbeeld.rules.signal_replay import (
    EXCHANGE_SIGNALS,
    SIGNAL_CODES,
    ChildHistory,
    history_from_facts,
    signals_on_days,
)
from inbeeld.rules.tests.builders import d

FIRST = dt.date(2024, 6, 1)
SPAN = 540  # days of history

days_in = st.integers(min_value=0, max_value=SPAN).map(lambda n: FIRST + dt.timedelta(days=n))
#: hours in quarter hours: exact in binary, so a sum does not depend on the order of adding
hours = st.sampled_from([0.0, 0.0, 0.0, 0.0, 0.25, 1.0, 2.5, 3.0, 4.0, 6.0])


@st.composite
def child(draw, sid: str) -> ChildHistory:
    # counted school days: weekdays from a random start, with gaps (vacations, no enrolment)
    school_days: list[SchoolDay] = []
    day = FIRST + dt.timedelta(days=draw(st.integers(0, 60)))
    for _ in range(draw(st.integers(0, 160))):
        day += dt.timedelta(days=draw(st.sampled_from([1, 1, 1, 1, 3, 8])))
        school_days.append(SchoolDay(day, draw(hours), draw(hours)))
    enrolments = tuple(
        EnrolmentSpan(key, f"School {key}", start, end)
        for key, start, end in draw(
            st.lists(st.tuples(st.sampled_from("ABC"), days_in, st.none() | days_in), max_size=4)
        )
    )
    episodes = tuple(
        ThuiszitterEpisode("absoluut verzuim", start, None if end is None else max(start, end))
        for start, end in draw(st.lists(st.tuples(days_in, st.none() | days_in), max_size=3))
    )
    waiting = tuple(
        WaitingList(since, None if ended is None else max(since, ended))
        for since, ended in draw(st.lists(st.tuples(days_in, st.none() | days_in), max_size=2))
    )
    meldingen = draw(st.lists(st.tuples(days_in, st.none() | days_in), max_size=3))
    facts = ChildFacts(
        school_days=tuple(school_days),
        enrolments=enrolments,
        episodes=episodes,
        waiting_lists=waiting,
        meldingen=tuple(MeldingFact("16 uur", arrived, True) for arrived, _ in meldingen),
    )
    return ChildHistory(sid, facts, tuple(done for _, done in meldingen))


def facts_on(child: ChildHistory, on: dt.date) -> ChildFacts:
    """The child's facts as the plain rules see them on ``on``: a melding is "nieuw" while it
    was not taken in handling on or before ``on``."""
    meldingen = tuple(
        MeldingFact(m.rule_label, m.arrived_on, done is None or done > on)
        for m, done in zip(child.facts.meldingen, child.handled_on, strict=True)
    )
    return ChildFacts(
        school_days=child.facts.school_days,
        enrolments=child.facts.enrolments,
        episodes=child.facts.episodes,
        waiting_lists=child.facts.waiting_lists,
        meldingen=meldingen,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    children=st.integers(1, 4).flatmap(lambda n: st.tuples(*(child(f"K{i}") for i in range(n)))),
    on_days=st.lists(days_in, min_size=1, max_size=6, unique=True),
)
def test_bulk_signals_fire_what_the_plain_rules_fire(children, on_days):
    history = history_from_facts(children)
    bulk = signals_on_days(history, on_days)
    got = set(bulk.iter_rows())
    expected = {
        (c.student_id, on, signal.code)
        for c in children
        for on in on_days
        for signal in care_signals_on(facts_on(c, on), on).fired
    }
    for code in {code for _, _, code in expected}:
        event(code)  # --hypothesis-show-statistics: every signal is exercised
    assert got == expected


def test_every_signal_is_replayed():
    """A child with every signal on one day: the bulk form knows every rule."""
    on = d("2025-03-03")
    sick_days = [d("2025-01-06"), d("2025-01-20"), d("2025-02-03")]
    school_days = [SchoolDay(day, 0.0, 5.0) for day in sick_days]
    # a day at school after each sick day: three spells, not one
    school_days += [SchoolDay(day + dt.timedelta(days=1), 0.0, 0.0) for day in sick_days]
    school_days += [SchoolDay(d("2025-02-24"), 5.0, 0.0), SchoolDay(d("2025-02-25"), 5.0, 0.0)]
    facts = ChildFacts(
        school_days=tuple(sorted(school_days, key=lambda s: s.day)),
        enrolments=(
            EnrolmentSpan("A", "A", d("2023-08-20"), d("2024-11-29")),
            EnrolmentSpan("B", "B", d("2024-12-02"), None),
        ),
        episodes=(ThuiszitterEpisode("lrv", d("2024-02-01"), d("2024-04-01")),),
        waiting_lists=(WaitingList(d("2025-01-01"), None),),
        meldingen=(MeldingFact("16 uur", d("2025-01-10"), True),),
    )
    history = history_from_facts([ChildHistory("K", facts, (None,))])
    bulk = signals_on_days(history, [on])
    assert bulk["code"].to_list() == list(SIGNAL_CODES)
    assert {s.code for s in care_signals_on(facts, on).fired} == set(SIGNAL_CODES)


def test_nothing_when_the_history_is_empty():
    history = history_from_facts([])
    assert signals_on_days(history, [d("2025-03-03")]).height == 0
    assert signals_on_days(history, [d("2025-03-03")]).schema == pl.Schema(
        {"student_id": pl.String, "on": pl.Date, "code": pl.String}
    )


# -- from a data set: the same facts as the child's page reads -------------------------------------


def _facts_as_the_childs_page_reads_them(record, schools, calendar, on) -> ChildFacts:
    """One child's facts the way ``prevention.care_signals.child_facts`` gathers them: every
    counted school day (``absence.school_days``), the enrolments, the thuiszitter episodes."""
    from inbeeld.rules.absence import school_days
    from inbeeld.rules.duty import duty_period, home_region
    from inbeeld.rules.episodes import episodes_of_student

    student = record.student
    starts = [e.start for e in record.enrolments] + [a.start for a in record.absences]
    first = max(min(starts, default=on), on - dt.timedelta(days=900))
    days = school_days(
        enrolments=record.enrolments,
        absences=record.absences,
        schools=schools,
        calendar=calendar,
        duty=duty_period(student, record.enrolments, schools, calendar),
        region=home_region(student, record.enrolments, schools),
        first=first,
        last=on,
        birth_date=student.birth_date,
    )
    return ChildFacts(
        school_days=tuple(SchoolDay(x.day, x.unexcused, x.sick) for x in days if x.counted),
        enrolments=tuple(
            EnrolmentSpan(e.brin, e.brin, e.start, e.end)
            for e in sorted(record.enrolments, key=lambda e: (e.start, e.line))
            if e.start <= on
        ),
        episodes=tuple(
            ThuiszitterEpisode(e.category, e.start, e.end)
            for e in episodes_of_student(record, schools, calendar, on)
        ),
    )


@pytest.mark.parametrize("seed", [3, 11])
def test_a_data_set_gives_what_the_plain_rules_give(seed):
    """From a random data set: the bulk history (the engine's day table of every child, the
    bulk episodes) fires what the plain rules fire on the facts the child's page reads."""
    from inbeeld.rules.engine import calendar_for
    from inbeeld.rules.signal_replay import history_from_dataset
    from inbeeld.rules.tests.random_data import random_dataset

    on = dt.date(2025, 6, 20)
    dataset = random_dataset(seed, students=40, on=on)
    calendar = calendar_for(dataset)
    days = [on - dt.timedelta(days=n) for n in (0, 17, 45, 100, 160, 230, 300)]
    bulk = signals_on_days(history_from_dataset(dataset, on, calendar=calendar), days)
    schools = dataset.schools_by_brin()
    expected = set()
    for record in dataset.student_records():
        facts = _facts_as_the_childs_page_reads_them(record, schools, calendar, on)
        for day in days:
            expected |= {
                (record.student.student_id, day, s.code) for s in care_signals_on(facts, day).fired
            }
    assert set(bulk.iter_rows()) == expected
    # every signal an exchange directory can show fires somewhere
    assert {code for _, _, code in expected} == set(EXCHANGE_SIGNALS)
