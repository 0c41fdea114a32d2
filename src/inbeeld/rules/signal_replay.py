"""The care signals (zorgsignalen, issue 12 §3) over a whole history at once, for the backtest
(issue 12 §4).

:mod:`inbeeld.rules.care_signals` reads one child on one day; replaying that per child in Python
over 20,000 pupils and a reference day every two weeks takes too long. This module states the same
conditions over Polars frames for every child and every reference day at once. Each signal's
condition becomes an interval of reference days (a school change fires from its start to the end
of the school year, an ended episode for two years after its end, …) or a sum over a window; the
thresholds are the same :class:`~inbeeld.rules.care_signals.CareSignalThresholds`.

That the two agree is not taken on trust: ``rules/tests/test_signal_replay.py`` builds random
children (:class:`~inbeeld.rules.care_signals.ChildFacts`), turns them into a
:class:`SignalHistory` (:func:`history_from_facts`) and requires :func:`signals_on_days` to fire
exactly the signals :func:`~inbeeld.rules.care_signals.care_signals_on` fires, child by child and
day by day (hypothesis).

The history comes from an exchange directory or the database as a rules
:class:`~inbeeld.rules.model.Dataset` (:func:`history_from_dataset`): the counted school days with
their unexcused and sick hours from the bulk engine's day table (every child, not only those a
melding rule could reach), the enrolments, and the thuiszitter episodes of
:func:`inbeeld.rules.episodes.thuiszitter_episodes`. The exchange format holds no waiting lists
and no handling of meldingen: those two signals are replayed only from the database, which passes
them in (``waiting_lists``, ``meldingen``), and are reported as not available otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules.calendar import SchoolCalendar, day_number
from inbeeld.rules.care_signals import (
    EARLIER_THUISZITTER,
    MELDING_UNHANDLED,
    NAMES,
    RISING_UNEXCUSED,
    SCHOOL_CHANGE,
    SHORT_SICK_SPELLS,
    THRESHOLDS,
    WAITING_LIST,
    CareSignalThresholds,
    ChildFacts,
)
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.engine.days import build_day_table, effective_segments
from inbeeld.rules.engine.duty import compute_duty
from inbeeld.rules.engine.frames import build_frames, calendar_arrays
from inbeeld.rules.model import Dataset

#: every signal, in the order of ``care_signals.RULES``
SIGNAL_CODES: tuple[str, ...] = tuple(NAMES)
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


@dataclass(frozen=True)
class ChildHistory:
    """One child's whole history for :func:`history_from_facts`: the facts (every counted school
    day, also those without absence) and, per melding (in the order of ``facts.meldingen``), the
    day it was taken in handling (None: never)."""

    student_id: str
    facts: ChildFacts
    handled_on: tuple[dt.date | None, ...] = ()


def history_from_facts(children: Iterable[ChildHistory]) -> SignalHistory:
    """The :class:`SignalHistory` of children given as :class:`ChildFacts` (for the tests that
    hold the bulk signals against :func:`~inbeeld.rules.care_signals.care_signals_on`)."""
    rows: dict[str, list[tuple]] = {name: [] for name in HISTORY_SCHEMAS}
    for child in children:
        sid, facts = child.student_id, child.facts
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
        handled = list(child.handled_on) + [None] * (len(facts.meldingen) - len(child.handled_on))
        for m, done in zip(facts.meldingen, handled, strict=True):
            rows["meldingen"].append((sid, m.arrived_on, done))
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


def _flags(ids: pl.Series, days: np.ndarray, code: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "student_id": ids,
            "on": pl.Series(days, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date),
            "code": pl.repeat(code, len(ids), eager=True, dtype=pl.String),
        },
        schema=FLAG_SCHEMA,
    )


def _interval_flags(
    frame: pl.DataFrame, lo: np.ndarray, hi: np.ndarray, days: np.ndarray, code: str
) -> pl.DataFrame:
    row, k = _pairs(lo, hi, days)
    return _flags(frame["student_id"].gather(row), days[k], code)


def _rising_unexcused(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.rising_unexcused``: a day counts for reference day D in the recent window
    when D - span < day <= D, in the earlier one when D - 2 span < day <= D - span."""
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
    return _flags(sums["student_id"], sums["on"].to_numpy(), RISING_UNEXCUSED)


