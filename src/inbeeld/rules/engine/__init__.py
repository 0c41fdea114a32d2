"""The bulk engine: RULES.md §2–§5 for every student of a data set at once.

Same answers as the simple implementation (``rules.reference``), which the tests check row for row
on generated data; this one is built for a whole country on one machine: Polars frames in, numpy
arrays for the day arithmetic, Polars frames out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK, RULES
from inbeeld.rules.calendar import CalendarArrays, SchoolCalendar, day_number
from inbeeld.rules.duty import KWALIFICATIEPLICHT, LEERPLICHT, NONE
from inbeeld.rules.engine.days import (
    build_day_table,
    day_key,
    effective_segments,
    luxe_row_days,
)
from inbeeld.rules.engine.duty import DutyArrays, compute_duty
from inbeeld.rules.engine.exemptions import effective_exemptions, without_effect_on_leerplicht
from inbeeld.rules.engine.frames import OPEN_END, Frames, build_frames, calendar_arrays
from inbeeld.rules.engine.meldingen import (
    MeldingArrays,
    find_runs,
    find_sick_spells,
    long_sickness_reports,
    lrv_meldingen,
    luxe_verzuim_meldingen,
    mazl_4_in_12_meldingen,
    mazl_7_meldingen,
    sixteen_hour_meldingen,
)
from inbeeld.rules.model import Dataset
from inbeeld.rules.periods import latest_since_over_three_months
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, VRIJGESTELD

#: what the engine says of a student's status (the columns of ``Analysis.status`` after the key)
STATUS_VALUES = (
    "duty",
    "leerplicht_start",
    "leerplicht_end",
    "kwalificatieplicht_end",
    "category",
    "since",
    "over_3_months",
)
STATUS_COLUMNS = ("student_id", *STATUS_VALUES)
MELDING_COLUMNS = ("student_id", "rule", "start_date", "end_date", "hours", "brin")


@dataclass
class Analysis:
    status: pl.DataFrame
    meldingen: pl.DataFrame
    #: RULES.md §7 (v2): art. 15 rows that cover days under leerplicht (no effect there), up to
    #: the reference date; the summary of ``inbeeld analyse`` reports them
    kwalificatieplicht_only_on_leerplicht: int = 0
    #: issue 12 §2: reports that are no verzuimmelding (``langdurig_ziek``: a sick spell of
    #: ``choices.LONG_SICKNESS_SCHOOL_DAYS`` school days), in the columns of ``meldingen``
    reports: pl.DataFrame | None = None


def analyse(
    dataset: Dataset,
    on: dt.date,
    calendar: SchoolCalendar | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Status on ``on`` and every melding ending on or before it, for all students (RULES.md
    §2–§5, §7 v2)."""
    say = progress or (lambda _message: None)
    if calendar is None:
        calendar = calendar_for(dataset)
    frames = build_frames(dataset, calendar.keys)
    cal = calendar_arrays(frames, calendar, on)
    say("duty")
    duty = compute_duty(frames, cal)
    say("school days")
    segments = effective_segments(frames, cal)
    table = build_day_table(frames, cal, duty, segments, on)
    n = frames.students.height
    say("meldingen")
    whole_day = (table.unexcused >= table.day_hours) & (table.day_hours > 0)
    lrv_runs = find_runs(table, whole_day)
    spells = find_sick_spells(table)
    parts = [
        lrv_meldingen(table, lrv_runs),
        sixteen_hour_meldingen(table, lrv_runs, cal, n),
        mazl_7_meldingen(table, spells),
        mazl_4_in_12_meldingen(table, spells, cal, n),
        # RULES.md §7 (v2): luxe verzuim, from every luxe row (LPW art. 11 onder f / 13a)
        luxe_verzuim_meldingen(*luxe_row_days(frames, cal, duty, segments, on)),
    ]
    meldingen = _meldingen_frame(frames, parts)
    reports = _meldingen_frame(frames, [long_sickness_reports(table, spells)])
    say("status")
    on_day = day_number(on)
    lrv_since = _lrv_going_on(frames, cal, segments, table, lrv_runs, on_day)
    exempt = effective_exemptions(frames, duty)
    status = _status_frame(frames, cal, duty, exempt, on, lrv_since)
    return Analysis(
        status=status,
        meldingen=meldingen,
        reports=reports,
        kwalificatieplicht_only_on_leerplicht=without_effect_on_leerplicht(frames, duty, on_day),
    )


