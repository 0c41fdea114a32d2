"""The care signals (zorgsignalen, issue 12 §3): their one definition, over a whole history at
once.

Each signal is a plain rule that says a child may be on its way to staying home, before it does;
its condition is written here once, over Polars frames for every child and every reference day at
once, with its thresholds in one place (:class:`CareSignalThresholds`). The backtest (issue 12 §4,
``rules/backtest.py``) replays it over 20,000 pupils and a reference day every two weeks; the
child's page and the sweep that proposes children for the school teams' lists read one child
through :mod:`inbeeld.rules.care_signals`, which runs these same conditions on that child's data
and words what they found.

Why: the Thuiszitterspact (2016) and its successor agreements ask that children at risk of
dropping out are seen early, by a team around the school, "zodra het kind thuis zit ben je
eigenlijk al te laat". The Leerplichtwet 1969 gives the leerplichtambtenaar the task to supervise
attendance (art. 16, 21, 21a) and the school the duty to report unexcused absence; the MAZL method
(Medische Advisering van de Ziekgemelde Leerling, NCJ) asks for early attention to frequent and
long sick reports. A signal decides nothing: it proposes a child to people who decide.

Each condition becomes an interval of reference days (a school change fires from its start to the
end of the school year, an ended episode for two years after its end, …) or a sum over a window.
Besides firing, each signal keeps what it saw (:func:`signal_details`: the hours, the spells, the
row of the enrolment, episode or melding it is about), from which the child's page words its
sentence.

The history comes from an exchange directory or the database as a rules
:class:`~inbeeld.rules.model.Dataset` (:func:`history_from_dataset`): the counted school days with
their unexcused and sick hours from the bulk engine's day table (every child, not only those a
melding rule could reach), the enrolments, and the thuiszitter episodes of
:func:`inbeeld.rules.episodes.thuiszitter_episodes`; or from one child's facts
(:func:`inbeeld.rules.care_signals.history_from_facts`). The exchange format holds no waiting lists
and no handling of meldingen: those two signals are replayed only from the database, which passes
them in (``waiting_lists``, ``meldingen``), and are reported as not available otherwise.

What the rules never use: nationality, origin, religion, gender or family income. The frames
below have no such columns (``rules/tests/test_care_signals.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.calendar import SchoolCalendar, day_number
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.engine.days import build_day_table, effective_segments
from inbeeld.rules.engine.duty import compute_duty
from inbeeld.rules.engine.frames import build_frames, calendar_arrays
from inbeeld.rules.model import Dataset
from inbeeld.rules.runs import sick_spells


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

RISING_UNEXCUSED = "oplopend_ongeoorloofd"
SHORT_SICK_SPELLS = "kort_ziek_vaak"
SCHOOL_CHANGE = "schoolwissel"
EARLIER_THUISZITTER = "eerder_thuiszitter"
WAITING_LIST = "wachtlijst"
MELDING_UNHANDLED = "melding_onbehandeld"

#: every signal, in the order the child's page shows them
SIGNAL_CODES: tuple[str, ...] = (
    RISING_UNEXCUSED,
    SHORT_SICK_SPELLS,
    SCHOOL_CHANGE,
    EARLIER_THUISZITTER,
    WAITING_LIST,
    MELDING_UNHANDLED,
)
#: the signals an exchange directory can show (it holds no waiting lists and no handling of
#: meldingen)
EXCHANGE_SIGNALS: tuple[str, ...] = (
    RISING_UNEXCUSED,
    SHORT_SICK_SPELLS,
    SCHOOL_CHANGE,
    EARLIER_THUISZITTER,
)

#: a day number far in the future: "no end"
FAR = 10_000_000

HISTORY_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    # counted school days with unexcused or sick hours; ``eff``: the child's own school-day
    # number, so two rows are consecutive school days exactly when their eff differ by one
    "school_days": {
        "student_id": pl.String(),
        "day": pl.Date(),
        "eff": pl.Int64(),
        "unexcused": pl.Float64(),
        "sick": pl.Float64(),
    },
    # ``order`` breaks ties between enrolments starting on one day (the line, the primary key)
    "enrolments": {
        "student_id": pl.String(),
        "school_key": pl.String(),
        "start": pl.Date(),
        "end": pl.Date(),
        "order": pl.Int64(),
    },
    "episodes": {"student_id": pl.String(), "start": pl.Date(), "end": pl.Date()},
    "waiting_lists": {"student_id": pl.String(), "since": pl.Date(), "ended": pl.Date()},
    # ``handled_on``: the day it left "nieuw" (None: still new)
    "meldingen": {"student_id": pl.String(), "arrived_on": pl.Date(), "handled_on": pl.Date()},
}

#: the columns of the frame :func:`signals_on_days` returns
FLAG_SCHEMA: dict[str, pl.DataType] = {
    "student_id": pl.String(),
    "on": pl.Date(),
    "code": pl.String(),
}


def empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=HISTORY_SCHEMAS[name])


@dataclass
class SignalHistory:
    """What the care signals read, for every child over the whole history (Polars frames of
    :data:`HISTORY_SCHEMAS`), and which signals it can show."""

    school_days: pl.DataFrame
    enrolments: pl.DataFrame
    episodes: pl.DataFrame
    waiting_lists: pl.DataFrame
    meldingen: pl.DataFrame
    available: tuple[str, ...] = SIGNAL_CODES


# -- building a history -----------------------------------------------------------------------


def history_from_dataset(
    dataset: Dataset,
    on: dt.date,
    *,
    calendar: SchoolCalendar | None = None,
    episodes: pl.DataFrame | None = None,
    waiting_lists: pl.DataFrame | None = None,
    meldingen: pl.DataFrame | None = None,
) -> SignalHistory:
    """The history of ``dataset`` up to ``on``. ``episodes`` (student_id, start, end): the
    thuiszitter episodes (computed with :func:`~inbeeld.rules.episodes.thuiszitter_episodes` when
    not given); ``waiting_lists`` and ``meldingen`` as in :data:`HISTORY_SCHEMAS`, only from the
    database (the signals they feed are not available without them)."""
    from inbeeld.rules.episodes import thuiszitter_episodes

    calendar = calendar or calendar_for(dataset)
    frames = build_frames(dataset, calendar.keys)
    school_days = empty("school_days")
    if frames.students.height:
        cal = calendar_arrays(frames, calendar, on)
        duty = compute_duty(frames, cal)
        segments = effective_segments(frames, cal)
        table = build_day_table(frames, cal, duty, segments, on, every_student=True)
        ids = frames.students["student_id"].to_numpy()
        keep = (table.unexcused > 0) | (table.sick > 0)
        school_days = pl.DataFrame(
            {
                "student_id": pl.Series(ids[table.sx[keep]], dtype=pl.String),
                "day": pl.Series(table.day[keep], dtype=pl.Int64).cast(pl.Int32).cast(pl.Date),
                "eff": pl.Series(table.eff[keep], dtype=pl.Int64),
                "unexcused": pl.Series(table.unexcused[keep], dtype=pl.Float64),
                "sick": pl.Series(table.sick[keep], dtype=pl.Float64),
            },
            schema=HISTORY_SCHEMAS["school_days"],
        )
    enrolments = dataset.enrolments.filter(pl.col("start_date") <= on).select(
        "student_id",
        pl.col("brin").alias("school_key"),
        pl.col("start_date").alias("start"),
        pl.col("end_date").alias("end"),
        pl.col("line").cast(pl.Int64).alias("order"),
    )
    if episodes is None:
        episodes = thuiszitter_episodes(dataset, on, calendar).select(
            "student_id", pl.col("start_date").alias("start"), pl.col("end_date").alias("end")
        )
    available = tuple(
        code
        for code in SIGNAL_CODES
        if code in EXCHANGE_SIGNALS
        or (code == WAITING_LIST and waiting_lists is not None)
        or (code == MELDING_UNHANDLED and meldingen is not None)
    )
    return SignalHistory(
        school_days=school_days,
        enrolments=enrolments.cast(HISTORY_SCHEMAS["enrolments"]),  # type: ignore[arg-type]
        episodes=episodes.cast(HISTORY_SCHEMAS["episodes"]),  # type: ignore[arg-type]
        waiting_lists=empty("waiting_lists") if waiting_lists is None else waiting_lists,
        meldingen=empty("meldingen") if meldingen is None else meldingen,
        available=available,
    )


# -- the signals, every child and every reference day at once ------------------------------------


def _days(column: pl.Series, missing: int = FAR) -> np.ndarray:
    """Day numbers of a Date column, ``missing`` for nulls."""
    return column.cast(pl.Int64).fill_null(missing).to_numpy().astype(np.int64)


def _pairs(lo: np.ndarray, hi: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, k) for every row and every reference day ``days[k]`` with ``lo[row] <= days[k] <=
    hi[row]`` (``days`` ascending)."""
    a = np.searchsorted(days, lo, side="left")
    b = np.searchsorted(days, hi, side="right")
    n = np.maximum(b - a, 0)
    row = np.repeat(np.arange(lo.size), n)
    k = np.arange(int(n.sum()), dtype=np.int64) - np.repeat(np.cumsum(n) - n, n) + np.repeat(a, n)
    return row, k


