"""Duty of every student at once (RULES.md §2), the bulk form of ``rules.duty``.

Works on numpy day numbers (days since 1970-01-01). Open enrolment ends are ``OPEN_END``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from inbeeld.rules import choices
from inbeeld.rules.calendar import CalendarArrays
from inbeeld.rules.engine.frames import OPEN_END, Frames


def birthday_expr(birth: pl.Expr, age: int) -> pl.Expr:
    """The ``age``-th birthday; 29 February falls on 1 March in common years (RULES.md §2)."""
    year = birth.dt.year() + age
    month, day = birth.dt.month(), birth.dt.day()
    is_leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    leap_fix = (month == 2) & (day == 29) & ~is_leap
    fix_month, fix_day = choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR
    return pl.date(
        year,
        pl.when(leap_fix).then(fix_month).otherwise(month),
        pl.when(leap_fix).then(fix_day).otherwise(day),
    )


@dataclass
class DutyArrays:
    """Per student (index ``sx``): the duty period as day numbers."""

    leerplicht_start: np.ndarray
    leerplicht_end: np.ndarray
    #: last day of kwalificatieplicht, or -1 when it does not apply
    kwalificatieplicht_end: np.ndarray

    @property
    def last_day(self) -> np.ndarray:
        return np.where(
            self.kwalificatieplicht_end >= 0, self.kwalificatieplicht_end, self.leerplicht_end
        )

    def under_duty(self, sx: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (self.leerplicht_start[sx] <= day) & (day <= self.last_day[sx])


def _days(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int64)


def compute_duty(frames: Frames, cal: CalendarArrays) -> DutyArrays:
    """Leerplicht start and end, kwalificatieplicht end (RULES.md §2; LPW art. 3, 4a, 4b)."""
    students = frames.students
    fifth = birthday_expr(pl.col("birth_date"), choices.LEERPLICHT_START_AGE)
    sixteenth = birthday_expr(pl.col("birth_date"), choices.LEERPLICHT_END_AGE)
    eighteenth = birthday_expr(pl.col("birth_date"), choices.KWALIFICATIEPLICHT_END_AGE)
    derived = students.select(
        first_of_next_month=_days(
            pl.date(
                fifth.dt.year() + (fifth.dt.month() == 12).cast(pl.Int32),
                fifth.dt.month() % 12 + 1,
                1,
            )
        ),
        end_by_age=_days(
            pl.date(sixteenth.dt.year() + (sixteenth.dt.month() >= 8).cast(pl.Int32), 7, 31)
        ),
        day_before_18=_days(eighteenth) - 1,
        skq=_days(pl.col("startkwalificatie_date")),
        exempt=pl.col("kwalificatieplicht_exempt").fill_null(False),
    )
    home = frames.home_region
    first_next = derived["first_of_next_month"].to_numpy()
    lp_start = cal.next_school_day[home, cal.index(first_next)]
    by_age = derived["end_by_age"].to_numpy()
    twelfth_end = _twelfth_full_year_end(frames, cal)
    lp_end = np.minimum(by_age, twelfth_end)

    skq = derived["skq"].fill_null(-1).to_numpy()
    has_skq = skq >= 0
    kp_end = derived["day_before_18"].to_numpy().copy()
    kp_end = np.where(has_skq, np.minimum(kp_end, skq - 1), kp_end)
    no_kp = derived["exempt"].to_numpy() | (has_skq & (skq <= lp_end)) | (kp_end <= lp_end)
    kp_end = np.where(no_kp, -1, kp_end)
    return DutyArrays(lp_start, lp_end, kp_end)


def _school_year_bounds(cal: CalendarArrays) -> tuple[int, np.ndarray, np.ndarray]:
    """First and last school day of every school year in the calendar range, per region."""
    first_year = cal.first.year - 1
    last_year = cal.last.year + 1
    years = np.arange(first_year, last_year + 1)
    aug1_days = first_of_august(years)
    jul31_days = first_of_august(years + 1) - 1
    regions = cal.school.shape[0]
    fsd = np.full((regions, years.size), -1, dtype=np.int64)
    lsd = np.full((regions, years.size), -1, dtype=np.int64)
    for r in range(regions):
        school_days = np.flatnonzero(cal.school[r]).astype(np.int64) + cal.offset
        if not school_days.size:
            continue
        i = np.searchsorted(school_days, aug1_days, side="left")
        j = np.searchsorted(school_days, jul31_days, side="right") - 1
        inside = (aug1_days >= cal.offset) & (jul31_days <= cal.offset + cal.size - 1)
        ok = inside & (i < school_days.size) & (j >= 0)
        fsd[r, ok] = school_days[np.clip(i, 0, school_days.size - 1)][ok]
        lsd[r, ok] = school_days[np.clip(j, 0, school_days.size - 1)][ok]
    return first_year, fsd, lsd


def first_of_august(years: np.ndarray) -> np.ndarray:
    """Day numbers of 1 August of each year."""
    months = (np.asarray(years, dtype=np.int64) - 1970) * 12 + 7
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _school_year_of(days: np.ndarray) -> np.ndarray:
    dates = days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = (dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    return years - (months < 8)


def _twelfth_full_year_end(frames: Frames, cal: CalendarArrays) -> np.ndarray:
    """31 July of the 12th full school year per student, or a far-future day (art. 3 lid 1 b).

    A school year is full when the student was enrolled on every school day of the home region.
    Enrolments are merged into stretches that leave no school day uncovered; a stretch [s, e]
    holds the full years whose first school day is ≥ s and last school day ≤ e.
    """
    n = frames.students.height
    result = np.full(n, np.iinfo(np.int64).max // 4, dtype=np.int64)
    enrol = frames.enrolments_sorted
    if enrol.height == 0:
        return result
    sx = enrol["sx"].to_numpy()
    start = enrol["s"].to_numpy()
    end = enrol["e"].to_numpy()
    home = frames.home_region[sx]
    group_start = np.ones(sx.size, dtype=bool)
    group_start[1:] = sx[1:] != sx[:-1]
    prev_max = _grouped_previous_cummax(end, group_start)
    after = np.clip(prev_max + 1, cal.offset, cal.offset + cal.size - 1)
    next_school = cal.next_school_day[home, after - cal.offset]
    new_stretch = group_start | ((prev_max < OPEN_END) & (start > next_school))
    stretch_id = np.cumsum(new_stretch) - 1
    n_stretch = int(stretch_id[-1]) + 1
    st_sx = sx[new_stretch]
    st_home = home[new_stretch]
    st_start = start[new_stretch]
    st_end = np.full(n_stretch, -1, dtype=np.int64)
    np.maximum.at(st_end, stretch_id, end)

    first_year, fsd, lsd = _school_year_bounds(cal)
    y_start = _school_year_of(st_start)
    k = y_start - first_year
    first_full = np.where(fsd[st_home, k] >= st_start, y_start, y_start + 1)
    open_end = st_end >= OPEN_END
    safe_end = np.where(open_end, st_start, st_end)
    y_end = _school_year_of(safe_end)
    k_end = y_end - first_year
    last_full = np.where(lsd[st_home, k_end] <= safe_end, y_end, y_end - 1)
    last_full = np.where(open_end, 10**6, last_full)
    count = np.maximum(0, last_full - first_full + 1)

    st_group_start = np.ones(n_stretch, dtype=bool)
    st_group_start[1:] = st_sx[1:] != st_sx[:-1]
    cum = np.cumsum(count)
    group_base = np.maximum.accumulate(np.where(st_group_start, cum - count, 0))
    before = cum - count - group_base
    need = choices.FULL_SCHOOL_YEARS_FOR_END
    hit = (before < need) & (before + count >= need)
    twelfth_year = first_full + (need - before) - 1
    hit_sx = st_sx[hit]
    hit_year = twelfth_year[hit]
    result[hit_sx] = first_of_august(hit_year + 1) - 1
    return result


def _grouped_previous_cummax(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """For each row, the maximum of ``values`` over the earlier rows of its group (or -inf)."""
    # shift values into group-relative order using a large offset per group
    group = np.cumsum(group_start) - 1
    span = np.int64(4 * 10**9)
    shifted = values.astype(np.int64) + group * span
    running = np.maximum.accumulate(shifted)
    prev = np.empty_like(running)
    prev[0] = np.iinfo(np.int64).min
    prev[1:] = running[:-1]
    prev = prev - group * span
    prev[group_start] = np.iinfo(np.int64).min // 4
    return prev
