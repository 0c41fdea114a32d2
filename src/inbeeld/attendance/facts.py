"""The one adapter from database rows to rules input (STYLE.md: ``attendance/facts.py``).

:func:`dataset_from_database` reads School, Student, Enrolment, Exemption, AbsenceRecord and the
regional SchoolFreePeriod rows into a rules :class:`~inbeeld.rules.model.Dataset` whose frames follow
``rules.model.SCHEMAS`` exactly. Rows are fetched with one query per table straight from a database
cursor (no model instances, no query per row) and turned into Polars frames in batches, so a
municipality of 100,000 students takes seconds.

Identity: the rules' ``student_id`` is the **primary key of Student as a string** (not the
exchange ``external_id``), so the engine's output maps back to rows without a lookup; ``line`` of an
enrolment is its primary key (the later-created of two enrolments starting on the same day wins,
as the later line of enrolments.csv does).

A school's own free days (``SchoolFreePeriod.school`` set) are not rules input: the rules know
school-free periods per region only (RULES.md §1). Regional periods replace the built-in vacations
of their region, as calendar.csv does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from inbeeld.attendance.models import AbsenceRecord
from inbeeld.people.models import Enrolment, Exemption, School, SchoolFreePeriod, Student
from inbeeld.rules import choices
from inbeeld.rules.calendar import SCHOOL_CALENDAR_SEPARATOR, SchoolCalendar, school_calendar_key
from inbeeld.rules.calendar import SchoolFreePeriod as RulesFreePeriod
from inbeeld.rules.model import SCHEMAS, Dataset, StudentRecord, empty_frame
from inbeeld.rules.model import School as RulesSchool

BATCH_ROWS = 50_000


def _frame(queryset: QuerySet, columns: list[str], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``queryset`` (a ``values_list`` in the order of ``columns``) on a raw cursor and return
    a Polars frame typed as ``schema`` (dates given as text by a backend are parsed)."""
    sql, params = queryset.query.sql_with_params()
    parts: list[pl.DataFrame] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH_ROWS):
            parts.append(pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None))
    if not parts:
        return pl.DataFrame(schema=schema)
    frame = pl.concat(parts, how="vertical_relaxed")
    exprs = []
    for name, dtype in schema.items():
        column = pl.col(name)
        if dtype == pl.Date() and frame.schema[name] == pl.String():
            column = column.str.to_date("%Y-%m-%d")
        elif dtype == pl.Boolean() and frame.schema[name] != pl.Boolean():
            column = column.cast(pl.Int64()) != 0
        exprs.append(column.cast(dtype).alias(name))
    return frame.select(exprs)


def _students(ids: Iterable[int] | None) -> QuerySet:
    queryset = Student.objects.all()
    return queryset.filter(pk__in=list(ids)) if ids is not None else queryset


def _restrict(queryset: QuerySet, ids: list[int] | None) -> QuerySet:
    return queryset.filter(student_id__in=ids) if ids is not None else queryset


def _as_string_id(frame: pl.DataFrame, column: str = "student_id") -> pl.DataFrame:
    return frame.with_columns(pl.col(column).cast(pl.String()))


#: the rules' student column → the Student field it is read from
STUDENT_FIELDS = {
    "student_id": "pk",
    "birth_date": "birth_date",
    "municipality": "municipality_code",
    "region": "region",
    "startkwalificatie_date": "startkwalificatie_date",
    "kwalificatieplicht_exempt": "kwalificatieplicht_exempt",
    "bsn": "bsn",
    "onderwijsnummer": "onderwijsnummer",
    "given_names": "given_names",
    "family_name": "family_name",
    "postcode": "postcode",
}


