"""Care signals (zorgsignalen, issue 12 §3): each rule on frozen dates, just firing and just not,
with the sentence it says; the thresholds in one place; no forbidden inputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import pytest

from inbeeld.rules import care_signals as cs
from inbeeld.rules import signal_replay
from inbeeld.rules.care_signals import (
    THRESHOLDS,
    CareSignalThresholds,
    ChildFacts,
    EnrolmentSpan,
    MeldingFact,
    SchoolDay,
    ThuiszitterEpisode,
    WaitingList,
    care_signals_on,
)

ON = dt.date(2026, 3, 13)  # a Friday


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def school_days(
    unexcused: dict[dt.date, float] | None = None, sick: set[dt.date] | None = None
) -> tuple[SchoolDay, ...]:
    unexcused, sick = unexcused or {}, sick or set()
    return tuple(
        SchoolDay(d, unexcused.get(d, 0.0), 6.0 if d in sick else 0.0)
        for d in weekdays(ON - dt.timedelta(weeks=14), ON)
    )


# -- rising unexcused hours ------------------------------------------------------------------------


def test_rising_unexcused_fires_with_the_sentence():
    # 12 hours in the last 3 weeks (16 Feb … 13 Mar exclusive of 20 Feb), 2 in the 3 before
    facts = ChildFacts(
        school_days=school_days(
            {dt.date(2026, 3, 2): 6, dt.date(2026, 3, 12): 6, dt.date(2026, 2, 10): 2}
        )
    )
    signal = cs.rising_unexcused(facts, ON)
    assert signal is not None
    assert signal.code == "oplopend_ongeoorloofd"
    assert signal.name == "Oplopend ongeoorloofd verzuim"
    assert signal.sentence == (
        "12 uur ongeoorloofd in de laatste 3 weken, was 2 in de 3 weken daarvoor."
    )


def test_rising_unexcused_window_edges():
    # the recent window is (ON - 21 days, ON]: Friday 20 Feb is outside, Monday 23 Feb inside
    inside = dt.date(2026, 2, 23)
    outside = dt.date(2026, 2, 20)
    fired = cs.rising_unexcused(ChildFacts(school_days=school_days({inside: 8})), ON)
    assert fired is not None
    assert fired.sentence.startswith("8 uur ongeoorloofd")
    assert cs.rising_unexcused(ChildFacts(school_days=school_days({outside: 8})), ON) is None
    # a day after ON does not count
    later = cs.rising_unexcused(
        ChildFacts(school_days=school_days({inside: 8})), inside - dt.timedelta(days=1)
    )
    assert later is None


def test_rising_unexcused_needs_the_minimum_hours():
    just_below = ChildFacts(school_days=school_days({dt.date(2026, 3, 2): 7.5}))
    assert cs.rising_unexcused(just_below, ON) is None
    at = ChildFacts(school_days=school_days({dt.date(2026, 3, 2): 8}))
    assert cs.rising_unexcused(at, ON) is not None


def test_rising_unexcused_needs_a_rise():
    # 8 now and 4 before: exactly twice → fires; 8 now and 4.5 before → no rise enough
    now = {dt.date(2026, 3, 2): 8.0}
    twice = ChildFacts(school_days=school_days({**now, dt.date(2026, 2, 10): 4.0}))
    assert cs.rising_unexcused(twice, ON) is not None
    not_twice = ChildFacts(school_days=school_days({**now, dt.date(2026, 2, 10): 4.5}))
    assert cs.rising_unexcused(not_twice, ON) is None


# -- short sick spells -----------------------------------------------------------------------------


def spell(first: dt.date, n: int) -> set[dt.date]:
    return set(weekdays(first, first + dt.timedelta(days=20))[:n])


def test_short_sick_spells_fire_at_three_with_the_sentence():
    sick = (
        spell(dt.date(2026, 1, 12), 2)
        | spell(dt.date(2026, 2, 2), 1)
        | spell(dt.date(2026, 3, 9), 3)
    )
    signal = cs.short_sick_spells(ChildFacts(school_days=school_days(sick=sick)), ON)
    assert signal is not None
    assert signal.sentence == (
        "3 keer kort ziek gemeld in de laatste 12 weken (6 schooldagen, steeds korter dan 7 "
        "dagen), eerste op 12 januari 2026."
    )


def test_short_sick_spells_two_do_not_fire():
    sick = spell(dt.date(2026, 2, 2), 1) | spell(dt.date(2026, 3, 9), 3)
    assert cs.short_sick_spells(ChildFacts(school_days=school_days(sick=sick)), ON) is None


def test_short_sick_spells_window_edge():
    # the window is (ON - 12 weeks, ON]: a spell starting on ON - 12 weeks is out
    edge = ON - dt.timedelta(weeks=12)  # Friday 19 December 2025
    rest = spell(dt.date(2026, 2, 2), 1) | spell(dt.date(2026, 3, 9), 1)
    out = ChildFacts(school_days=school_days(sick=rest | {edge}))
    assert cs.short_sick_spells(out, ON) is None
    inside = ChildFacts(school_days=school_days(sick=rest | {edge + dt.timedelta(days=3)}))
    assert cs.short_sick_spells(inside, ON) is not None


def test_a_long_spell_is_not_short():
    # 7 school days in a row is the MAZL melding, not this signal
    sick = (
        spell(dt.date(2026, 1, 12), 7)
        | spell(dt.date(2026, 2, 2), 1)
        | spell(dt.date(2026, 3, 9), 1)
    )
    assert cs.short_sick_spells(ChildFacts(school_days=school_days(sick=sick)), ON) is None
    sick6 = (
        spell(dt.date(2026, 1, 12), 6)
        | spell(dt.date(2026, 2, 2), 1)
        | spell(dt.date(2026, 3, 9), 1)
    )
    assert cs.short_sick_spells(ChildFacts(school_days=school_days(sick=sick6)), ON) is not None


# -- school change ---------------------------------------------------------------------------------


def enrolments(change_on: dt.date, *, same: bool = False) -> tuple[EnrolmentSpan, ...]:
    return (
        EnrolmentSpan("1", "De Regenboog", dt.date(2022, 8, 1), change_on - dt.timedelta(days=1)),
        EnrolmentSpan(
            "1" if same else "2", "De Regenboog" if same else "Het Baken", change_on, None
        ),
    )


def test_school_change_during_the_year_fires_with_the_sentence():
    signal = cs.school_change(ChildFacts(enrolments=enrolments(dt.date(2026, 1, 12))), ON)
    assert signal is not None
    assert signal.sentence == (
        "Van De Regenboog naar Het Baken op 12 januari 2026, tijdens het schooljaar."
    )


def test_school_change_edges():
    grace_end = dt.date(2025, 8, 1) + dt.timedelta(days=THRESHOLDS.school_change_grace_days)
    assert cs.school_change(ChildFacts(enrolments=enrolments(grace_end)), ON) is not None
    before = grace_end - dt.timedelta(days=1)
    assert cs.school_change(ChildFacts(enrolments=enrolments(before)), ON) is None
    # a change last school year, after ON, or to the same school: nothing
    assert cs.school_change(ChildFacts(enrolments=enrolments(dt.date(2025, 3, 1))), ON) is None
    assert (
        cs.school_change(ChildFacts(enrolments=enrolments(ON + dt.timedelta(days=1))), ON) is None
    )
    assert cs.school_change(ChildFacts(enrolments=enrolments(ON)), ON) is not None
    assert (
        cs.school_change(ChildFacts(enrolments=enrolments(dt.date(2026, 1, 12), same=True)), ON)
        is None
    )
    # a first enrolment is no change
    only = (EnrolmentSpan("2", "Het Baken", dt.date(2026, 1, 12), None),)
    assert cs.school_change(ChildFacts(enrolments=only), ON) is None


# -- earlier thuiszitter ---------------------------------------------------------------------------


def test_earlier_thuiszitter_fires_with_the_sentence():
    episode = ThuiszitterEpisode("absoluut verzuim", dt.date(2025, 2, 3), dt.date(2025, 5, 30))
    signal = cs.earlier_thuiszitter(ChildFacts(episodes=(episode,)), ON)
    assert signal is not None
    assert signal.sentence == (
        "Eerder thuiszitter (absoluut verzuim) van 3 februari 2025 tot 30 mei 2025."
    )


def test_earlier_thuiszitter_edges():
    lookback = ON - dt.timedelta(days=THRESHOLDS.earlier_episode_lookback_days)

    def ended(day: dt.date | None) -> ChildFacts:
        return ChildFacts(
            episodes=(ThuiszitterEpisode("absoluut verzuim", dt.date(2020, 1, 6), day),)
        )

    assert cs.earlier_thuiszitter(ended(lookback), ON) is not None
    assert cs.earlier_thuiszitter(ended(lookback - dt.timedelta(days=1)), ON) is None
    # still at home (no end) is no *earlier* episode; one ending on ON itself neither
    assert cs.earlier_thuiszitter(ended(None), ON) is None
    assert cs.earlier_thuiszitter(ended(ON), ON) is None


# -- waiting list ----------------------------------------------------------------------------------


def test_open_waiting_list_fires_with_the_sentence():
    signal = cs.open_waiting_list(
        ChildFacts(waiting_lists=(WaitingList(dt.date(2025, 12, 5), None),)), ON
    )
    assert signal is not None
    assert signal.sentence == "Op een wachtlijst sinds 5 december 2025 (14 weken)."


def test_open_waiting_list_edges():
    one_week = ChildFacts(waiting_lists=(WaitingList(ON - dt.timedelta(days=7), None),))
    assert cs.open_waiting_list(one_week, ON).sentence.endswith("(1 week).")
    ended = ChildFacts(waiting_lists=(WaitingList(dt.date(2025, 12, 5), ON),))
    assert cs.open_waiting_list(ended, ON) is None
    ends_later = ChildFacts(
        waiting_lists=(WaitingList(dt.date(2025, 12, 5), ON + dt.timedelta(days=1)),)
    )
    assert cs.open_waiting_list(ends_later, ON) is not None
    future = ChildFacts(waiting_lists=(WaitingList(ON + dt.timedelta(days=1), None),))
    assert cs.open_waiting_list(future, ON) is None


# -- melding not handled ---------------------------------------------------------------------------


def test_melding_unhandled_fires_at_four_weeks_with_the_sentence():
    arrived = ON - dt.timedelta(days=28)
    facts = ChildFacts(
        meldingen=(MeldingFact("16 uur ongeoorloofd verzuim in 4 lesweken", arrived, True),)
    )
    signal = cs.melding_unhandled(facts, ON)
    assert signal is not None
    assert signal.sentence == (
        "Melding 16 uur ongeoorloofd verzuim in 4 lesweken van 13 februari 2026 is na 4 weken "
        "nog niet in behandeling genomen."
    )


def test_melding_unhandled_edges():
    day_short = ChildFacts(meldingen=(MeldingFact("x", ON - dt.timedelta(days=27), True),))
    assert cs.melding_unhandled(day_short, ON) is None
    handled = ChildFacts(meldingen=(MeldingFact("x", ON - dt.timedelta(days=60), False),))
    assert cs.melding_unhandled(handled, ON) is None
    two = ChildFacts(
        meldingen=(
            MeldingFact("a", ON - dt.timedelta(days=40), True),
            MeldingFact("b", ON - dt.timedelta(days=30), True),
        )
    )
    assert cs.melding_unhandled(two, ON).sentence.endswith("(en nog 1 andere).")


# -- all together; thresholds; no forbidden inputs -------------------------------------------------


def test_nothing_fires_for_a_child_without_data():
    assert care_signals_on(ChildFacts(), ON).fired == ()


def test_all_fire_in_order():
    facts = ChildFacts(
        school_days=school_days(
            {dt.date(2026, 3, 2): 12},
            sick=spell(dt.date(2026, 1, 12), 1)
            | spell(dt.date(2026, 2, 2), 1)
            | spell(dt.date(2026, 3, 9), 1),
        ),
        enrolments=enrolments(dt.date(2026, 1, 12)),
        episodes=(
            ThuiszitterEpisode("absoluut verzuim", dt.date(2025, 2, 3), dt.date(2025, 5, 30)),
        ),
        waiting_lists=(WaitingList(dt.date(2025, 12, 5), None),),
        meldingen=(MeldingFact("x", dt.date(2026, 1, 5), True),),
    )
    codes = [s.code for s in care_signals_on(facts, ON).fired]
    assert codes == [
        "oplopend_ongeoorloofd",
        "kort_ziek_vaak",
        "schoolwissel",
        "eerder_thuiszitter",
        "wachtlijst",
        "melding_onbehandeld",
    ]
    assert set(codes) == set(cs.NAMES)


def test_thresholds_live_in_one_place():
    # every rule takes the thresholds object, and changing it changes the outcome
    for rule in cs.RULES:
        assert list(inspect.signature(rule).parameters) == ["facts", "on", "t"]
        assert inspect.signature(rule).parameters["t"].default is THRESHOLDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        THRESHOLDS.unexcused_min_hours = 1  # type: ignore[misc]
    facts = ChildFacts(school_days=school_days({dt.date(2026, 3, 2): 4}))
    assert cs.rising_unexcused(facts, ON) is None
    lower = CareSignalThresholds(unexcused_min_hours=4)
    assert care_signals_on(facts, ON, lower).fired[0].code == "oplopend_ongeoorloofd"
    lenient = CareSignalThresholds(melding_unhandled_days=10)
    facts = ChildFacts(meldingen=(MeldingFact("x", ON - dt.timedelta(days=10), True),))
    assert care_signals_on(facts, ON).fired == ()
    assert care_signals_on(facts, ON, lenient).fired[0].code == "melding_onbehandeld"


def test_the_rule_numbers_are_not_written_elsewhere():
    # the conditions (signal_replay) and the sentences (care_signals) read each number from the
    # thresholds, not from a literal of their own
    for module, start in ((cs, "# -- the rules"), (signal_replay, "# -- the signals")):
        source = inspect.getsource(module)
        body = source[source.index(start) :]
        for name in ("28", "2.0", "45", "12 weken", "3 weken", "730"):
            assert name not in body, (module.__name__, name)


FORBIDDEN = (
    "nation",
    "origin",
    "herkomst",
    "religi",
    "geloof",
    "gender",
    "sex",
    "geslacht",
    "income",
    "inkomen",
    "birth_country",
    "ethnic",
)


def test_inputs_hold_no_forbidden_fields():
    for kind in cs.INPUT_TYPES:
        for f in dataclasses.fields(kind):
            assert not any(word in f.name.lower() for word in FORBIDDEN), (kind, f.name)
    for rule in (*cs.RULES, care_signals_on):
        for name in inspect.signature(rule).parameters:
            assert not any(word in name.lower() for word in FORBIDDEN), (rule, name)
    # nor the frames the conditions read
    for frame, schema in signal_replay.HISTORY_SCHEMAS.items():
        for column in schema:
            assert not any(word in column.lower() for word in FORBIDDEN), (frame, column)
