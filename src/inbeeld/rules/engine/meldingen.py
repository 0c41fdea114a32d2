"""The meldingen of RULES.md §4 for every student at once, the bulk form of ``rules.absence``.

Runs (LRV, sick spells) are found from ``eff`` (consecutive school days) by ``rules.runs``, the
one definition of a sick spell the care signals use too. The two rules whose next melding depends
on the previous one (16_uur, mazl_4_in_12) are computed in rounds: in each round every student
still in play gets their next melding, found for all of them at once with prefix sums and binary
search. A student with no next melding leaves the rounds, so rounds shrink fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from inbeeld.rules import choices
from inbeeld.rules.absence import (
    REPORT_LANGDURIG_ZIEK,
    RULE_16_UUR,
    RULE_LRV,
    RULE_LUXE_VERZUIM,
    RULE_MAZL_4_IN_12,
    RULE_MAZL_7_DAGEN,
)
from inbeeld.rules.calendar import CalendarArrays
from inbeeld.rules.engine.days import DayTable, day_key
from inbeeld.rules.runs import Runs, consecutive_runs, sick_spells

NEVER = np.int64(-(10**9))


@dataclass
class MeldingArrays:
    sx: np.ndarray
    rule: str
    start: np.ndarray
    end: np.ndarray
    kx: np.ndarray
    hours: np.ndarray | None = None


def find_runs(table: DayTable, mask: np.ndarray) -> Runs:
    """Runs of consecutive school days of the day table's rows where ``mask`` holds."""
    return consecutive_runs(table.sx, table.eff, mask)


def find_sick_spells(table: DayTable) -> Runs:
    """The sick spells of the day table (:func:`inbeeld.rules.runs.sick_spells`)."""
    return sick_spells(table.sx, table.eff, table.sick)