def dataset_from_database(*, student_ids: Iterable[int] | None = None) -> Dataset:
    """Every student (or only ``student_ids``) with their schools, enrolments, absences and
    exemptions, and the regional school-free periods, as a rules Dataset."""
    ids = list(student_ids) if student_ids is not None else None
    # -- students ----------------------------------------------------------------------------
    raw_students = _frame(
        _students(ids).order_by("pk").values_list(*STUDENT_FIELDS.values()),
        list(STUDENT_FIELDS),
        {**SCHEMAS["students"], "student_id": pl.Int64()},
    )
    students = _as_string_id(raw_students).with_columns(
        pl.col("region").replace("", None),
        pl.col("kwalificatieplicht_exempt").fill_null(False),
    )
    # -- enrolments --------------------------------------------------------------------------
    raw_enrolments = _frame(
        _restrict(Enrolment.objects.all(), ids)
        .order_by("pk")
        .values_list(
            "student_id",
            "school_id",
            "start_date",
            "end_date",
            Cast("hours_per_day", FloatField()),
            "pk",
        ),
        ["student_id", "school_id", "start_date", "end_date", "hours_per_day", "line"],
        {
            "student_id": pl.Int64(),
            "school_id": pl.Int64(),
            "start_date": pl.Date(),
            "end_date": pl.Date(),
            "hours_per_day": pl.Float64(),
            "line": pl.Int64(),
        },
    )
    # -- schools (all, or those the chosen students were ever enrolled at) ----------------------
    school_queryset = School.objects.all()
    if ids is not None:
        school_queryset = school_queryset.filter(pk__in=raw_enrolments["school_id"].to_list())
    raw_schools = _frame(
        school_queryset.order_by("pk").values_list(
            "pk",
            "brin",
            "name",
            "sector",
            "region",
            "municipality_code",
            Cast("hours_per_day", FloatField()),
            "partnership__code",
        ),
        [
            "school_id",
            "brin",
            "name",
            "sector",
            "region",
            "municipality",
            "hours_per_day",
            "partnership",
        ],
        {"school_id": pl.Int64(), **SCHEMAS["schools"]},
    )
    default_hours = pl.col("sector").replace_strict(
        choices.DEFAULT_HOURS_PER_DAY, default=None, return_dtype=pl.Float64()
    )
    # a school with free days of its own has its own calendar (its region's, plus those days)
    own_calendar = list(
        SchoolFreePeriod.objects.filter(school__isnull=False)
        .values_list("school_id", flat=True)
        .distinct()
    )
    raw_schools = raw_schools.with_columns(
        pl.col("hours_per_day").fill_null(default_hours),
        pl.when(pl.col("school_id").is_in(own_calendar))
        .then(pl.col("region") + SCHOOL_CALENDAR_SEPARATOR + pl.col("brin"))
        .otherwise(pl.col("region"))
        .alias("region"),
    )
    schools = raw_schools.select(list(SCHEMAS["schools"]))
    enrolments = _as_string_id(
        raw_enrolments.join(raw_schools.select("school_id", "brin"), on="school_id", how="inner")
        .sort("line")
        .select(list(SCHEMAS["enrolments"]))
    )
    # -- absences and exemptions -------------------------------------------------------------
    absences = _as_string_id(
        _frame(
            _restrict(AbsenceRecord.objects.all(), ids)
            .order_by()
            .values_list(
                "student_id",
                "start_date",
                "end_date",
                "reason",
                Cast("hours_per_day", FloatField()),
            ),
            list(SCHEMAS["absences"]),
            {**SCHEMAS["absences"], "student_id": pl.Int64()},
        )
    )
    exemptions = _as_string_id(
        _frame(
            _restrict(Exemption.objects.all(), ids)
            .order_by()
            .values_list("student_id", "article", "start_date", "end_date", "permanent"),
            list(SCHEMAS["exemptions"]),
            {**SCHEMAS["exemptions"], "student_id": pl.Int64()},
        )
    )
    return Dataset(
        schools=schools,
        students=students.select(list(SCHEMAS["students"])),
        enrolments=enrolments,
        absences=absences if absences.height else empty_frame("absences"),
        exemptions=exemptions if exemptions.height else empty_frame("exemptions"),
        calendar=regional_calendar_frame(),
        source="database",
    )


def regional_calendar_frame() -> pl.DataFrame | None:
    """The school-free periods stored in the database (None when there are none): a region's
    (replacing the built-in ones of that region) and a school's own free days, under the school's
    calendar key (``noord+12AB``: its region's periods plus its own, RULES.md §1)."""
    regional = list(
        SchoolFreePeriod.objects.filter(school__isnull=True)
        .exclude(region="")
        .order_by("start_date", "pk")
        .values_list("region", "start_date", "end_date", "name")
    )
    own = [
        (school_calendar_key(region, brin), start, end, name)
        for region, brin, start, end, name in SchoolFreePeriod.objects.filter(school__isnull=False)
        .order_by("start_date", "pk")
        .values_list("school__region", "school__brin", "start_date", "end_date", "name")
    ]
    rows = regional + own
    if not rows:
        return None
    return pl.DataFrame(rows, schema=SCHEMAS["calendar"], orient="row")


def calendar_from_database() -> SchoolCalendar:
    """The built-in calendar with the regions named in the database's periods replaced."""
    frame = regional_calendar_frame()
    overrides = None
    if frame is not None:
        overrides = [
            RulesFreePeriod(region, start, end, name or "")
            for region, start, end, name in frame.iter_rows()
        ]
    return SchoolCalendar.with_overrides(overrides)


@dataclass(frozen=True)
class StudentFacts:
    """One child as the rules see it, with what is needed to ask the rules about it."""

    record: StudentRecord
    schools: dict[str, RulesSchool]
    calendar: SchoolCalendar


def records_from_dataset(dataset: Dataset) -> dict[int, StudentRecord]:
    """The dataset's children one by one (reference implementation), by Student primary key."""
    return {int(record.student.student_id): record for record in dataset.student_records()}


def student_facts(*, student: Student, calendar: SchoolCalendar | None = None) -> StudentFacts:
    """One child's rules input (a handful of queries), for explanations and the child's page."""
    dataset = dataset_from_database(student_ids=[student.pk])
    record = next(dataset.student_records())
    return StudentFacts(
        record=record,
        schools=dataset.schools_by_brin(),
        calendar=calendar or calendar_from_database(),
    )


def school_day_counts(
    calendar: SchoolCalendar, spans: list[tuple[str, dt.date, dt.date]]
) -> list[int]:
    """School days from start to end (both included) in region, for many spans at once."""
    if not spans:
        return []
    first = min(start for _, start, _ in spans)
    last = max(end for _, _, end in spans)
    if last < first:
        return [0] * len(spans)
    arrays = calendar.arrays(first, last)
    out = []
    for region, start, end in spans:
        if end < start:
            out.append(0)
            continue
        row = arrays.row(region)
        a = (start - arrays.first).days
        b = (end - arrays.first).days
        out.append(int(arrays.ordinal[row, b] - (arrays.ordinal[row, a - 1] if a > 0 else 0)))
    return out


__all__ = [
    "StudentFacts",
    "calendar_from_database",
    "dataset_from_database",
    "records_from_dataset",
    "regional_calendar_frame",
    "school_day_counts",
    "student_facts",
]
