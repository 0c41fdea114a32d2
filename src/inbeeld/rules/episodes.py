"""Thuiszitter episodes: the stretches of time a child was a thuiszitter (RULES.md §5, 2 and 3).

The status of RULES.md §5 answers "what is this child on date D". The leerplichttelling (LPW
art. 25: the annual count the college reports to the council and the minister) asks about a whole
school year: who was in absoluut verzuim at some time, who was in langdurig relatief verzuim on
1 September, who became so during the year, who passed three months. This module turns the same
rules into **episodes**, per child, up to a reference date ``on``:

* **absoluut verzuim** (LPW art. 2 lid 1 and art. 4a: the duty to have the child *enrolled*; art.
  3, 4a, 4b: when that duty runs): a maximal stretch of calendar days under duty, not enrolled at any
  school and not exempted (art. 5, 5a, 15 as :func:`inbeeld.rules.exemptions.exempts_on` reads
  them; 3a/3b exempt no day), from its first school day of the home region to its last day; a
  stretch without a school day (a school change over a weekend or a summer) is no episode
  (RULES.md §7 (v2)). On every day of an episode the status is "absoluut_verzuim, since = start"
  (:func:`inbeeld.rules.status.absoluut_verzuim_since`).
* **langdurig relatief verzuim** (Besluit verzuimmelding, bijlage; RULES.md §4 ``lrv``): a run of at least
  ``choices.LRV_RUN_SCHOOL_DAYS`` consecutive school days of whole-day unexcused absence, from its
  first to its last day. It *counts* from its 20th day (the day of the ``lrv`` melding),
  recorded as ``counted_from``; for absoluut verzuim ``counted_from`` is the start.

Each episode has ``end`` None when it still goes on at ``on`` (absoluut verzuim reaching ``on``; an
LRV run still going on the last school day up to ``on`` while the child is enrolled and under duty,
as §5 category 3 reads) and ``over_3_months_on``: the first day on which §5's ``over_3_months``
holds for it (``since`` ≤ that day minus 3 calendar months, end-of-month clipped; RULES.md §7: the
one test :func:`inbeeld.rules.periods.over_three_months`, whose inverse is
:func:`inbeeld.rules.periods.first_day_over_three_months`), when that day lies within the episode
(on or before its end, or on or before ``on`` while it goes on).

Two implementations, as for the rest of the rules: :func:`episodes_of_student` walks one child's
days (the yardstick), :func:`thuiszitter_episodes` does every child at once with the bulk engine's
frames and numpy (100,000 children in seconds). The tests require both to agree on generated data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.absence import school_days
from inbeeld.rules.calendar import ONE_DAY, SchoolCalendar, day_number
from inbeeld.rules.duty import NONE, duty_period, enrolled_on, home_region
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.engine.days import build_day_table, effective_segments
from inbeeld.rules.engine.duty import _grouped_previous_cummax, compute_duty
from inbeeld.rules.engine.exemptions import effective_exemptions
from inbeeld.rules.engine.frames import OPEN_END, build_frames, calendar_arrays
from inbeeld.rules.engine.meldingen import find_runs
from inbeeld.rules.model import Dataset, School, StudentRecord
from inbeeld.rules.periods import first_day_over_three_months, first_day_over_three_months_days
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, OutOfSchool

EPISODE_CATEGORIES = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)

#: Columns of the frame :func:`thuiszitter_episodes` returns.
EPISODE_SCHEMA: dict[str, pl.DataType] = {
    "student_id": pl.String(),
    "category": pl.String(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "counted_from": pl.Date(),
    "over_3_months_on": pl.Date(),
}


@dataclass(frozen=True, slots=True)
class Episode:
    """One stretch of time a child was a thuiszitter (one row of :data:`EPISODE_SCHEMA`)."""

    student_id: str
    category: str
    start: dt.date
    #: the last day, None while it goes on at the reference date
    end: dt.date | None
    #: the day it counts from: the start (absoluut verzuim) or the run's 20th day (LRV)
    counted_from: dt.date
    #: the day it passed three months (RULES.md §5), None when it did not (yet)
    over_3_months_on: dt.date | None

    def as_row(self) -> tuple:
        return (
            self.student_id,
            self.category,
            self.start,
            self.end,
            self.counted_from,
            self.over_3_months_on,
        )


def _passed(start: dt.date, end: dt.date | None, on: dt.date) -> dt.date | None:
    day = first_day_over_three_months(start)
    return day if day <= (end or on) else None


# -- one child at a time (the yardstick) ----------------------------------------------------------


def absoluut_verzuim_stretches(child: OutOfSchool, on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The absoluut-verzuim episodes up to ``on``, first to last day (LPW art. 2 lid 1, 3, 4a, 5,
    5a, 15; RULES.md §5 category 2, §7 (v2)).

    A maximal stretch of days out of school (:meth:`inbeeld.rules.status.OutOfSchool.on`: under
    duty, not enrolled, not exempted) is an episode from its first school day of the home region
    to its last day; a stretch without a school day up to ``on`` (a school change over a weekend
    or a summer vacation) is none.
    """
    out: list[tuple[dt.date, dt.date]] = []
    start: dt.date | None = None

    def close(first: dt.date, last: dt.date) -> None:
        school_day = child.calendar.first_school_day_on_or_after(child.region, first)
        if school_day <= last:
            out.append((school_day, last))

    day = child.period.leerplicht_start
    last = min(child.period.last_day, on)
    while day <= last:
        out_of_school = child.on(day)
        if out_of_school and start is None:
            start = day
        elif not out_of_school and start is not None:
            close(start, day - ONE_DAY)
            start = None
        day += ONE_DAY
    if start is not None:
        close(start, last)
    return out


