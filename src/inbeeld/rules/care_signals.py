"""Zorgsignalen (care signals, issue 12 §3) of one child: plain rules that say a child may be on
its way to staying home, before it does, each with a Dutch sentence that says what was seen, so
anyone can check why it fired.

The conditions and their thresholds are written once, in :mod:`inbeeld.rules.signal_replay`
(:class:`~inbeeld.rules.signal_replay.CareSignalThresholds`; each condition's docstring gives the
law or agreement it serves: the Thuiszitterspact, the Leerplichtwet 1969 art. 16, 21, 21a, 22,
the MAZL method of the NCJ). This module turns one child's data (:class:`ChildFacts`) into that
module's history and runs them on one day; the sentence is made of what the condition saw. A
signal decides nothing: it proposes a child to people who decide.

What the rules never use: nationality, origin, religion, gender or family income. The inputs
below have no such fields; a test asserts it (``rules/tests/test_care_signals.py``).

The rules know nothing of Django; ``inbeeld.prevention.care_signals`` gathers one child's data
(only for a child the actor may see) and calls :func:`care_signals_on`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from inbeeld.rules.calendar import date_text_nl
from inbeeld.rules.signal_replay import (
    EARLIER_THUISZITTER,
    HISTORY_SCHEMAS,
    MELDING_UNHANDLED,
    RISING_UNEXCUSED,
    SCHOOL_CHANGE,
    SHORT_SICK_SPELLS,
    SIGNAL_CODES,
    THRESHOLDS,
    WAITING_LIST,
    CareSignalThresholds,
    SignalHistory,
    signal_details,
)

# -- inputs: what the rules may see of one child -----------------------------------------------


@dataclass(frozen=True)
class SchoolDay:
    """One counted school day of the child (enrolled, under duty) with its absent hours."""

    day: dt.date
    unexcused_hours: float
    sick_hours: float


@dataclass(frozen=True)
class EnrolmentSpan:
    """An enrolment: the school (its key and name) and its dates (``end`` None: open)."""

    school_key: str
    school_name: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class ThuiszitterEpisode:
    """A stretch the child was a thuiszitter (absoluut or langdurig relatief verzuim)."""

    category_label: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class WaitingList:
    """A barrier of kind wachtlijst on the child's case; ``ended`` None while it is open."""

    since: dt.date
    ended: dt.date | None


@dataclass(frozen=True)
class MeldingFact:
    """A verzuimmelding: what it is about, when it arrived, and whether it is still "nieuw"
    (nobody took it in handling)."""

    rule_label: str
    arrived_on: dt.date
    still_new: bool


@dataclass(frozen=True)
class ChildFacts:
    """All the care signals read of one child. Deliberately no nationality, origin, religion,
    gender or family income: those are not asked for and cannot be passed."""

    #: the counted school days, in date order
    school_days: tuple[SchoolDay, ...] = ()
    enrolments: tuple[EnrolmentSpan, ...] = ()
    episodes: tuple[ThuiszitterEpisode, ...] = ()
    waiting_lists: tuple[WaitingList, ...] = ()
    meldingen: tuple[MeldingFact, ...] = ()


#: the input types, for the test that no forbidden field can be passed
INPUT_TYPES = (ChildFacts, SchoolDay, EnrolmentSpan, ThuiszitterEpisode, WaitingList, MeldingFact)


# -- output ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CareSignal:
    """A signal that fired: its code, its name and the sentence that says what was seen."""

    code: str
    name: str
    sentence: str


# -- texts -----------------------------------------------------------------------------------------


def date_text(day: dt.date) -> str:
    """``3 maart 2026``."""
    return date_text_nl(day)


def hours_text(hours: float) -> str:
    """``12``, ``2,5``: hours the Dutch way, without needless decimals."""
    rounded = round(hours, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}".replace(".", ",")