def _first_per_student(sx: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Of the candidate row indexes (sorted), the first one of each student."""
    if candidates.size == 0:
        return candidates
    s = sx[candidates]
    first = np.ones(candidates.size, dtype=bool)
    first[1:] = s[1:] != s[:-1]
    return candidates[first]


def _nth_day_of_runs(table: DayTable, runs: Runs, n: int, rule: str) -> MeldingArrays:
    """A melding from the first to the ``n``-th day of every run that reaches ``n`` days."""
    long_runs = np.flatnonzero(runs.length >= n)
    first = runs.rows[runs.first_row[long_runs]]
    nth = runs.rows[runs.first_row[long_runs] + n - 1]
    return MeldingArrays(
        sx=table.sx[first], rule=rule, start=table.day[first], end=table.day[nth], kx=table.kx[nth]
    )


def lrv_meldingen(table: DayTable, runs: Runs) -> MeldingArrays:
    """``lrv``: the 20th consecutive school day of whole-day unexcused absence (§4, choice)."""
    return _nth_day_of_runs(table, runs, choices.LRV_RUN_SCHOOL_DAYS, RULE_LRV)


def mazl_7_meldingen(table: DayTable, spells: Runs) -> MeldingArrays:
    """``mazl_7_dagen``: the 7th school day of a sick spell (§4, MAZL)."""
    return _nth_day_of_runs(table, spells, choices.MAZL_SPELL_DAY, RULE_MAZL_7_DAGEN)


def long_sickness_reports(table: DayTable, spells: Runs) -> MeldingArrays:
    """``langdurig_ziek`` (issue 12 §2): the ``choices.LONG_SICKNESS_SCHOOL_DAYS``-th school day
    of a sick spell, one report per spell (from the spell's first day to that day). The prefilter
    keeps every child with a sick spell of ``choices.MAZL_SPELL_DAY`` days or more, so a longer
    spell is always in the day table."""
    assert choices.LONG_SICKNESS_SCHOOL_DAYS >= choices.MAZL_SPELL_DAY  # see the prefilter
    return _nth_day_of_runs(table, spells, choices.LONG_SICKNESS_SCHOOL_DAYS, REPORT_LANGDURIG_ZIEK)


def sixteen_hour_meldingen(
    table: DayTable, lrv_runs: Runs, cal: CalendarArrays, n_students: int
) -> MeldingArrays:
    """``16_uur`` (§4; LPW art. 21/21a): see ``rules.absence.meldingen_for``."""
    rows = np.flatnonzero(table.unexcused > 0)
    sx, day = table.sx[rows], table.day[rows]
    hours = table.unexcused[rows]
    key = table.key[rows]
    prefix = np.concatenate([[0.0], np.cumsum(hours)])  # prefix[i] = sum of rows before i

    # suppressed: from the 20th day of an LRV run until it ends
    need = choices.LRV_RUN_SCHOOL_DAYS
    suppressed_rows = lrv_runs.rows[lrv_runs.position >= need]
    suppressed_day = np.zeros(table.sx.size, dtype=bool)
    suppressed_day[suppressed_rows] = True
    suppressed = suppressed_day[rows]
    # counting restarts the day after an LRV run (≥ 20 days) ends
    long_runs = np.flatnonzero(lrv_runs.length >= need)
    last_rows = lrv_runs.rows[lrv_runs.first_row[long_runs] + lrv_runs.length[long_runs] - 1]
    run_end_key = table.key[last_rows]  # sorted, as runs are
    k = np.searchsorted(run_end_key, key, side="left") - 1
    kc = np.clip(k, 0, None)
    has_run = (k >= 0) & (run_end_key.size > 0)
    if run_end_key.size:
        has_run &= table.sx[last_rows][kc] == sx
        restart = np.where(has_run, table.day[last_rows][kc] + 1, NEVER)
    else:
        restart = np.full(sx.size, NEVER)
    window = cal.window_start(choices.HOURS_16_WINDOW_LESWEKEN)[
        table.region[rows], day - cal.offset
    ]
    base_start = np.maximum.reduce([cal.school_year_start[day - cal.offset], restart, window])

    def total(at: np.ndarray, first: np.ndarray) -> np.ndarray:
        """The hours of the rows ``first`` to ``at``."""
        return np.round(prefix[at + 1] - prefix[first], choices.HOURS_DECIMALS)

    def fires(live: np.ndarray, first: np.ndarray, previous: np.ndarray) -> np.ndarray:
        return (day[live] - previous >= choices.HOURS_16_MIN_SPACING_DAYS) & (
            total(live, first) >= choices.HOURS_16_THRESHOLD
        )

    rounds = _in_rounds(
        sx, day, key, cal, n_students, np.flatnonzero(~suppressed), base_start, fires
    )
    return _collect(RULE_16_UUR, sx, day, rounds, kx=lambda at: table.kx[rows[at]], hours=total)


def mazl_4_in_12_meldingen(
    table: DayTable, spells: Runs, cal: CalendarArrays, n_students: int
) -> MeldingArrays:
    """``mazl_4_in_12`` (§4, MAZL): the 4th spell starting within 12 lesweken."""
    starts_rows = spells.start_rows
    sx, day = table.sx[starts_rows], table.day[starts_rows]
    key = table.key[starts_rows]
    window = cal.window_start(choices.MAZL_WINDOW_LESWEKEN)[
        table.region[starts_rows], day - cal.offset
    ]
    if choices.MAZL_4_IN_12_RESTARTS_ON_1_AUGUST:
        window = np.maximum(window, cal.school_year_start[day - cal.offset])

    def fires(live: np.ndarray, first: np.ndarray, previous: np.ndarray) -> np.ndarray:
        return live - first + 1 >= choices.MAZL_SPELLS

    rounds = _in_rounds(sx, day, key, cal, n_students, np.arange(sx.size), window, fires)
    return _collect(RULE_MAZL_4_IN_12, sx, day, rounds, kx=lambda at: table.kx[starts_rows[at]])


def luxe_verzuim_meldingen(
    sx: np.ndarray, first: np.ndarray, last: np.ndarray, kx: np.ndarray
) -> MeldingArrays:
    """``luxe_verzuim`` (RULES.md §7 v2; LPW art. 11 onder f / 13a): one melding per luxe row that
    covers a counted school day, from its first to its last such day up to the reference date
    (``days.luxe_row_days``); rows with the same first and last day give one melding, as
    ``absence.luxe_meldingen``."""
    if sx.size:
        _, unique = np.unique(np.stack([sx, first, last], axis=1), axis=0, return_index=True)
        sx, first, last, kx = sx[unique], first[unique], last[unique], kx[unique]
    return MeldingArrays(sx=sx, rule=RULE_LUXE_VERZUIM, start=first, end=last, kx=kx)


def _in_rounds(
    sx: np.ndarray,
    day: np.ndarray,
    key: np.ndarray,
    cal: CalendarArrays,
    n_students: int,
    live: np.ndarray,
    window_start: np.ndarray,
    fires: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The meldingen of a rule whose next melding depends on the previous one, in rounds (see the
    module's docstring). Of the rows ``sx``/``day``/``key`` (sorted by key), ``live`` are the
    candidates. A row's window runs from the later of its ``window_start`` and the day after the
    student's previous melding; ``fires(live, first, previous)`` says which live rows make a
    melding, ``first`` the first row of each one's window, ``previous`` the end of the student's
    previous melding. Every round: (the row of each student's next melding, the first row of its
    window)."""
    last_end = np.full(n_students, NEVER, dtype=np.int64)
    rounds = []
    while live.size:
        lsx = sx[live]
        previous = last_end[lsx]
        lo = np.maximum(window_start[live], previous + 1)
        first = np.searchsorted(key, day_key(lsx, lo, cal), side="left")
        ok = (day[live] > previous) & fires(live, first, previous)
        fired = _first_per_student(sx, live[ok])
        if fired.size == 0:
            break
        rounds.append((fired, first[np.searchsorted(live, fired)]))
        last_end[sx[fired]] = day[fired]
        live = live[np.isin(lsx, sx[fired])]
        live = live[day[live] > last_end[sx[live]]]
    return rounds


def _collect(
    rule: str,
    sx: np.ndarray,
    day: np.ndarray,
    rounds: list[tuple[np.ndarray, np.ndarray]],
    *,
    kx: Callable[[np.ndarray], np.ndarray],
    hours: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> MeldingArrays:
    """The meldingen of :func:`_in_rounds`: a melding from the first row of its window to the row
    at which it fired, at the school ``kx(at)``, with ``hours(at, first)`` when the rule counts
    hours."""

    def cat(parts):
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    return MeldingArrays(
        sx=cat([sx[at] for at, _ in rounds]),
        rule=rule,
        start=cat([day[first] for _, first in rounds]),
        end=cat([day[at] for at, _ in rounds]),
        kx=cat([kx(at) for at, _ in rounds]),
        hours=(
            cat([hours(at, first) for at, first in rounds]).astype(np.float64)
            if hours is not None
            else None
        ),
    )