def _during(frame: pl.DataFrame, lo: np.ndarray, hi: np.ndarray, days: np.ndarray) -> pl.DataFrame:
    """The rows of ``frame`` once for each reference day in their interval [lo, hi], with that
    day (a day number) in ``on``."""
    row, k = _pairs(lo, hi, days)
    return frame[row].with_columns(on=pl.Series(days[k], dtype=pl.Int64))


def _fired(found: pl.DataFrame, code: str, details: dict[str, pl.DataType]) -> pl.DataFrame:
    """``found`` (student_id, ``on`` as a day number, the details) as the frame of one signal:
    student_id, on (a date), code, the details; sorted by child and day."""
    return found.select(
        pl.col("student_id").cast(pl.String),
        pl.col("on").cast(pl.Int32).cast(pl.Date),
        pl.lit(code, dtype=pl.String).alias("code"),
        *(pl.col(name).cast(dtype) for name, dtype in details.items()),
    ).sort("student_id", "on")


#: ``row``: the n-th row of the child in its frame (0-based, in the frame's order)
_CHILD_ROW = pl.int_range(pl.len(), dtype=pl.Int64).over("student_id").alias("row")


def _first_per_child_and_day(found: pl.DataFrame, by: list[str], descending: list[bool]):
    """Per child and day the row that comes first in the order ``by``."""
    return found.sort(["student_id", "on", *by], descending=[False, False, *descending]).unique(
        ["student_id", "on"], keep="first", maintain_order=True
    )