def weeks_between(first: dt.date, last: dt.date) -> int:
    """Whole weeks from ``first`` to ``last``."""
    return max(0, (last - first).days // 7)


# -- one child's facts as the signals' history ---------------------------------------------------

#: the key of the child in a history of one child
CHILD = "child"


def history_from_facts(children: Mapping[str, ChildFacts]) -> SignalHistory:
    """The :class:`~inbeeld.rules.signal_replay.SignalHistory` of children given as
    :class:`ChildFacts` by their key. The rows of each frame follow the order of the facts (a
    condition's ``row`` detail points back into them). A melding no longer "nieuw" counts as
    handled on the day it arrived: the facts do not say when, and it fires on no day after."""
    rows: dict[str, list[tuple]] = {name: [] for name in HISTORY_SCHEMAS}
    for sid, facts in children.items():
        for eff, day in enumerate(facts.school_days):
            if day.unexcused_hours > 0 or day.sick_hours > 0:
                rows["school_days"].append(
                    (sid, day.day, eff, float(day.unexcused_hours), float(day.sick_hours))
                )
        for order, e in enumerate(facts.enrolments):
            rows["enrolments"].append((sid, e.school_key, e.start, e.end, order))
        for episode in facts.episodes:
            rows["episodes"].append((sid, episode.start, episode.end))
        for w in facts.waiting_lists:
            rows["waiting_lists"].append((sid, w.since, w.ended))
        for m in facts.meldingen:
            rows["meldingen"].append((sid, m.arrived_on, None if m.still_new else m.arrived_on))
    frames = {
        name: pl.DataFrame(values, schema=HISTORY_SCHEMAS[name], orient="row")
        for name, values in rows.items()
    }
    return SignalHistory(
        school_days=frames["school_days"],
        enrolments=frames["enrolments"],
        episodes=frames["episodes"],
        waiting_lists=frames["waiting_lists"],
        meldingen=frames["meldingen"],
    )


# -- the rules -------------------------------------------------------------------------------------

NAMES = {
    RISING_UNEXCUSED: "Oplopend ongeoorloofd verzuim",
    SHORT_SICK_SPELLS: "Vaak kort ziek",
    SCHOOL_CHANGE: "Schoolwissel tijdens het schooljaar",
    EARLIER_THUISZITTER: "Eerder thuiszitter",
    WAITING_LIST: "Op een wachtlijst",
    MELDING_UNHANDLED: "Melding niet in behandeling",
}


@dataclass(frozen=True)
class Seen:
    """What a condition saw of a child on a day (``details``: a row of
    ``signal_replay.signal_details``), with the child's facts and the thresholds it used."""

    details: dict[str, Any]
    facts: ChildFacts
    on: dt.date
    t: CareSignalThresholds

    def __getitem__(self, name: str) -> Any:
        return self.details[name]


def _rising_unexcused_text(seen: Seen) -> str:
    weeks = seen.t.unexcused_window_weeks
    return (
        f"{hours_text(seen['recent'])} uur ongeoorloofd in de laatste {weeks} weken, "
        f"was {hours_text(seen['earlier'])} in de {weeks} weken daarvoor."
    )


def _short_sick_spells_text(seen: Seen) -> str:
    return (
        f"{seen['spells']} keer kort ziek gemeld in de laatste {seen.t.sick_window_weeks} weken "
        f"({seen['sick_days']} schooldagen, steeds korter dan {seen.t.sick_spell_max_days + 1} "
        f"dagen), eerste op {date_text(seen['first'])}."
    )


def _school_change_text(seen: Seen) -> str:
    before, after = seen.facts.enrolments[seen["previous_row"]], seen.facts.enrolments[seen["row"]]
    return (
        f"Van {before.school_name} naar {after.school_name} op {date_text(after.start)}, "
        "tijdens het schooljaar."
    )


def _earlier_thuiszitter_text(seen: Seen) -> str:
    last = seen.facts.episodes[seen["row"]]
    return (
        f"Eerder thuiszitter ({last.category_label}) van {date_text(last.start)} "
        f"tot {date_text(last.end or last.start)}."
    )


def _waiting_list_text(seen: Seen) -> str:
    weeks = weeks_between(seen["since"], seen.on)
    return (
        f"Op een wachtlijst sinds {date_text(seen['since'])} ({weeks} "
        f"{'week' if weeks == 1 else 'weken'})."
    )


def _melding_unhandled_text(seen: Seen) -> str:
    oldest = seen.facts.meldingen[seen["row"]]
    weeks = weeks_between(oldest.arrived_on, seen.on)
    more = f" (en nog {seen['late'] - 1} andere)" if seen["late"] > 1 else ""
    return (
        f"Melding {oldest.rule_label} van {date_text(oldest.arrived_on)} is na {weeks} weken "
        f"nog niet in behandeling genomen{more}."
    )


#: the sentence of each signal, made of what its condition saw
SENTENCES: dict[str, Callable[[Seen], str]] = {
    RISING_UNEXCUSED: _rising_unexcused_text,
    SHORT_SICK_SPELLS: _short_sick_spells_text,
    SCHOOL_CHANGE: _school_change_text,
    EARLIER_THUISZITTER: _earlier_thuiszitter_text,
    WAITING_LIST: _waiting_list_text,
    MELDING_UNHANDLED: _melding_unhandled_text,
}


def care_signals_in(
    history: SignalHistory,
    children: Mapping[str, ChildFacts],
    on: dt.date,
    thresholds: CareSignalThresholds = THRESHOLDS,
    codes: Sequence[str] = SIGNAL_CODES,
) -> dict[str, tuple[CareSignal, ...]]:
    """The signals (of ``codes``) that fire on ``on`` for the children of ``history``, each with
    its sentence, by the child's key: one run of the conditions for all of them. ``children``
    holds each child's facts for the words (the names of schools, episodes and meldingen), in the
    order of the history's rows (:func:`history_from_facts` keeps it); a child that fires nothing
    has no entry."""
    fired: dict[str, list[CareSignal]] = {}
    for code, frame in signal_details(history, [on], thresholds, codes).items():
        for seen in frame.iter_rows(named=True):
            facts = children[seen["student_id"]]
            sentence = SENTENCES[code](Seen(seen, facts, on, thresholds))
            fired.setdefault(seen["student_id"], []).append(CareSignal(code, NAMES[code], sentence))
    return {child: tuple(signals) for child, signals in fired.items()}


def _evaluate(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds, codes: tuple[str, ...]
) -> tuple[CareSignal, ...]:
    """The signals of ``codes`` that fire for one child on ``on``, with their sentences."""
    history = history_from_facts({CHILD: facts})
    return care_signals_in(history, {CHILD: facts}, on, t, codes).get(CHILD, ())


def _one(code: str, facts: ChildFacts, on: dt.date, t: CareSignalThresholds) -> CareSignal | None:
    fired = _evaluate(facts, on, t, (code,))
    return fired[0] if fired else None


def rising_unexcused(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """Unexcused hours rise (``signal_replay._rising_unexcused``; LPW art. 21a)."""
    return _one(RISING_UNEXCUSED, facts, on, t)


def short_sick_spells(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """Often ill for a short while (``signal_replay._short_sick_spells``; MAZL, NCJ)."""
    return _one(SHORT_SICK_SPELLS, facts, on, t)


def school_change(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """A change of school during the school year (``signal_replay._school_change``;
    Thuiszitterspact)."""
    return _one(SCHOOL_CHANGE, facts, on, t)


def earlier_thuiszitter(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """An earlier thuiszitter episode (``signal_replay._earlier_thuiszitter``;
    Thuiszitterspact)."""
    return _one(EARLIER_THUISZITTER, facts, on, t)


def open_waiting_list(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """An open waiting list (``signal_replay._open_waiting_list``; Thuiszitterspact)."""
    return _one(WAITING_LIST, facts, on, t)


def melding_unhandled(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """A melding still "nieuw" after 4 weeks (``signal_replay._melding_unhandled``; LPW art. 21,
    22)."""
    return _one(MELDING_UNHANDLED, facts, on, t)


Rule = Callable[[ChildFacts, dt.date, CareSignalThresholds], CareSignal | None]

#: every care signal, in the order the child's page shows them (``signal_replay.SIGNAL_CODES``)
RULES: tuple[Rule, ...] = (
    rising_unexcused,
    short_sick_spells,
    school_change,
    earlier_thuiszitter,
    open_waiting_list,
    melding_unhandled,
)


@dataclass(frozen=True)
class Evaluation:
    """The signals that fired for one child on one day."""

    on: dt.date
    fired: tuple[CareSignal, ...] = field(default_factory=tuple)


def care_signals_on(
    facts: ChildFacts, on: dt.date, thresholds: CareSignalThresholds = THRESHOLDS
) -> Evaluation:
    """Every care signal of one child as of ``on`` (only data up to ``on`` counts)."""
    return Evaluation(on=on, fired=_evaluate(facts, on, thresholds, SIGNAL_CODES))


__all__ = [
    "EARLIER_THUISZITTER",
    "MELDING_UNHANDLED",
    "NAMES",
    "RISING_UNEXCUSED",
    "RULES",
    "SCHOOL_CHANGE",
    "SHORT_SICK_SPELLS",
    "THRESHOLDS",
    "WAITING_LIST",
    "CareSignal",
    "CareSignalThresholds",
    "ChildFacts",
    "EnrolmentSpan",
    "Evaluation",
    "MeldingFact",
    "SchoolDay",
    "ThuiszitterEpisode",
    "WaitingList",
    "care_signals_in",
    "care_signals_on",
    "history_from_facts",
]
