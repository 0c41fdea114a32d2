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


def split_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (0-based) and day of month of day numbers."""
    as_date = days.astype("datetime64[D]")
    months = as_date.astype("datetime64[M]")
    month_index = months.astype(np.int64)
    day = (as_date - months).astype(np.int64) + 1
    return month_index // 12 + 1970, month_index % 12, day


def days_from(year: np.ndarray, month0: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers of (year, 0-based month, day of month)."""
    months = (year - 1970) * 12 + month0
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + day - 1


def birthdays(
    year: np.ndarray, month0: np.ndarray, day: np.ndarray, age: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``age``-th birthday as (year, month0, day); 29 February falls on 1 March in common years
    (RULES.md §2, ``choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR``)."""
    target = year + age
    leap = (target % 4 == 0) & ((target % 100 != 0) | (target % 400 == 0))
    fix = (month0 == 1) & (day == 29) & ~leap
    fix_month, fix_day = choices.LEAP_DAY_BIRTHDAY_IN_COMMON_YEAR
    return target, np.where(fix, fix_month - 1, month0), np.where(fix, fix_day, day)


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


def compute_duty(frames: Frames, cal: CalendarArrays) -> DutyArrays:
    """Leerplicht start and end, kwalificatieplicht end (RULES.md §2; LPW art. 3, 4a, 4b)."""
    students = frames.students
    birth = students["birth_date"].cast(pl.Int64).to_numpy()
    year, month0, day = split_days(birth)
    # leerplicht starts on the first school day on or after the 1st of the month after the 5th
    # birthday (art. 3 lid 1)
    y5, m5, _ = birthdays(year, month0, day, choices.LEERPLICHT_START_AGE)
    first_next = days_from(y5, m5 + 1, np.ones_like(y5))
    lp_start = cal.next_school_day[frames.home_region, cal.index(first_next)]
    # ... and ends on 31 July of the school year of the 16th birthday (art. 3 lid 1 onder b), or of
    # the 12th full school year when that is earlier (art. 3 lid 1 onder a)
    y16, m16, _ = birthdays(year, month0, day, choices.LEERPLICHT_END_AGE)
    by_age = first_of_august(y16 + (m16 >= 7)) - 1
    lp_end = np.minimum(by_age, _twelfth_full_year_end(frames, cal))
    # kwalificatieplicht: to the day before the 18th birthday or the startkwalificatie (art. 4b)
    y18, m18, d18 = birthdays(year, month0, day, choices.KWALIFICATIEPLICHT_END_AGE)
    kp_end = days_from(y18, m18, d18) - 1
    skq = students["startkwalificatie_date"].cast(pl.Int64).fill_null(-1).to_numpy()
    has_skq = skq >= 0
    kp_end = np.where(has_skq, np.minimum(kp_end, skq - 1), kp_end)
    exempt = students["kwalificatieplicht_exempt"].fill_null(False).to_numpy()
    no_kp = exempt | (has_skq & (skq <= lp_end)) | (kp_end <= lp_end)
    return DutyArrays(lp_start, lp_end, np.where(no_kp, -1, kp_end))


def _school_year_bounds(cal: CalendarArrays) -> tuple[int, np.ndarray, np.ndarray]:
    """First and last required day (``cal.full_year_required``: a school day in a covered school
    year, a weekday from 1 September to 30 June in another) of every school year in the calendar
    range, per region (RULES.md §7)."""
    first_year = cal.first.year - 1
    last_year = cal.last.year + 1
    years = np.arange(first_year, last_year + 1)
    aug1_days = first_of_august(years)
    jul31_days = first_of_august(years + 1) - 1
    regions = cal.school.shape[0]
    fsd = np.full((regions, years.size), -1, dtype=np.int64)
    lsd = np.full((regions, years.size), -1, dtype=np.int64)
    for r in range(regions):
        school_days = np.flatnonzero(cal.full_year_required[r]).astype(np.int64) + cal.offset
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


def _twelfth_full_year_end(frames: Frames, cal: CalendarArrays) -> np.ndarray:
    """31 July of the 12th full school year per student, or a far-future day.

    Leerplichtwet (art. 3 lid 1 onder a); RULES.md §2 and §7; the bulk form of ``duty.full_school_years``.

    A school year is full when the student was enrolled on every required day of the home region
    (``cal.full_year_required``: its school days when a calendar covers the year, else every
    weekday from 1 September to 30 June **(choice)**). Enrolments are merged into stretches that
    leave no required day uncovered; a stretch [s, e] holds the full years whose first required
    day is ≥ s and last required day ≤ e.
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
    next_school = cal.next_full_year_day[home, after - cal.offset]
    new_stretch = group_start | ((prev_max < OPEN_END) & (start > next_school))
    stretch_id = np.cumsum(new_stretch) - 1
    n_stretch = int(stretch_id[-1]) + 1 if stretch_id.size else 0
    st_sx = sx[new_stretch]
    st_home = home[new_stretch]
    st_start = start[new_stretch]
    st_end = np.maximum.reduceat(end, np.flatnonzero(new_stretch))

    first_year, fsd, lsd = _school_year_bounds(cal)
    y_start = cal.school_year[st_start - cal.offset]
    k = y_start - first_year
    first_full = np.where(fsd[st_home, k] >= st_start, y_start, y_start + 1)
    open_end = st_end >= OPEN_END
    safe_end = np.where(open_end, st_start, st_end)
    y_end = cal.school_year[safe_end - cal.offset]
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
