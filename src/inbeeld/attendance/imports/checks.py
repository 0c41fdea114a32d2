"""The checks an import makes beyond the exchange reader: those that need the database or its
limits (identities repeated, identifiers used twice or held by another child, values longer than a
column holds) and what the importing organisation may import. Each problem has file, line, column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from inbeeld.accounts.models import Organisation
from inbeeld.attendance.imports.bulk import in_chunks
from inbeeld.attendance.imports.files import ALLOWED_SUFFIXES, file_of
from inbeeld.attendance.imports.lines import Lines, RowLines
from inbeeld.attendance.imports.scope import scope_problems
from inbeeld.attendance.imports.tables import ABSENCE_IDENTITY, tables_of
from inbeeld.people.models import School, SchoolFreePeriod, Student
from inbeeld.rules.exchange import FILES, Problem
from inbeeld.rules.model import Dataset

#: (table, the columns that make a row's identity, what it is called in a message)
_IDENTITIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("enrolments", ("student_id", "brin", "start_date"), "enrolment"),
    ("exemptions", ("student_id", "article", "start_date"), "exemption"),
    ("calendar", ("region", "start_date", "end_date"), "school-free period"),
)

#: (table, column, most characters the database holds)
_LENGTHS: tuple[tuple[str, str, int], ...] = (
    ("schools", "name", School._meta.get_field("name").max_length or 0),
    ("schools", "partnership", Organisation._meta.get_field("code").max_length or 0),
    ("students", "student_id", Student._meta.get_field("external_id").max_length or 0),
    ("students", "given_names", Student._meta.get_field("given_names").max_length or 0),
    ("students", "family_name", Student._meta.get_field("family_name").max_length or 0),
    ("students", "postcode", Student._meta.get_field("postcode").max_length or 0),
    ("calendar", "name", SchoolFreePeriod._meta.get_field("name").max_length or 0),
)


def import_problems(dataset: Dataset, directory: Path, organisation: Organisation) -> list[Problem]:
    lines = Lines(directory)
    frames = tables_of(dataset)
    problems: list[Problem] = []
    problems.extend(scope_problems(frames, directory, organisation, lines))
    for table, keys, what in _IDENTITIES:
        frame = frames[table]
        file = file_of(directory, table)
        if frame is not None and file is not None and frame.height:
            problems.extend(_duplicate_rows(frame, keys, file, what, lines))
    absences_file = file_of(directory, "absences")
    if absences_file is not None:
        problems.extend(_absence_merge_problems(dataset.absences, absences_file, lines))
    for table, column, limit in _LENGTHS:
        frame = frames[table]
        file = file_of(directory, table)
        if frame is None or file is None or column not in frame.columns:
            continue
        long = frame.with_row_index("__row").filter(pl.col(column).str.len_chars() > limit)
        for line, value in zip(
            lines(file, long.get_column("__row").to_list()),
            long.get_column(column).to_list(),
            strict=True,
        ):
            problems.append(
                Problem(file, line, column, f"{column} {value} is longer than {limit} characters")
            )
    students_file = file_of(directory, "students") or "students.csv"
    for column in ("bsn", "onderwijsnummer"):
        problems.extend(
            _identifier_problems(frames["students"], column, students_file, lines)  # type: ignore[arg-type]
        )
    return _ordered(problems)


def _absence_merge_problems(absences: pl.DataFrame, file: str, lines: Lines) -> list[Problem]:
    """Rows sharing an absence's identity that cannot be stored as one row (see
    :func:`~inbeeld.attendance.imports.tables.merged_absences`): the rows reaching the latest end date are part-day and another
    row ends earlier."""
    key = pl.struct(list(ABSENCE_IDENTITY))
    indexed = absences.with_row_index("__row")
    shared = indexed.filter(key.is_duplicated())
    if shared.height == 0:
        return []
    last = pl.col("end_date").max()
    groups = shared.group_by(list(ABSENCE_IDENTITY)).agg(
        pl.col("__row").min().alias("__first"),
        pl.col("__row").filter(pl.col("__row") != pl.col("__row").min()).min().alias("__second"),
        (pl.col("hours_per_day").is_not_null() & (pl.col("end_date") == last))
        .any()
        .alias("__partial_last"),
        (pl.col("end_date") < last).any().alias("__shorter"),
    )
    bad = groups.filter(pl.col("__partial_last") & pl.col("__shorter")).sort("__second")
    problems = []
    for student, start, reason, first, second in bad.select(
        *ABSENCE_IDENTITY, "__first", "__second"
    ).iter_rows():
        (first_line,) = lines(file, [first])
        (line,) = lines(file, [second])
        problems.append(
            Problem(
                file,
                line,
                "end_date",
                f"absence of student {student} from {start} ({reason}) is also on line "
                f"{first_line} with another end date; rows with the same student, start date and "
                "reason are combined, which only works when the longest one is a whole-day "
                "absence (empty hours_per_day)",
            )
        )
    return problems


def _ordered(problems: list[Problem]) -> list[Problem]:
    order = {f"{name}{suffix}": i for i, name in enumerate(FILES) for suffix in ALLOWED_SUFFIXES}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.line, p.column))


def _duplicate_rows(
    frame: pl.DataFrame, keys: Sequence[str], file: str, what: str, lines: Lines
) -> list[Problem]:
    """Later rows repeating the identity of an earlier row (the first one is fine)."""
    key = pl.struct(list(keys))
    indexed = frame.select(*keys, *(["line"] if "line" in frame.columns else [])).with_row_index(
        "__row"
    )
    later = indexed.filter(~key.is_first_distinct())
    if later.height == 0:
        return []
    firsts = indexed.filter(key.is_first_distinct() & key.is_duplicated()).select(
        *keys, pl.col("__row").alias("__first")
    )
    joined = later.join(firsts, on=list(keys), how="left").sort("__row")
    rows = joined.get_column("__row").to_list()
    first_rows = joined.get_column("__first").to_list()
    if "line" in joined.columns:
        line_of = dict(
            zip(
                indexed.get_column("__row").to_list(),
                indexed.get_column("line").to_list(),
                strict=True,
            )
        )
        at = [line_of[r] for r in rows]
        first_at = [line_of[r] for r in first_rows]
    else:
        at, first_at = lines(file, rows), lines(file, first_rows)
    problems = []
    for values, line, first in zip(joined.select(keys).iter_rows(), at, first_at, strict=True):
        identity = ", ".join(f"{k} {v}" for k, v in zip(keys, values, strict=True))
        problems.append(
            Problem(file, line, keys[0], f"duplicate {what} ({identity}): first on line {first}")
        )
    return problems


def _identifier_problems(
    students: pl.DataFrame, column: str, file: str, lines: Lines
) -> list[Problem]:
    """A BSN or onderwijsnummer used twice in the file, or held by another child already."""
    given = students.with_row_index("__row").filter(pl.col(column).is_not_null())
    if given.height == 0:
        return []
    problems = _duplicate_rows(
        given.select(column, "__row").rename({"__row": "__orig"}),
        (column,),
        file,
        column,
        RowLines(lines, file, given.get_column("__row").to_list()),
    )
    pairs = dict(
        zip(
            given.get_column(column).to_list(),
            given.get_column("student_id").to_list(),
            strict=False,
        )
    )
    rows = dict(
        zip(given.get_column(column).to_list(), given.get_column("__row").to_list(), strict=False)
    )
    for chunk in in_chunks(list(pairs)):
        held = Student.objects.filter(**{f"{column}__in": chunk}).values_list(column, "external_id")
        for value, external_id in held:
            if pairs.get(value) != external_id:
                (line,) = lines(file, [rows[value]])
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        f"this {column} is already registered for another pupil; check the "
                        "number in your source",
                    )
                )
    return problems
