"""What the importing organisation may write: only schools, pupils and enrolments of its own scope
(:mod:`inbeeld.people.scope`; docs/authorization.md, "Imports" and "Identities across sources").

* schools.csv: a school writes its own BRIN and its locations; a gemeente the schools in its
  municipality (and new schools there; a school of another municipality may be listed, for the
  enrolments of its residents, only exactly as it is registered); a samenwerkingsverband only the
  schools already in its partnership, and it cannot move one to another partnership.
* students.csv: a ``student_id`` that is in use is matched only when that pupil is the
  importer's during the period the file covers for it; otherwise the row is refused without a word
  about that pupil. A file is about the period of its rows, not about today: the pupil is the
  importer's when it is in the importer's scope today (:func:`~inbeeld.people.scope.registry_scope`)
  or when the registry holds an enrolment of it at one of the importer's own schools that overlaps
  a row the file holds for it (enrolments.csv, absences.csv). So the same files can be imported
  again after the pupil left and moved away, while a pupil never in the importer's scope, or only
  at another time than the file's rows, stays refused; so does a former pupil whom the file would
  bring back into the scope today (an enrolment at an own school that the registry does not hold,
  or for a gemeente a residence in its municipality): the past is the importer's to correct, the
  pupil of today is not. The evidence is the stored registry, never
  the file (a file cannot vouch for itself); a residence is stored only as it is today, so a
  gemeente's former resident who was never enrolled at one of its schools is no longer its own. A
  new pupil must come into the scope by the import itself (enrolled at an own school; for a
  gemeente also: living in the municipality).
* enrolments.csv: only at the importer's own schools; a gemeente also enrols the children living
  in its municipality at schools elsewhere.

Every refused row is a :class:`Problem` with file, line and column; none names another child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.utils import timezone

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.imports.bulk import in_chunks
from inbeeld.attendance.imports.files import file_of
from inbeeld.attendance.imports.lines import Lines
from inbeeld.people.models import Enrolment, School, Student
from inbeeld.people.scope import own_schools, registry_scope, school_write_refusal
from inbeeld.rules.exchange import Problem

#: the organisations that import registry and absence data
IMPORTERS = (
    OrganisationType.GEMEENTE,
    OrganisationType.SCHOOL,
    OrganisationType.SAMENWERKINGSVERBAND,
)


def scope_problems(
    frames: dict[str, pl.DataFrame | None],
    directory: Path,
    organisation: Organisation,
    lines: Lines,
) -> list[Problem]:
    """Every row the organisation may not write, with file, line and column."""
    if organisation.type not in IMPORTERS:
        return [
            Problem(
                "",
                0,
                "",
                f"a {organisation.get_type_display()} does not import registry or absence data",
            )
        ]
    check = _ScopeCheck(frames, directory, organisation, lines)
    return [*check.calendar(), *check.schools(), *check.students(), *check.enrolments()]


@dataclass
class _ScopeCheck:
    frames: dict[str, pl.DataFrame | None]
    directory: Path
    organisation: Organisation
    lines: Lines

    def __post_init__(self) -> None:
        #: the BRINs of the file that are the importer's own schools (after the import)
        self.own_brins: set[str] = set()
        #: the student_ids of the file in use for pupils outside the importer's scope
        self.refused_students: set[str] = set()

    @property
    def kind(self) -> str:
        return self.organisation.type

    @property
    def code(self) -> str:
        return self.organisation.code

    def _file(self, table: str) -> str:
        return file_of(self.directory, table) or f"{table}.csv"

    def _rows(self, table: str) -> list[dict[str, Any]]:
        frame = self.frames[table]
        return [] if frame is None else frame.to_dicts()

    def _problems(self, table: str, found: list[tuple[int, str, str]]) -> list[Problem]:
        """Problems of ``table`` from (row index, column, message)."""
        file = self._file(table)
        at = self.lines(file, [row for row, _column, _message in found])
        return [
            Problem(file, line, column, message)
            for line, (_row, column, message) in zip(at, found, strict=True)
        ]

    # calendar.csv

    def calendar(self) -> list[Problem]:
        file = file_of(self.directory, "calendar")
        if (
            self.kind == OrganisationType.GEMEENTE
            or file is None
            or self.frames["calendar"] is None
        ):
            return []
        return [
            Problem(
                file,
                0,
                "",
                "only a gemeente imports the vacations of a region; a school adds its own free "
                "days on the page Vrije dagen",
            )
        ]

    # schools.csv

    def schools(self) -> list[Problem]:
        rows = self._rows("schools")
        brins = [r["brin"] for r in rows]
        stored: dict[str, School] = {}
        own: set[str] = set()
        for chunk in in_chunks(brins):
            stored.update(
                (s.brin, s)
                for s in School.objects.filter(brin__in=chunk).select_related("partnership")
            )
            own.update(
                own_schools(self.organisation).filter(brin__in=chunk).values_list("brin", flat=True)
            )
        found: list[tuple[int, str, str]] = []
        for index, row in enumerate(rows):
            problem = self._school_problem(row, stored.get(row["brin"]), row["brin"] in own)
            if problem is None:
                if row["brin"] in own or stored.get(row["brin"]) is None:
                    self.own_brins.add(row["brin"])
            else:
                found.append((index, *problem))
        return self._problems("schools", found)

    def _school_problem(
        self, row: dict[str, Any], school: School | None, own: bool
    ) -> tuple[str, str] | None:
        brin = row["brin"]
        column = school_write_refusal(
            self.organisation,
            brin=brin,
            municipality_code=row["municipality"],
            partnership_code=row["partnership"],
            stored=school,
            own=own,
        )
        if column is None:
            return None
        match self.kind, column:
            case OrganisationType.SCHOOL, _:
                return "brin", f"school {brin} is not the school you import for ({self.code})"
            case OrganisationType.SAMENWERKINGSVERBAND, "partnership":
                return "partnership", (
                    f"school {brin} is a member of samenwerkingsverband {self.code}; an "
                    "import cannot move it to another partnership"
                )
            case OrganisationType.SAMENWERKINGSVERBAND, _:
                return "brin", (
                    f"school {brin} is not a member of samenwerkingsverband {self.code}; an "
                    "import cannot add a school to the partnership"
                )
            case _, "municipality":
                return "municipality", (
                    f"school {brin} is in municipality {self.code}; an import cannot move it to "
                    "another municipality"
                )
        if school is not None and _as_stored(row) == _stored(school):
            return None  # named for the enrolments of the gemeente's residents, not changed
        return "brin", (
            f"school {brin} is not in municipality {self.code}: it can be named (for the "
            "enrolments of your residents) only exactly as it is registered; its own gemeente "
            "or school keeps its data"
        )

    # students.csv

    def students(self) -> list[Problem]:
        students = self.frames["students"]
        assert students is not None
        ids = students.get_column("student_id").to_list()
        existing: set[str] = set()
        in_scope: set[str] = set()
        scope = registry_scope(organisation=self.organisation, on=timezone.localdate())
        for chunk in in_chunks(ids):
            known = Student.objects.filter(external_id__in=chunk)
            existing.update(known.values_list("external_id", flat=True))
            if scope is not None:
                in_scope.update(known.filter(scope).values_list("external_id", flat=True))
        outside_today = existing - in_scope
        self.refused_students = outside_today - self._own_during_the_file(outside_today)
        student_id = pl.col("student_id")
        comes_in = student_id.is_in(sorted(self._enrolled_at_own_schools()))
        if self.kind == OrganisationType.GEMEENTE:
            comes_in = comes_in | (pl.col("municipality") == self.code)
        indexed = students.with_row_index("__row")
        refused = indexed.filter(student_id.is_in(sorted(self.refused_students)))
        outside = indexed.filter(~student_id.is_in(sorted(existing)) & ~comes_in)
        found = [
            (row, "student_id", self._in_use_message(value))
            for row, value in refused.select("__row", "student_id").iter_rows()
        ] + [
            (row, "student_id", self._outside_message(value))
            for row, value in outside.select("__row", "student_id").iter_rows()
        ]
        return self._problems("students", sorted(found))

    def _own_during_the_file(self, student_ids: set[str]) -> set[str]:
        """The pupils of ``student_ids`` with a stored enrolment at one of the importer's own
        schools that overlaps a row of the file for them (enrolments.csv, absences.csv)."""
        rows = [
            frame.filter(pl.col("student_id").is_in(sorted(student_ids))).select(
                "student_id", "start_date", "end_date"
            )
            for table in ("enrolments", "absences")
            if (frame := self.frames[table]) is not None
        ]
        periods = pl.concat(rows) if rows else None
        if periods is None or periods.height == 0:
            return set()
        stored: list[tuple[str, str, dt.date, dt.date | None]] = []
        for chunk in in_chunks(periods.get_column("student_id").unique().sort().to_list()):
            stored.extend(
                Enrolment.objects.filter(
                    school__in=own_schools(self.organisation), student__external_id__in=chunk
                ).values_list("student__external_id", "school__brin", "start_date", "end_date")
            )
        enrolled = pl.DataFrame(
            stored,
            schema={
                "student_id": pl.String,
                "brin": pl.String,
                "enrolled_from": pl.Date,
                "enrolled_to": pl.Date,
            },
            orient="row",
        )
        open_end = pl.lit(dt.date.max)
        overlapping = periods.join(enrolled, on="student_id").filter(
            (pl.col("start_date") <= pl.col("enrolled_to").fill_null(open_end))
            & (pl.col("enrolled_from") <= pl.col("end_date").fill_null(open_end))
        )
        former = set(overlapping.get_column("student_id").to_list())
        return former - self._claims_the_present(former, enrolled)

    def _claims_the_present(self, former: set[str], enrolled: pl.DataFrame) -> set[str]:
        """Of the former pupils the file may rewrite, those it would bring back into the
        importer's scope: an enrolment at an own school that the registry does not hold (same
        school, same start), or, for a gemeente, a residence in its municipality. The past of a
        pupil is the importer's to correct; claiming the pupil now is not (need-to-know: the
        pupil is another organisation's today)."""
        claims: set[str] = set()
        enrolments = self.frames["enrolments"]
        if enrolments is not None and self.own_brins:
            own = enrolments.filter(
                pl.col("student_id").is_in(sorted(former))
                & pl.col("brin").is_in(sorted(self.own_brins))
            ).select("student_id", "brin", "start_date")
            known = enrolled.select(
                "student_id", "brin", pl.col("enrolled_from").alias("start_date")
            )
            new = own.join(known, on=["student_id", "brin", "start_date"], how="anti")
            claims.update(new.get_column("student_id").to_list())
        students = self.frames["students"]
        if self.kind == OrganisationType.GEMEENTE and students is not None:
            moving_in = students.filter(
                pl.col("student_id").is_in(sorted(former)) & (pl.col("municipality") == self.code)
            )
            claims.update(moving_in.get_column("student_id").to_list())
        return claims

    def _in_use_message(self, student_id: str) -> str:
        return (
            f"student_id {student_id} is in use for a pupil outside the scope of "
            f"{self.organisation.name}: an import cannot change or enrol that pupil (a different "
            "child needs a student_id of its own)"
        )

    def _outside_message(self, student_id: str) -> str:
        if self.kind == OrganisationType.GEMEENTE:
            return (
                f"student {student_id} neither lives in municipality {self.code} nor is "
                "enrolled at a school in it (enrolments.csv): it would be outside your scope"
            )
        return (
            f"student {student_id} has no enrolment at a school of {self.organisation.name} "
            "(enrolments.csv): it would be outside your scope"
        )

    def _enrolled_at_own_schools(self) -> set[str]:
        enrolments = self.frames["enrolments"]
        if enrolments is None or not self.own_brins:
            return set()
        return set(
            enrolments.filter(pl.col("brin").is_in(sorted(self.own_brins)))
            .get_column("student_id")
            .to_list()
        )

    # enrolments.csv

    def enrolments(self) -> list[Problem]:
        enrolments, students = self.frames["enrolments"], self.frames["students"]
        assert enrolments is not None
        assert students is not None
        student_id = pl.col("student_id")
        # a refused pupil is reported once, on its students.csv line
        outside = ~pl.col("brin").is_in(sorted(self.own_brins)) & ~student_id.is_in(
            sorted(self.refused_students)
        )
        if self.kind == OrganisationType.GEMEENTE:
            residents = students.filter(pl.col("municipality") == self.code)
            outside = outside & ~student_id.is_in(residents.get_column("student_id").implode())
        bad = enrolments.with_row_index("__row").filter(outside)
        found = [
            (row, "brin", self._enrolment_message(brin, student))
            for row, brin, student in bad.select("__row", "brin", "student_id").iter_rows()
        ]
        return self._problems("enrolments", found)

    def _enrolment_message(self, brin: str, student_id: str) -> str:
        if self.kind == OrganisationType.GEMEENTE:
            return (
                f"school {brin} is not in municipality {self.code} and student {student_id} "
                "does not live in it: this enrolment is outside your scope"
            )
        return (
            f"school {brin} is not a school of {self.organisation.name}: an import enrols pupils "
            "only at its own schools"
        )


def _hours(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _as_stored(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["name"],
        row["sector"],
        row["region"],
        row["municipality"],
        _hours(row["hours_per_day"]),
        row["partnership"] or None,
    )


def _stored(school: School) -> tuple[Any, ...]:
    return (
        school.name,
        school.sector,
        school.region,
        school.municipality_code,
        _hours(school.hours_per_day),
        school.partnership.code if school.partnership else None,
    )