def calendar_for(dataset: Dataset) -> SchoolCalendar:
    """The built-in calendar, with the regions named in the data set's calendar.csv replaced."""
    from inbeeld.rules.calendar import SchoolFreePeriod

    overrides = None
    if dataset.calendar is not None:
        overrides = [
            SchoolFreePeriod(row["region"], row["start_date"], row["end_date"], row["name"] or "")
            for row in dataset.calendar.iter_rows(named=True)
        ]
    return SchoolCalendar.with_overrides(overrides)


def _lrv_going_on(frames: Frames, cal, segments, table, lrv_runs, on_day: int) -> np.ndarray:
    """Per student the first day of an LRV run (≥ 20 days) still going on the last school day
    up to the reference date, or -1 (RULES.md §5, category 3)."""
    n = frames.students.height
    since = np.full(n, -1, dtype=np.int64)
    long_runs = np.flatnonzero(lrv_runs.length >= choices.LRV_RUN_SCHOOL_DAYS)
    if long_runs.size == 0:
        return since
    last_rows = lrv_runs.rows[lrv_runs.first_row[long_runs] + lrv_runs.length[long_runs] - 1]
    first_rows = lrv_runs.rows[lrv_runs.first_row[long_runs]]
    sx = table.sx[last_rows]
    on = np.full(sx.size, on_day, dtype=np.int64)
    j, found = segments.locate(sx, on, cal)
    eff_on = segments.eff(j, on, cal)
    going = found & (table.eff[last_rows] == eff_on)
    since[sx[going]] = table.day[first_rows[going]]
    return since