def _rising_unexcused(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """Unexcused hours rise: in the last ``unexcused_window_weeks`` (up to and including the day
    D) at least ``unexcused_min_hours``, and at least ``unexcused_rise_factor`` times those of the
    window before. A day counts in the recent window when D - span < day <= D, in the earlier one
    when D - 2 span < day <= D - span. Why: absence that grows is the first sign the pacts ask
    schools to act on, before the 16 hours of a melding (LPW art. 21a) are reached.
    Details: ``recent`` and ``earlier``, the hours of the two windows."""
    rows = history.school_days.filter(pl.col("unexcused") > 0)
    span = 7 * t.unexcused_window_weeks
    day = _days(rows["day"])
    row, k = _pairs(day, day + 2 * span - 1, days)
    recent = days[k] < day[row] + span
    hours = rows["unexcused"].to_numpy()[row]
    sums = (
        pl.DataFrame(
            {
                "student_id": rows["student_id"].gather(row),
                "on": days[k],
                "recent": np.where(recent, hours, 0.0),
                "earlier": np.where(recent, 0.0, hours),
            }
        )
        .group_by("student_id", "on")
        .agg(pl.col("recent").sum(), pl.col("earlier").sum())
        .filter(
            (pl.col("recent") >= t.unexcused_min_hours)
            & (pl.col("recent") >= t.unexcused_rise_factor * pl.col("earlier"))
        )
    )
    return _fired(sums, RISING_UNEXCUSED, {"recent": pl.Float64(), "earlier": pl.Float64()})


def _short_sick_spells(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """Often ill for a short while: ``sick_spells`` or more sick spells (``rules.runs``: runs of
    consecutive counted school days with sick hours) of at most ``sick_spell_max_days`` school
    days up to the day D, started in the last ``sick_window_weeks`` (D - window < start <= D).
    Why: the MAZL method asks for the jeugdarts at 4 spells in 12 lesweken or 7 days in a row; a
    pattern just below that is worth a talk with the child and the parents before it becomes one.
    Details: ``spells`` (how many), ``sick_days`` (their school days up to D), ``first`` (the
    first one's start)."""
    rows = history.school_days.sort("student_id", "day")
    spells = sick_spells(
        rows["student_id"].to_numpy(), rows["eff"].to_numpy(), rows["sick"].to_numpy()
    )
    day = _days(rows["day"])[spells.rows]  # the spells' days, per spell in date order
    start = day[spells.first_row]
    spell, k = _pairs(start, start + 7 * t.sick_window_weeks - 1, days)
    # the spell's days up to D
    key = spells.run_id * np.int64(FAR) + day
    up_to = np.searchsorted(key, spell * np.int64(FAR) + days[k], side="right")
    length = np.minimum(up_to - spells.first_row[spell], spells.length[spell])
    short = length <= t.sick_spell_max_days
    counts = (
        pl.DataFrame(
            {
                "student_id": rows["student_id"].gather(spells.start_rows[spell[short]]),
                "on": days[k[short]],
                "days": length[short],
                "start": start[spell[short]],
            }
        )
        .group_by("student_id", "on")
        .agg(
            pl.len().alias("spells"),
            pl.col("days").sum().alias("sick_days"),
            pl.col("start").min().cast(pl.Int32).cast(pl.Date).alias("first"),
        )
        .filter(pl.col("spells") >= t.sick_spells)
    )
    return _fired(
        counts,
        SHORT_SICK_SPELLS,
        {"spells": pl.Int64(), "sick_days": pl.Int64(), "first": pl.Date()},
    )


def _school_change(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """A change of school during the school year: an enrolment at another school than the one
    before it (by start), whose start lies at least ``school_change_grace_days`` after its school
    year's 1 August; it fires from its start to the end of that school year (31 July). Why: a move
    in the middle of the year often follows trouble at the old school; the pacts ask that such a
    child is not lost between schools.
    Details: ``row`` and ``previous_row``, the new and the old enrolment (the child's n-th rows
    in ``history.enrolments``), of the latest change when there are more."""
    ordered = history.enrolments.with_columns(_CHILD_ROW).sort(
        "student_id", "start", "order", maintain_order=True
    )
    changes = ordered.with_columns(
        pl.col("student_id").shift(1).alias("previous_student"),
        pl.col("school_key").shift(1).alias("previous"),
        pl.col("row").shift(1).alias("previous_row"),
    ).filter(
        (pl.col("student_id") == pl.col("previous_student"))
        & (pl.col("school_key") != pl.col("previous"))
    )
    year = (
        pl.when(pl.col("start").dt.month() >= 8)
        .then(pl.col("start").dt.year())
        .otherwise(pl.col("start").dt.year() - 1)
    )
    changes = changes.with_columns(
        pl.date(year, 8, 1).alias("year_start"), pl.date(year + 1, 7, 31).alias("year_end")
    ).filter(pl.col("start") >= pl.col("year_start") + pl.duration(days=t.school_change_grace_days))
    found = _during(changes, _days(changes["start"]), _days(changes["year_end"]), days)
    latest = _first_per_child_and_day(found, ["start", "order"], [True, True])
    return _fired(latest, SCHOOL_CHANGE, {"row": pl.Int64(), "previous_row": pl.Int64()})


def _earlier_thuiszitter(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """An earlier thuiszitter episode: one that ended fires from the day after its end for
    ``earlier_episode_lookback_days`` days. Why: a child that was at home before is more likely
    to be again; the pacts ask for follow-up after the return to school.
    Details: ``row``, the episode that ended last (the child's n-th row in
    ``history.episodes``)."""
    ended = history.episodes.with_columns(_CHILD_ROW).filter(pl.col("end").is_not_null())
    end = _days(ended["end"])
    found = _during(ended, end + 1, end + t.earlier_episode_lookback_days, days)
    last = _first_per_child_and_day(found, ["end", "row"], [True, False])
    return _fired(last, EARLIER_THUISZITTER, {"row": pl.Int64()})


def _open_waiting_list(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """An open waiting list (a barrier of kind wachtlijst on the child's case): from ``since``
    to the day before ``ended``. Why: waiting for care or a place is a known cause of thuiszitten
    (Thuiszitterspact: "wachtlijst zorg").
    Details: ``since``, the start of the first open one."""
    lists = history.waiting_lists
    found = _during(lists, _days(lists["since"]), _days(lists["ended"]) - 1, days)
    first = found.group_by("student_id", "on").agg(pl.col("since").min())
    return _fired(first, WAITING_LIST, {"since": pl.Date()})


def _melding_unhandled(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """A verzuimmelding still "nieuw" ``melding_unhandled_days`` or more after it arrived: from
    that day to the day before it was taken in handling. Why: the Leerplichtwet (art. 21, 22)
    expects the leerplichtambtenaar to act on a melding; one left alone for 4 weeks means nobody
    has talked to the child yet.
    Details: ``row``, the oldest such melding (the child's n-th row in ``history.meldingen``),
    and ``late``, how many there are."""
    m = history.meldingen.with_columns(_CHILD_ROW)
    arrived = _days(m["arrived_on"])
    found = _during(m, arrived + t.melding_unhandled_days, _days(m["handled_on"]) - 1, days)
    late = found.with_columns(pl.len().over("student_id", "on").alias("late"))
    oldest = _first_per_child_and_day(late, ["arrived_on", "row"], [False, False])
    return _fired(oldest, MELDING_UNHANDLED, {"row": pl.Int64(), "late": pl.Int64()})


Condition = Callable[[SignalHistory, np.ndarray, CareSignalThresholds], pl.DataFrame]

#: each signal's condition
CONDITIONS: dict[str, Condition] = {
    RISING_UNEXCUSED: _rising_unexcused,
    SHORT_SICK_SPELLS: _short_sick_spells,
    SCHOOL_CHANGE: _school_change,
    EARLIER_THUISZITTER: _earlier_thuiszitter,
    WAITING_LIST: _open_waiting_list,
    MELDING_UNHANDLED: _melding_unhandled,
}


def signal_details(
    history: SignalHistory,
    days: Sequence[dt.date],
    thresholds: CareSignalThresholds = THRESHOLDS,
    codes: Sequence[str] | None = None,
) -> dict[str, pl.DataFrame]:
    """Per signal (of ``codes``, default all; only those the history can show) the children and
    days of ``days`` on which it fires: one row per child and day, student_id, on, code and what
    it saw (each condition's docstring names these details)."""
    numbers = np.array(sorted({day_number(d) for d in days}), dtype=np.int64)
    wanted = SIGNAL_CODES if codes is None else codes
    return {
        code: CONDITIONS[code](history, numbers, thresholds)
        for code in SIGNAL_CODES
        if code in wanted and code in history.available
    }


def signals_on_days(
    history: SignalHistory,
    days: Sequence[dt.date],
    thresholds: CareSignalThresholds = THRESHOLDS,
) -> pl.DataFrame:
    """Every signal that fires for any child on any of ``days`` (columns :data:`FLAG_SCHEMA`,
    one row per child, day and signal, sorted), only the signals the history can show."""
    parts = [
        frame.select(list(FLAG_SCHEMA))
        for frame in signal_details(history, days, thresholds).values()
    ]
    if not parts:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    order = {code: i for i, code in enumerate(SIGNAL_CODES)}
    return (
        pl.concat(parts)
        .with_columns(pl.col("code").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort("student_id", "on", "_o")
        .drop("_o")
    )


__all__ = [
    "EXCHANGE_SIGNALS",
    "FLAG_SCHEMA",
    "HISTORY_SCHEMAS",
    "SIGNAL_CODES",
    "THRESHOLDS",
    "CareSignalThresholds",
    "SignalHistory",
    "history_from_dataset",
    "signal_details",
    "signals_on_days",
]
