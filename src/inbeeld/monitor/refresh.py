"""Recompute the thuiszitter episodes from the database (issue 5): ``inbeeld refresh-figures``.

:func:`refresh_episodes` reads the registry and the absences through ``attendance.facts`` (the one
adapter from rows to rules input), computes every child's episodes with
``rules.episodes.thuiszitter_episodes`` up to ``on``, and replaces the whole Episode table in one
transaction with bulk inserts (COPY on PostgreSQL). Episodes are derived data: nobody edits them,
each refresh writes them anew, and a :class:`FiguresRefresh` row records when and how many.

Where the child was at the start of an episode: the school of the enrolment that started last on
or before the start (for absoluut verzuim the school the child left; of two starting the same
day the later-created one), that school's samenwerkingsverband, and the child's municipality and
postcode area (the four digits) as registered now.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from inbeeld.attendance.facts import dataset_from_database
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.people.models import School
from inbeeld.rules.engine import calendar_for
from inbeeld.rules.episodes import thuiszitter_episodes

INSERT_BATCH = 10_000
#: Episode fields a refresh takes over as the episodes and the child's school give them
_TAKEN_OVER = (
    "category",
    "start_date",
    "end_date",
    "over_3_months_on",
    "counted_from",
    "school",
    "partnership",
)
#: Episode fields written by a refresh, in this order
FIELDS = ("student", *_TAKEN_OVER, "municipality_code", "postcode_area", "refresh")


def episode_rows(dataset, episodes: pl.DataFrame) -> pl.DataFrame:
    """The episodes with where the child was at the start (the columns of :data:`FIELDS`)."""
    schools = pl.DataFrame(
        list(School.objects.values_list("brin", "pk", "partnership_id")),
        schema={"brin": pl.String(), "school": pl.Int64(), "partnership": pl.Int64()},
        orient="row",
    )
    enrolments = (
        dataset.enrolments.sort("student_id", "start_date", "line")
        .unique(subset=["student_id", "start_date"], keep="last", maintain_order=True)
        .select("student_id", pl.col("start_date").alias("enrolled_from"), "brin")
        .sort("enrolled_from")
    )
    students = dataset.students.select(
        "student_id",
        pl.col("municipality").fill_null("").alias("municipality_code"),
        pl.col("postcode")
        .fill_null("")
        .str.replace_all(" ", "")
        .str.slice(0, 4)
        .alias("postcode_area"),
    ).with_columns(
        pl.when(pl.col("postcode_area").str.contains(r"^\d{4}$"))
        .then(pl.col("postcode_area"))
        .otherwise(pl.lit(""))
        .alias("postcode_area")
    )
    return (
        episodes.sort("start_date")
        .join_asof(
            enrolments,
            left_on="start_date",
            right_on="enrolled_from",
            by="student_id",
            strategy="backward",
            check_sortedness=False,  # both sorted by date; per student, as "by" needs
        )
        .join(schools, on="brin", how="left")
        .join(students, on="student_id", how="left")
        .select(
            pl.col("student_id").cast(pl.Int64()).alias("student"),
            *_TAKEN_OVER,
            pl.col("municipality_code").fill_null(""),
            pl.col("postcode_area").fill_null(""),
        )
        .sort("student", "start_date", "category")
    )


def _insert(rows: pl.DataFrame, refresh: FiguresRefresh) -> None:
    quote = connection.ops.quote_name
    table = quote(Episode._meta.db_table)
    columns = ", ".join(quote(Episode._meta.get_field(name).column) for name in FIELDS)
    frame = rows.with_columns(pl.lit(refresh.pk, dtype=pl.Int64()).alias("refresh"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(FIELDS))})"
        for start in range(0, frame.height, INSERT_BATCH):
            cursor.executemany(sql, frame.slice(start, INSERT_BATCH).rows())


def refresh_episodes(
    *, on: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> FiguresRefresh:
    """Recompute every thuiszitter episode up to ``on`` (default today) and replace the table."""
    say = progress or (lambda _message: None)
    on = on or timezone.localdate()
    started = time.perf_counter()
    say("reading the database")
    dataset = dataset_from_database()
    calendar = calendar_for(dataset)
    say(f"episodes of {dataset.students.height:,} students up to {on.isoformat()}")
    episodes = thuiszitter_episodes(dataset, on, calendar)
    rows = episode_rows(dataset, episodes)
    computed = time.perf_counter() - started
    say(f"storing {rows.height:,} episodes")
    with transaction.atomic():
        refresh = FiguresRefresh.objects.create(on_date=on)
        with connection.cursor() as cursor:  # derived data: all of it goes, no cascade to follow
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(Episode._meta.db_table)}")
        _insert(rows, refresh)
        by_category = dict(rows.group_by("category").len().iter_rows())
        refresh.counts = {
            "students": dataset.students.height,
            "episodes": rows.height,
            "by_category": {key: by_category[key] for key in sorted(by_category)},
            "ongoing": rows["end_date"].null_count(),
            "over_3_months": rows.height - rows["over_3_months_on"].null_count(),
            "compute_seconds": round(computed, 2),
            "seconds": round(time.perf_counter() - started, 2),
        }
        refresh.finished_at = timezone.now()
        refresh.save(update_fields=["counts", "finished_at"])
        audit_record(
            actor=None,
            action=AuditAction.DETECT,
            summary=f"Cijfers herberekend op {on.isoformat()}: {rows.height} episodes",
            obj=refresh,
            detail={"on": on.isoformat(), "counts": refresh.counts},
        )
    if connection.vendor == "postgresql" and rows.height >= 10_000:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Episode._meta.db_table)}")
    say(f"done in {time.perf_counter() - started:.1f} s")
    return refresh


def refresh_after_rules_upgrade(sender, *, run, previous_version, **kwargs) -> None:
    """Receiver of ``attendance.signals.rules_upgraded``: the first detection run under a new
    version of the rules (RULES.md §7) recomputed every status; the episodes, derived from the same
    rules, are computed again on the run's date."""
    refresh_episodes(on=run.on_date)


__all__ = ["FIELDS", "episode_rows", "refresh_after_rules_upgrade", "refresh_episodes"]
