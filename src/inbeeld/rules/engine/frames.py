"""The bulk engine's view of a Dataset: integer student and school indexes, day numbers.

Students are numbered ``sx`` in the order of students.csv, schools ``kx`` in the order of
schools.csv. Dates become day numbers (days since 1970-01-01); an open end is ``OPEN_END``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from inbeeld.rules.calendar import REGION_CODES, CalendarArrays, SchoolCalendar, base_region
from inbeeld.rules.model import (
    EXCUSED,
    FIVE_YEAR_OLD_LEAVE,
    LUXE,
    REASONS,
    SICK,
    UNEXCUSED,
    Dataset,
)

OPEN_END = 10**9
REASON_CODE = {reason: code for code, reason in enumerate(REASONS)}
UNEXCUSED_CODE, SICK_CODE, EXCUSED_CODE, LUXE_CODE, FIVE_YEAR_OLD_LEAVE_CODE = (
    REASON_CODE[reason] for reason in (UNEXCUSED, SICK, EXCUSED, LUXE, FIVE_YEAR_OLD_LEAVE)
)
#: Days of calendar before the first and after the last date in the data (12 lesweken windows
#: and school-year bounds must always fall inside the tables).
CALENDAR_MARGIN_DAYS = 400


def _region_code(values: pl.Series, keys: tuple[str, ...]) -> pl.Series:
    """The calendar row of each region or school calendar key (0: none). A school calendar the
    calendar does not know falls back on its region, as ``SchoolCalendar.is_school_day`` does."""
    rows = {name: code for code, name in enumerate(keys)}
    mapping = {
        value: rows.get(value, rows.get(base_region(value), 0))
        for value in values.drop_nulls().unique().to_list()
    }
    return values.replace_strict(mapping, default=0, return_dtype=pl.Int16)


def _day(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64)


@dataclass
class Frames:
    dataset: Dataset
    students: pl.DataFrame
    #: per school kx: region code and hours of a school day
    school_region: np.ndarray
    school_hours: np.ndarray
    school_brin: np.ndarray
    #: enrolments with sx, kx, s, e (OPEN_END when open), line, hours (the child's own timetable,
    #: NaN when not given: RULES.md §7 v2); sorted by sx, s, line
    enrolments_sorted: pl.DataFrame
    absences: pl.DataFrame
    #: exemptions.csv rows with sx, s, e (OPEN_END when open), article, permanent; which days
    #: each exempts: ``engine.exemptions.effective_exemptions``
    exemptions: pl.DataFrame

    @cached_property
    def home_region(self) -> np.ndarray:
        """Region code per student: students.csv ``region``, else the school of the earliest
        enrolment, else 0 (none): RULES.md §1."""
        own = self.students["rcode"].to_numpy().astype(np.int64)
        enrol = self.enrolments_sorted
        if enrol.height:
            sx = enrol["sx"].to_numpy()
            first = np.ones(sx.size, dtype=bool)
            first[1:] = sx[1:] != sx[:-1]
            from_school = np.zeros_like(own)
            from_school[sx[first]] = self.school_region[enrol["kx"].to_numpy()[first]]
            own = np.where(own > 0, own, from_school)
        return own


def _with_student_number(dataset: Dataset, name: str, index: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``sx``: taken from the exchange reader when it computed it while checking
    for unknown students (``Dataset.extra["student_index"]``), else joined here."""
    frame: pl.DataFrame = getattr(dataset, name)
    known = dataset.extra.get("student_index", {})
    numbers = known.get(name) if isinstance(known, dict) else None
    if isinstance(numbers, pl.Series) and numbers.len() == frame.height:
        return frame.with_columns(sx=numbers.cast(pl.Int64)).filter(pl.col("sx").is_not_null())
    return frame.join(index, on="student_id", how="inner")


def _enrolment_hours(enrolments: pl.DataFrame) -> pl.Expr:
    """enrolments.csv ``hours_per_day`` as Float64, NaN when not given (RULES.md §7 v2)."""
    if "hours_per_day" not in enrolments.columns:
        return pl.lit(float("nan"), dtype=pl.Float64)
    return pl.col("hours_per_day").cast(pl.Float64).fill_null(float("nan"))


def build_frames(dataset: Dataset, keys: tuple[str, ...] = REGION_CODES) -> Frames:
    """``keys``: the calendar's keys (``SchoolCalendar.keys``), so that region codes are rows of
    its tables."""
    students = dataset.students.with_row_index("sx").with_columns(
        pl.col("sx").cast(pl.Int64), rcode=_region_code(dataset.students["region"], keys)
    )
    index = students.select("student_id", "sx")
    schools = dataset.schools.with_row_index("kx").with_columns(pl.col("kx").cast(pl.Int64))
    enrolments = (
        _with_student_number(dataset, "enrolments", index)
        .join(schools.select("brin", "kx"), on="brin", how="inner")
        .select(
            "sx",
            "kx",
            s=_day("start_date"),
            e=_day("end_date").fill_null(OPEN_END),
            line=pl.col("line"),
            hours=_enrolment_hours(dataset.enrolments),
        )
        .sort("sx", "s", "line")
    )
    absences = (
        _with_student_number(dataset, "absences", index)
        .select(
            "sx",
            s=_day("start_date"),
            e=_day("end_date"),
            reason=pl.col("reason").replace_strict(REASON_CODE, return_dtype=pl.Int8),
            hours=pl.col("hours_per_day"),
        )
        .sort("sx", "s")
    )
    exemptions = _with_student_number(dataset, "exemptions", index)
    exemptions = exemptions.select(
        "sx",
        s=_day("start_date"),
        e=_day("end_date").fill_null(OPEN_END),
        article=pl.col("article"),
        permanent=(
            pl.col("permanent").fill_null(False)
            if "permanent" in exemptions.columns
            else pl.lit(False)
        ),
    )
    return Frames(
        dataset=dataset,
        students=students,
        school_region=_region_code(schools["region"], keys).to_numpy().astype(np.int64),
        school_hours=schools["hours_per_day"].to_numpy().astype(np.float64),
        school_brin=schools["brin"].to_numpy(),
        enrolments_sorted=enrolments,
        absences=absences,
        exemptions=exemptions,
    )


def calendar_range(frames: Frames, on: dt.date) -> tuple[dt.date, dt.date]:
    """The days the calendar tables must cover for this data set."""
    candidates: list[int] = [(on - dt.date(1970, 1, 1)).days]
    births = frames.students["birth_date"].cast(pl.Int64)
    if births.len():
        candidates += [int(births.min()) + 5 * 365, int(births.max()) + 20 * 366]  # type: ignore[arg-type]
    for frame in (frames.enrolments_sorted, frames.absences, frames.exemptions):
        if frame.height:
            candidates.append(int(frame["s"].min()))  # type: ignore[arg-type]
            ends = frame["e"].filter(frame["e"] < OPEN_END)
            if ends.len():
                candidates.append(int(ends.max()))  # type: ignore[arg-type]
    first = dt.date(1970, 1, 1) + dt.timedelta(days=min(candidates) - CALENDAR_MARGIN_DAYS)
    last = dt.date(1970, 1, 1) + dt.timedelta(days=max(candidates) + CALENDAR_MARGIN_DAYS)
    return first, last


def calendar_arrays(frames: Frames, calendar: SchoolCalendar, on: dt.date) -> CalendarArrays:
    first, last = calendar_range(frames, on)
    return calendar.arrays(first, last)
