"""Zorgsignalen (care signals, issue 12 §3): plain rules that say a child may be on its way to
staying home, before it does. Each rule is a small pure function over data Inbeeld already has,
with its thresholds in one place (:class:`CareSignalThresholds`) and a Dutch sentence that says
what was seen, so anyone can check why it fired.

Why: the Thuiszitterspact (2016) and its successor agreements ask that children at risk of
dropping out are seen early, by a team around the school, "zodra het kind thuis zit ben je
eigenlijk al te laat". The Leerplichtwet 1969 gives the leerplichtambtenaar the task to supervise
attendance (art. 16, 21, 21a) and the school the duty to report unexcused absence; the MAZL method
(Medische Advisering van de Ziekgemelde Leerling, NCJ) asks for early attention to frequent and
long sick reports. A signal decides nothing: it proposes a child to people who decide.

What the rules never use: nationality, origin, religion, gender or family income. The inputs
below have no such fields; a test asserts it (``rules/tests/test_care_signals.py``).

The rules know nothing of Django; ``inbeeld.prevention.care_signals`` gathers one child's data
(only for a child the actor may see) and calls :func:`care_signals_on`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from inbeeld.rules import choices
from inbeeld.rules.calendar import date_text_nl


@dataclass(frozen=True)
class CareSignalThresholds:
    """Every number the care signals use, in one place. Change one here and the rules, their
    sentences and docs/algoritmeregister.md follow it (the register cites these names)."""

    #: rising unexcused hours: the recent window, in calendar weeks, ending on the day itself
    unexcused_window_weeks: int = 3
    #: … at least this many unexcused hours in the recent window (half the 16 hours of the
    #: Leerplichtwet melding, art. 21a: the signal comes before the melding is due)
    unexcused_min_hours: float = choices.HOURS_16_THRESHOLD / 2
    #: … and at least this many times the hours of the window of the same length before it
    unexcused_rise_factor: float = 2.0
    #: short sick spells: the window, in calendar weeks (MAZL counts in 12 lesweken)
    sick_window_weeks: int = choices.MAZL_WINDOW_LESWEKEN
    #: … this many spells or more started in the window (one fewer than the MAZL melding's 4)
    sick_spells: int = choices.MAZL_SPELLS - 1
    #: … each of at most this many school days (shorter than the MAZL 7-day spell)
    sick_spell_max_days: int = choices.MAZL_SPELL_DAY - 1
    #: school change: days after 1 August before a new school counts as "during the school year"
    #: (the summer holidays of every region end by then: a start after the summer is no change
    #: during the year)
    school_change_grace_days: int = 45
    #: earlier thuiszitter episode: one that ended at most this many days before the day
    earlier_episode_lookback_days: int = 2 * 365
    #: melding not handled: still "nieuw" this many days after it arrived (4 weeks)
    melding_unhandled_days: int = 28


#: the thresholds in use
THRESHOLDS = CareSignalThresholds()


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


# -- the rules -------------------------------------------------------------------------------------

RISING_UNEXCUSED = "oplopend_ongeoorloofd"
SHORT_SICK_SPELLS = "kort_ziek_vaak"
SCHOOL_CHANGE = "schoolwissel"
EARLIER_THUISZITTER = "eerder_thuiszitter"
WAITING_LIST = "wachtlijst"
MELDING_UNHANDLED = "melding_onbehandeld"

NAMES = {
    RISING_UNEXCUSED: "Oplopend ongeoorloofd verzuim",
    SHORT_SICK_SPELLS: "Vaak kort ziek",
    SCHOOL_CHANGE: "Schoolwissel tijdens het schooljaar",
    EARLIER_THUISZITTER: "Eerder thuiszitter",
    WAITING_LIST: "Op een wachtlijst",
    MELDING_UNHANDLED: "Melding niet in behandeling",
}


def _signal(code: str, sentence: str) -> CareSignal:
    return CareSignal(code=code, name=NAMES[code], sentence=sentence)


def rising_unexcused(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """Unexcused hours rise: in the last ``unexcused_window_weeks`` (up to and including ``on``)
    at least ``unexcused_min_hours``, and at least ``unexcused_rise_factor`` times those of the
    window before. Why: absence that grows is the first sign the pacts ask schools to act on,
    before the 16 hours of a melding (LPW art. 21a) are reached."""
    span = dt.timedelta(weeks=t.unexcused_window_weeks)
    recent_from, earlier_from = on - span, on - 2 * span
    recent = sum(d.unexcused_hours for d in facts.school_days if recent_from < d.day <= on)
    earlier = sum(
        d.unexcused_hours for d in facts.school_days if earlier_from < d.day <= recent_from
    )
    if recent < t.unexcused_min_hours or recent < t.unexcused_rise_factor * earlier:
        return None
    weeks = t.unexcused_window_weeks
    return _signal(
        RISING_UNEXCUSED,
        f"{hours_text(recent)} uur ongeoorloofd in de laatste {weeks} weken, "
        f"was {hours_text(earlier)} in de {weeks} weken daarvoor.",
    )


def sick_spells(days: Sequence[SchoolDay]) -> list[list[dt.date]]:
    """The sick spells: runs of consecutive counted school days with sick hours."""
    spells: list[list[dt.date]] = []
    previous_sick = False
    for d in days:
        if d.sick_hours > 0:
            if previous_sick:
                spells[-1].append(d.day)
            else:
                spells.append([d.day])
        previous_sick = d.sick_hours > 0
    return spells


def short_sick_spells(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """Often ill for a short while: ``sick_spells`` or more sick spells of at most
    ``sick_spell_max_days`` school days, started in the last ``sick_window_weeks``. Why: the MAZL
    method asks for the jeugdarts at 4 spells in 12 lesweken or 7 days in a row; a pattern just
    below that is worth a talk with the child and the parents before it becomes one."""
    window_from = on - dt.timedelta(weeks=t.sick_window_weeks)
    days = [d for d in facts.school_days if d.day <= on]
    short = [
        spell
        for spell in sick_spells(days)
        if window_from < spell[0] <= on and len(spell) <= t.sick_spell_max_days
    ]
    if len(short) < t.sick_spells:
        return None
    sick_days = sum(len(spell) for spell in short)
    return _signal(
        SHORT_SICK_SPELLS,
        f"{len(short)} keer kort ziek gemeld in de laatste {t.sick_window_weeks} weken "
        f"({sick_days} schooldagen, steeds korter dan {t.sick_spell_max_days + 1} dagen), "
        f"eerste op {date_text(short[0][0])}.",
    )


def school_year_start(day: dt.date) -> dt.date:
    """1 August of the school year holding ``day`` (RULES.md §1)."""
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def school_change(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """A change of school during the school year: an enrolment at another school than the one
    before it, starting in this school year (of ``on``) at least ``school_change_grace_days``
    after 1 August and not after ``on``. Why: a move in the middle of the year often follows
    trouble at the old school; the pacts ask that such a child is not lost between schools."""
    year_from = school_year_start(on) + dt.timedelta(days=t.school_change_grace_days)
    ordered = sorted(facts.enrolments, key=lambda e: e.start)
    for before, after in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=True):
        if before.school_key == after.school_key:
            continue
        if year_from <= after.start <= on:
            return _signal(
                SCHOOL_CHANGE,
                f"Van {before.school_name} naar {after.school_name} op {date_text(after.start)}, "
                "tijdens het schooljaar.",
            )
    return None


def earlier_thuiszitter(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """An earlier thuiszitter episode that ended at most ``earlier_episode_lookback_days`` before
    ``on``. Why: a child that was at home before is more likely to be again; the pacts ask for
    follow-up after the return to school."""
    since = on - dt.timedelta(days=t.earlier_episode_lookback_days)
    ended = [e for e in facts.episodes if e.end is not None and since <= e.end < on]
    if not ended:
        return None
    last = max(ended, key=lambda e: e.end or e.start)
    return _signal(
        EARLIER_THUISZITTER,
        f"Eerder thuiszitter ({last.category_label}) van {date_text(last.start)} "
        f"tot {date_text(last.end or last.start)}.",
    )


def open_waiting_list(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """An open waiting list (a barrier of kind wachtlijst on the child's case, not ended on
    ``on``). Why: waiting for care or a place is a known cause of thuiszitten (Thuiszitterspact:
    "wachtlijst zorg")."""
    open_lists = [
        w for w in facts.waiting_lists if w.since <= on and (w.ended is None or w.ended > on)
    ]
    if not open_lists:
        return None
    first = min(w.since for w in open_lists)
    weeks = weeks_between(first, on)
    return _signal(
        WAITING_LIST,
        f"Op een wachtlijst sinds {date_text(first)} ({weeks} "
        f"{'week' if weeks == 1 else 'weken'}).",
    )


def melding_unhandled(
    facts: ChildFacts, on: dt.date, t: CareSignalThresholds = THRESHOLDS
) -> CareSignal | None:
    """A verzuimmelding still "nieuw" ``melding_unhandled_days`` or more after it arrived. Why:
    the Leerplichtwet (art. 21, 22) expects the leerplichtambtenaar to act on a melding; one left
    alone for 4 weeks means nobody has talked to the child yet."""
    late = [
        m
        for m in facts.meldingen
        if m.still_new and (on - m.arrived_on).days >= t.melding_unhandled_days
    ]
    if not late:
        return None
    oldest = min(late, key=lambda m: m.arrived_on)
    weeks = weeks_between(oldest.arrived_on, on)
    more = f" (en nog {len(late) - 1} andere)" if len(late) > 1 else ""
    return _signal(
        MELDING_UNHANDLED,
        f"Melding {oldest.rule_label} van {date_text(oldest.arrived_on)} is na {weeks} weken "
        f"nog niet in behandeling genomen{more}.",
    )


Rule = Callable[[ChildFacts, dt.date, CareSignalThresholds], CareSignal | None]

#: every care signal, in the order the child's page shows them
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
    fired = tuple(s for rule in RULES if (s := rule(facts, on, thresholds)) is not None)
    return Evaluation(on=on, fired=fired)
