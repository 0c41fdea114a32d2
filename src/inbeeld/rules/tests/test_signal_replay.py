"""The care signals over a whole history (rules/signal_replay.py, their one definition): children
and reference days do not mix, each signal fires on exactly the days of its condition, what each
saw, and a data set's history against one child's facts (issue 12 §3, §4). The thresholds of each
signal, just firing and just not, are in ``test_care_signals.py`` (through the child's API, which
runs these same conditions)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from inbeeld.rules.care_signals import (
    ChildFacts,
    EnrolmentSpan,
    MeldingFact,
    SchoolDay,
    ThuiszitterEpisode,
    WaitingList,
    care_signals_on,
    history_from_facts,
)
from inbeeld.rules.signal_replay import (
    EXCHANGE_SIGNALS,
    HISTORY_SCHEMAS,
    MELDING_UNHANDLED,
    SCHOOL_CHANGE,
    SHORT_SICK_SPELLS,
    SIGNAL_CODES,
    THRESHOLDS,
    SignalHistory,
    signal_details,
    signals_on_days,
)
from inbeeld.rules.tests.builders import d


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
    bulk = signals_on_days(history_from_facts({"K": facts}), [on])
    assert bulk["code"].to_list() == list(SIGNAL_CODES)
    assert bulk["student_id"].unique().to_list() == ["K"]
    assert [s.code for s in care_signals_on(facts, on).fired] == list(SIGNAL_CODES)


def test_nothing_when_the_history_is_empty():
    history = history_from_facts({})
    assert signals_on_days(history, [d("2025-03-03")]).height == 0
    assert signals_on_days(history, [d("2025-03-03")]).schema == pl.Schema(
        {"student_id": pl.String, "on": pl.Date, "code": pl.String}
    )


def test_children_and_days_do_not_mix():
    """A change of school fires from its start to the end of its school year (31 July), for
    that child only; the other child's earlier school is no change of the first's."""
    moved = ChildFacts(
        enrolments=(
            EnrolmentSpan("A", "A", d("2022-08-20"), d("2025-01-10")),
            EnrolmentSpan("B", "B", d("2025-01-13"), None),
        )
    )
    stayed = ChildFacts(enrolments=(EnrolmentSpan("C", "C", d("2025-01-13"), None),))
    history = history_from_facts({"moved": moved, "stayed": stayed})
    days = [d("2025-01-10"), d("2025-01-13"), d("2025-07-31"), d("2025-08-01")]
    flags = signals_on_days(history, days)
    assert flags.rows() == [
        ("moved", d("2025-01-13"), SCHOOL_CHANGE),
        ("moved", d("2025-07-31"), SCHOOL_CHANGE),
    ]


def test_a_melding_fires_from_four_weeks_until_the_day_before_it_is_handled():
    arrived, handled = d("2025-01-10"), d("2025-03-03")
    history = SignalHistory(
        school_days=pl.DataFrame(schema=HISTORY_SCHEMAS["school_days"]),
        enrolments=pl.DataFrame(schema=HISTORY_SCHEMAS["enrolments"]),
        episodes=pl.DataFrame(schema=HISTORY_SCHEMAS["episodes"]),
        waiting_lists=pl.DataFrame(schema=HISTORY_SCHEMAS["waiting_lists"]),
        meldingen=pl.DataFrame(
            [("K", arrived, handled), ("K", arrived + dt.timedelta(days=3), None)],
            schema=HISTORY_SCHEMAS["meldingen"],
            orient="row",
        ),
    )
    weeks = dt.timedelta(days=THRESHOLDS.melding_unhandled_days)
    days = [arrived + weeks - dt.timedelta(days=1), arrived + weeks, handled, handled]
    days += [handled - dt.timedelta(days=1), arrived + weeks + dt.timedelta(days=3)]
    details = signal_details(history, days, codes=[MELDING_UNHANDLED])[MELDING_UNHANDLED]
    assert details.select("on", "row", "late").rows() == [
        (arrived + weeks, 0, 1),
        (arrived + weeks + dt.timedelta(days=3), 0, 2),
        (handled - dt.timedelta(days=1), 0, 2),
        # handled: only the later one is left
        (handled, 1, 1),
    ]


def spells_on(*spells: tuple[str, int]) -> ChildFacts:
    """School days on every weekday from 1 September 2025, sick on the ``n`` school days of each
    spell from its first day."""
    sick: set[dt.date] = set()
    for first, n in spells:
        day = d(first)
        while n:
            if day.weekday() < 5:
                sick.add(day)
                n -= 1
            day += dt.timedelta(days=1)
    days, day = [], d("2025-09-01")
    while day <= d("2026-03-31"):
        if day.weekday() < 5:
            days.append(SchoolDay(day, 0.0, 6.0 if day in sick else 0.0))
        day += dt.timedelta(days=1)
    return ChildFacts(school_days=tuple(days))


def test_a_spell_counts_by_its_days_up_to_the_day():
    """On a Friday a spell of six school days (Monday to Monday) is short; on the Tuesday after,
    its seventh day, it is not, and two short ones are too few."""
    facts = spells_on(("2026-01-12", 1), ("2026-02-02", 1), ("2026-03-02", 7))
    history = history_from_facts({"K": facts})
    on_monday, on_tuesday = d("2026-03-09"), d("2026-03-10")
    details = signal_details(history, [on_monday, on_tuesday], codes=[SHORT_SICK_SPELLS])
    assert details[SHORT_SICK_SPELLS].select("on", "spells", "sick_days", "first").rows() == [
        (on_monday, 3, 8, d("2026-01-12"))
    ]


def test_a_vacation_does_not_break_a_spell():
    """Sick on the Friday before the Christmas holidays and the Monday after: consecutive school
    days, one spell (RULES.md §4), so with one more short spell there are two, too few. The same
    days with school in between are two spells, and three fire."""
    sick = {d("2025-12-19"), d("2026-01-05"), d("2026-02-02")}

    def facts(vacation: bool) -> ChildFacts:
        return ChildFacts(
            school_days=tuple(
                SchoolDay(s.day, 0.0, 6.0 if s.day in sick else 0.0)
                for s in spells_on().school_days
                if not (vacation and d("2025-12-22") <= s.day <= d("2026-01-02"))
            )
        )

    on = d("2026-02-06")
    assert signals_on_days(history_from_facts({"K": facts(vacation=True)}), [on]).height == 0
    assert signals_on_days(history_from_facts({"K": facts(vacation=False)}), [on]).rows() == [
        ("K", on, SHORT_SICK_SPELLS)
    ]


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
def test_a_data_set_gives_what_the_childs_facts_give(seed):
    """From a random data set: the history of the whole data set (the engine's day table of every
    child, the bulk episodes) fires what one child's facts fire, gathered the way the child's page
    gathers them (the per-child school days of ``rules.absence``)."""
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