def _status_frame(
    frames: Frames,
    cal: CalendarArrays,
    duty: DutyArrays,
    exempt: pl.DataFrame,
    on: dt.date,
    lrv_since: np.ndarray,
) -> pl.DataFrame:
    """status.csv for every student (RULES.md §5, §7 (v2)): ``exempt`` holds the days each
    exemption row exempts (:func:`engine.exemptions.effective_exemptions`); absoluut verzuim only
    when the stretch without enrolment and exemption holds a school day of the home region up to
    the date, since its first school day."""
    n = frames.students.height
    on_day = day_number(on)
    lp_start, lp_end, kp_end = (
        duty.leerplicht_start,
        duty.leerplicht_end,
        duty.kwalificatieplicht_end,
    )
    is_lp = (lp_start <= on_day) & (on_day <= lp_end)
    is_kp = (kp_end >= 0) & (lp_end < on_day) & (on_day <= kp_end)
    duty_code = np.where(is_lp, 1, np.where(is_kp, 2, 0))

    ex = exempt
    covering = ex.filter((pl.col("s") <= on_day) & (pl.col("e") >= on_day))
    exempt_since = np.full(n, -1, dtype=np.int64)
    if covering.height:
        agg = covering.group_by("sx").agg(pl.col("s").max())
        exempt_since[agg["sx"].to_numpy()] = agg["s"].to_numpy()
    ended_exempt = _latest_end_before(ex, on_day, n)

    enrol = frames.enrolments_sorted
    enrolled = np.zeros(n, dtype=bool)
    now = enrol.filter((pl.col("s") <= on_day) & (pl.col("e") >= on_day))
    enrolled[now["sx"].to_numpy()] = True
    ended_enrol = _latest_end_before(enrol, on_day, n)
    stretch_start = np.maximum.reduce([lp_start, ended_enrol + 1, ended_exempt + 1])
    candidates = np.flatnonzero((duty_code > 0) & (stretch_start <= on_day))
    av_since = np.full(n, -1, dtype=np.int64)
    av_since[candidates] = cal.next_school_day[
        frames.home_region[candidates], cal.index(stretch_start[candidates])
    ]

    under = duty_code > 0
    cat = np.zeros(n, dtype=np.int8)
    since = np.full(n, -1, dtype=np.int64)
    vrij = under & (exempt_since >= 0)
    cat[vrij], since[vrij] = 1, exempt_since[vrij]
    av = under & ~vrij & ~enrolled & (av_since >= 0) & (av_since <= on_day)
    cat[av], since[av] = 2, av_since[av]
    lrv = under & ~vrij & enrolled & (lrv_since >= 0)
    cat[lrv], since[lrv] = 3, lrv_since[lrv]
    cutoff = day_number(latest_since_over_three_months(on))  # RULES.md §7: one test

    def as_date(values: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
        series = pl.Series(values, dtype=pl.Int64)
        if missing is not None:
            series = series.set(pl.Series(missing), None)
        return series.cast(pl.Int32).cast(pl.Date)

    return pl.DataFrame(
        {
            "student_id": frames.students["student_id"],
            "duty": pl.Series(duty_code).replace_strict(
                {0: NONE, 1: LEERPLICHT, 2: KWALIFICATIEPLICHT}, return_dtype=pl.String
            ),
            "leerplicht_start": as_date(lp_start),
            "leerplicht_end": as_date(lp_end),
            "kwalificatieplicht_end": as_date(np.where(kp_end >= 0, kp_end, 0), kp_end < 0),
            "category": pl.Series(cat).replace_strict(
                {0: None, 1: VRIJGESTELD, 2: ABSOLUUT_VERZUIM, 3: LANGDURIG_RELATIEF_VERZUIM},
                return_dtype=pl.String,
            ),
            "since": as_date(np.where(since >= 0, since, 0), since < 0),
            "over_3_months": pl.Series((since >= 0) & (since <= cutoff)),
        }
    )


def _latest_end_before(frame: pl.DataFrame, on_day: int, n: int) -> np.ndarray:
    out = np.full(n, -(10**9), dtype=np.int64)
    ended = frame.filter((pl.col("e") < on_day) & (pl.col("e") < OPEN_END))
    if ended.height:
        agg = ended.group_by("sx").agg(pl.col("e").max())
        out[agg["sx"].to_numpy()] = agg["e"].to_numpy()
    return out


def _meldingen_frame(frames: Frames, parts: list[MeldingArrays]) -> pl.DataFrame:
    """All meldingen, ordered by student, end_date, rule name, start_date (``choices.READINGS``
    "luxe verzuim meldingen"; the reference orders with ``absence.melding_order``)."""
    rule_order = {rule: i for i, rule in enumerate(sorted(RULES))}
    rule_order[REPORT_LANGDURIG_ZIEK] = len(rule_order)
    frames_out = []
    for part in parts:
        if part.sx.size == 0:
            continue
        frames_out.append(
            pl.DataFrame(
                {
                    "sx": part.sx.astype(np.int64),
                    "rule_order": np.full(part.sx.size, rule_order[part.rule], dtype=np.int64),
                    "rule": pl.repeat(part.rule, part.sx.size, eager=True),
                    "start_date": part.start.astype(np.int64),
                    "end_date": part.end.astype(np.int64),
                    "hours": part.hours
                    if part.hours is not None
                    else np.full(part.sx.size, np.nan),
                    "kx": part.kx.astype(np.int64),
                }
            )
        )
    if not frames_out:
        return pl.DataFrame(
            schema={
                "student_id": pl.String,
                "rule": pl.String,
                "start_date": pl.Date,
                "end_date": pl.Date,
                "hours": pl.Float64,
                "brin": pl.String,
            }
        )
    out = pl.concat(frames_out).sort("sx", "end_date", "rule_order", "start_date")
    ids = frames.students["student_id"].to_numpy()
    return pl.DataFrame(
        {
            "student_id": pl.Series(ids[out["sx"].to_numpy()], dtype=pl.String),
            "rule": out["rule"],
            "start_date": out["start_date"].cast(pl.Int32).cast(pl.Date),
            "end_date": out["end_date"].cast(pl.Int32).cast(pl.Date),
            "hours": out["hours"].fill_nan(None),
            "brin": pl.Series(frames.school_brin[out["kx"].to_numpy()], dtype=pl.String),
        }
    )


__all__ = [
    "MELDING_COLUMNS",
    "STATUS_COLUMNS",
    "STATUS_VALUES",
    "Analysis",
    "analyse",
    "calendar_for",
    "day_key",
]