def _short_sick_spells(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.short_sick_spells``: a spell (a run of consecutive counted school days with
    sick hours) counts for reference day D when it started in the window (D - window < start <=
    D) and has at most ``sick_spell_max_days`` days up to D."""
    rows = history.school_days.filter(pl.col("sick") > 0).sort("student_id", "day")
    if rows.height == 0:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    sid = rows["student_id"]
    eff = rows["eff"].to_numpy()
    day = _days(rows["day"])
    new = np.ones(rows.height, dtype=bool)
    new[1:] = (sid[1:].to_numpy() != sid[:-1].to_numpy()) | (eff[1:] != eff[:-1] + 1)
    first = np.flatnonzero(new)
    spell = np.cumsum(new) - 1
    length = np.diff(np.append(first, rows.height))
    start = day[first]
    row, k = _pairs(start, start + 7 * t.sick_window_weeks - 1, days)
    # the spell's days up to D: its rows (in day order) with day <= D
    key = spell * np.int64(FAR) + day
    up_to = np.searchsorted(key, row * np.int64(FAR) + days[k], side="right") - first[row]
    short = np.minimum(up_to, length[row]) <= t.sick_spell_max_days
    counts = (
        pl.DataFrame({"student_id": sid.gather(first[row[short]]), "on": days[k[short]]})
        .group_by("student_id", "on")
        .len()
        .filter(pl.col("len") >= t.sick_spells)
    )
    return _flags(counts["student_id"], counts["on"].to_numpy(), SHORT_SICK_SPELLS)


def _school_change(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.school_change``: consecutive enrolments (by start) at different schools;
    the later one's start ``a`` fires from ``a`` to the end of its school year, when ``a`` lies at
    least ``school_change_grace_days`` after its school year's 1 August."""
    ordered = history.enrolments.sort("student_id", "start", "order", maintain_order=True)
    changes = ordered.with_columns(
        pl.col("student_id").shift(1).alias("previous_student"),
        pl.col("school_key").shift(1).alias("previous"),
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
    return _interval_flags(
        changes, _days(changes["start"]), _days(changes["year_end"]), days, SCHOOL_CHANGE
    )


def _earlier_thuiszitter(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.earlier_thuiszitter``: an ended episode fires from the day after its end
    for ``earlier_episode_lookback_days`` days."""
    ended = history.episodes.filter(pl.col("end").is_not_null())
    end = _days(ended["end"])
    return _interval_flags(
        ended, end + 1, end + t.earlier_episode_lookback_days, days, EARLIER_THUISZITTER
    )


def _open_waiting_list(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.open_waiting_list``: from ``since`` to the day before ``ended``."""
    lists = history.waiting_lists
    return _interval_flags(
        lists, _days(lists["since"]), _days(lists["ended"]) - 1, days, WAITING_LIST
    )


def _melding_unhandled(
    history: SignalHistory, days: np.ndarray, t: CareSignalThresholds
) -> pl.DataFrame:
    """``care_signals.melding_unhandled``: from ``melding_unhandled_days`` after it arrived to
    the day before it was taken in handling."""
    m = history.meldingen
    arrived = _days(m["arrived_on"])
    return _interval_flags(
        m, arrived + t.melding_unhandled_days, _days(m["handled_on"]) - 1, days, MELDING_UNHANDLED
    )


_BULK = {
    RISING_UNEXCUSED: _rising_unexcused,
    SHORT_SICK_SPELLS: _short_sick_spells,
    SCHOOL_CHANGE: _school_change,
    EARLIER_THUISZITTER: _earlier_thuiszitter,
    WAITING_LIST: _open_waiting_list,
    MELDING_UNHANDLED: _melding_unhandled,
}


def signals_on_days(
    history: SignalHistory,
    days: Sequence[dt.date],
    thresholds: CareSignalThresholds = THRESHOLDS,
) -> pl.DataFrame:
    """Every signal that fires for any child on any of ``days`` (columns :data:`FLAG_SCHEMA`,
    one row per child, day and signal, sorted), only the signals the history can show."""
    numbers = np.array(sorted({day_number(d) for d in days}), dtype=np.int64)
    parts = [_BULK[code](history, numbers, thresholds) for code in history.available]
    if not parts:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    order = {code: i for i, code in enumerate(SIGNAL_CODES)}
    return (
        pl.concat(parts)
        .unique()
        .with_columns(pl.col("code").replace_strict(order, return_dtype=pl.Int64).alias("_o"))
        .sort("student_id", "on", "_o")
        .drop("_o")
    )


__all__ = [
    "EXCHANGE_SIGNALS",
    "FLAG_SCHEMA",
    "HISTORY_SCHEMAS",
    "SIGNAL_CODES",
    "ChildHistory",
    "SignalHistory",
    "history_from_dataset",
    "history_from_facts",
    "signals_on_days",
]
