"""The tables of a read dataset as the database stores them (postcodes without spaces, rows of
one absence combined), for the checks and the writer alike."""

from __future__ import annotations

import polars as pl

from inbeeld.rules.exchange import MAX_HOURS_PER_DAY
from inbeeld.rules.model import Dataset

#: The identity of an absence (attendance.models.AbsenceRecord).
ABSENCE_IDENTITY = ("student_id", "start_date", "reason")


def tables_of(dataset: Dataset) -> dict[str, pl.DataFrame | None]:
    """The tables of ``dataset`` by file name (without suffix), as they are stored."""
    return {
        "schools": dataset.schools,
        "students": dataset.students.with_columns(_postcode(pl.col("postcode"))),
        "enrolments": dataset.enrolments,
        "absences": merged_absences(dataset.absences),
        "exemptions": dataset.exemptions,
        "calendar": dataset.calendar,
    }


def merged_absences(absences: pl.DataFrame) -> pl.DataFrame:
    """Rows of one file that share an absence's identity, combined into one row.

    RULES.md §3 adds up the hours of a day and reason (capped at the day's hours), so two rows
    ``L1, 2024-03-28, ziek, 3`` and ``L1, 2024-03-28, ziek, 4`` mean 7 hours that day, and a
    partial day next to a whole day is a whole day. The database keeps one row per identity
    (student, start date, reason), so such rows are stored as the one row that means the same to
    the rules: the latest end date, whole day (empty hours) when any row is, else the sum of the
    hours (capped at 24, above any school day). Rows that cannot be combined exactly (a longer
    partial-day row next to a shorter one) are refused by
    :func:`inbeeld.attendance.imports.checks._absence_merge_problems`.
    """
    key = pl.struct(list(ABSENCE_IDENTITY))
    if absences.height == 0 or not absences.select(key.is_duplicated().any()).item():
        return absences
    hours = pl.col("hours_per_day")
    return (
        absences.group_by(list(ABSENCE_IDENTITY), maintain_order=True)
        .agg(
            pl.col("end_date").max(),
            pl.when(hours.null_count() > 0)
            .then(pl.lit(None, pl.Float64()))
            .otherwise(hours.sum().clip(upper_bound=MAX_HOURS_PER_DAY))
            .alias("hours_per_day"),
        )
        .select(absences.columns)
    )


def _postcode(column: pl.Expr) -> pl.Expr:
    """Postcodes are stored without spaces, in capitals (``1234 ab`` → ``1234AB``)."""
    return column.str.replace_all(" ", "", literal=True).str.to_uppercase().alias("postcode")