def episodes_of_student(
    record: StudentRecord, schools: dict[str, School], calendar: SchoolCalendar, on: dt.date
) -> list[Episode]:
    """Every thuiszitter episode of one child up to ``on``, day by day (the simple reading)."""
    student = record.student
    sid = student.student_id
    period = duty_period(student, record.enrolments, schools, calendar)
    region = home_region(student, record.enrolments, schools)
    out: list[Episode] = []
    child = OutOfSchool(period, record.enrolments, record.exemptions, region, calendar)
    stretches = absoluut_verzuim_stretches(child, on)
    for start, last in stretches:
        end = None if last == on else last
        out.append(Episode(sid, ABSOLUUT_VERZUIM, start, end, start, _passed(start, end, on)))
    starts = [a.start for a in record.absences if a.start <= on]
    if starts:
        days = school_days(
            enrolments=record.enrolments,
            absences=record.absences,
            schools=schools,
            calendar=calendar,
            duty=period,
            region=region,
            first=min(starts),
            last=on,
            birth_date=student.birth_date,  # RULES.md §7 (v2): 11a for five-year-olds
        )
        runs: list[list[dt.date]] = [[]]
        for facts in days:
            if facts.whole_day_unexcused:
                runs[-1].append(facts.day)
            elif runs[-1]:
                runs.append([])
        # the last run goes on when nothing broke it up to ``on`` and the child is still enrolled
        # and under duty on ``on`` (RULES.md §5 category 3)
        still = enrolled_on(record.enrolments, on) and period.on(on) != NONE
        for i, run in enumerate(runs):
            if len(run) < choices.LRV_RUN_SCHOOL_DAYS:
                continue
            going = still and i == len(runs) - 1
            end = None if going else run[-1]
            out.append(
                Episode(
                    sid,
                    LANGDURIG_RELATIEF_VERZUIM,
                    run[0],
                    end,
                    run[choices.LRV_RUN_SCHOOL_DAYS - 1],
                    _passed(run[0], end, on),
                )
            )
    return sorted(out, key=lambda e: (e.start, e.category))


def episodes_simply(dataset: Dataset, calendar: SchoolCalendar, on: dt.date) -> list[Episode]:
    """Every child of ``dataset``, one at a time (the reference for :func:`thuiszitter_episodes`)."""
    schools = dataset.schools_by_brin()
    out: list[Episode] = []
    for record in dataset.student_records():
        out.extend(episodes_of_student(record, schools, calendar, on))
    return out


# -- every child at once -----------------------------------------------------------------------


def _absoluut_verzuim_arrays(frames, cal, duty, on_day: int) -> tuple[np.ndarray, ...]:
    """(sx, start, last) of every absoluut-verzuim episode: a stretch of days under duty without
    enrolment and without a row that exempts the child, from its first school day of the home
    region (RULES.md §7 (v2)); stretches without a school day up to ``on_day`` are dropped."""
    n = frames.students.height
    cover = pl.concat(
        [
            frames.enrolments_sorted.select("sx", "s", "e"),
            effective_exemptions(frames, duty),
        ]
    ).sort("sx", "s")
    sx = cover["sx"].to_numpy().astype(np.int64)
    s = cover["s"].to_numpy().astype(np.int64)
    e = cover["e"].to_numpy().astype(np.int64)
    far = np.int64(4 * OPEN_END)
    if sx.size:
        group_start = np.ones(sx.size, dtype=bool)
        group_start[1:] = sx[1:] != sx[:-1]
        previous = _grouped_previous_cummax(e, group_start)
        previous = np.where(group_start, -far, previous)
        firsts = np.flatnonzero(group_start)
        group_max = np.maximum.reduceat(e, firsts)
        covered = np.zeros(n, dtype=bool)
        covered[sx] = True
        bare = np.flatnonzero(~covered)
        gap_sx = np.concatenate([sx, sx[firsts], bare])
        gap_a = np.concatenate([previous + 1, group_max + 1, np.full(bare.size, -far)])
        gap_b = np.concatenate([s - 1, np.full(firsts.size, far), np.full(bare.size, far)])
    else:
        gap_sx = np.arange(n, dtype=np.int64)
        gap_a = np.full(n, -far)
        gap_b = np.full(n, far)
    lo = duty.leerplicht_start[gap_sx]
    hi = np.minimum(duty.last_day[gap_sx], on_day)
    a = np.maximum(gap_a, lo)
    b = np.minimum(gap_b, hi)
    keep = a <= b
    gap_sx, a, b = gap_sx[keep], a[keep], b[keep]
    first_school_day = cal.next_school_day[frames.home_region[gap_sx], cal.index(a)]
    keep = first_school_day <= b
    return gap_sx[keep], first_school_day[keep], b[keep]


def _lrv_arrays(frames, cal, duty, on: dt.date) -> tuple[np.ndarray, ...]:
    """(sx, start, last, 20th day, going on) of every LRV run of at least 20 school days."""
    segments = effective_segments(frames, cal)
    table = build_day_table(frames, cal, duty, segments, on)
    whole_day = (table.unexcused >= table.day_hours) & (table.day_hours > 0)
    runs = find_runs(table, whole_day)
    need = choices.LRV_RUN_SCHOOL_DAYS
    long_runs = np.flatnonzero(runs.length >= need)
    first = runs.rows[runs.first_row[long_runs]]
    last = runs.rows[runs.first_row[long_runs] + runs.length[long_runs] - 1]
    nth = runs.rows[runs.first_row[long_runs] + need - 1]
    sx = table.sx[first]
    on_day = np.full(sx.size, day_number(on), dtype=np.int64)
    going = np.zeros(sx.size, dtype=bool)
    if sx.size:
        j, found = segments.locate(sx, on_day, cal)
        going = (
            found & (table.eff[last] == segments.eff(j, on_day, cal)) & duty.under_duty(sx, on_day)
        )
    return sx, table.day[first], table.day[last], table.day[nth], going


def thuiszitter_episodes(
    dataset: Dataset, on: dt.date, calendar: SchoolCalendar | None = None
) -> pl.DataFrame:
    """Every thuiszitter episode of every child up to ``on`` (columns: :data:`EPISODE_SCHEMA`),
    sorted by child (in the order of the students frame), start and category.

    The bulk form of :func:`episodes_of_student`: absoluut verzuim from interval arithmetic on
    duty, enrolments and exemptions; LRV runs from the engine's day table (RULES.md §3).
    """
    if calendar is None:
        calendar = calendar_for(dataset)
    frames = build_frames(dataset, calendar.keys)
    if frames.students.height == 0:
        return pl.DataFrame(schema=EPISODE_SCHEMA)
    cal = calendar_arrays(frames, calendar, on)
    duty = compute_duty(frames, cal)
    on_day = day_number(on)
    av_sx, av_start, av_last = _absoluut_verzuim_arrays(frames, cal, duty, on_day)
    av_going = av_last == on_day
    lrv_sx, lrv_start, lrv_last, lrv_nth, lrv_going = _lrv_arrays(frames, cal, duty, on)
    sx = np.concatenate([av_sx, lrv_sx])
    category = np.concatenate(
        [np.zeros(av_sx.size, dtype=np.int8), np.ones(lrv_sx.size, dtype=np.int8)]
    )
    start = np.concatenate([av_start, lrv_start])
    last = np.concatenate([av_last, lrv_last])
    going = np.concatenate([av_going, lrv_going])
    counted = np.concatenate([av_start, lrv_nth])
    passed = first_day_over_three_months_days(start)
    passed_ok = passed <= np.where(going, on_day, last)
    order = np.lexsort((category, start, sx))
    ids = frames.students["student_id"].to_numpy()

    def as_date(values: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
        series = pl.Series(values[order], dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
        if missing is not None:
            series = pl.select(
                pl.when(pl.Series(missing[order])).then(None).otherwise(series)
            ).to_series()
        return series

    return pl.DataFrame(
        {
            "student_id": pl.Series(ids[sx[order]], dtype=pl.String),
            "category": pl.Series(category[order]).replace_strict(
                {0: ABSOLUUT_VERZUIM, 1: LANGDURIG_RELATIEF_VERZUIM}, return_dtype=pl.String
            ),
            "start_date": as_date(start),
            "end_date": as_date(last, going),
            "counted_from": as_date(counted),
            "over_3_months_on": as_date(passed, ~passed_ok),
        },
        schema=EPISODE_SCHEMA,
    )


def episodes_frame(episodes: Sequence[Episode]) -> pl.DataFrame:
    """Episodes as a frame of :data:`EPISODE_SCHEMA` (to compare the two implementations)."""
    return pl.DataFrame([e.as_row() for e in episodes], schema=EPISODE_SCHEMA, orient="row")


__all__ = [
    "EPISODE_CATEGORIES",
    "EPISODE_SCHEMA",
    "Episode",
    "absoluut_verzuim_stretches",
    "episodes_frame",
    "episodes_of_student",
    "episodes_simply",
    "thuiszitter_episodes",
]
