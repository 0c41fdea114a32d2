"""The input of the rules: schools, students, enrolments, absences, exemptions (RULES.md §6).

Two shapes of the same data:

* :class:`Dataset` holds Polars frames, one per exchange file, with typed columns; the bulk engine
  reads it and the exchange reader (``rules.exchange``) produces it.
* the frozen dataclasses below hold one child's rows for the simple reference implementation and for
  single-child questions; :func:`Dataset.student_records` turns frames into them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl

SECTORS = ("po", "so", "vo", "vso", "mbo")
#: absences.csv ``reason`` (RULES.md §3, §7): unexcused, sick, excused; v2 adds ``luxe`` (luxe
#: verzuim, LPW art. 11 f / 13a: unexcused leave around holidays) and ``11a`` (a five-year-old kept
#: home, LPW art. 11a).
REASONS = ("ongeoorloofd", "ziek", "geoorloofd", "luxe", "11a")
UNEXCUSED, SICK, EXCUSED, LUXE, FIVE_YEAR_OLD_LEAVE = REASONS
#: exemptions.csv ``article`` (RULES.md §6, §7). ``5a``/``5b``/``5c`` are LPW art. 5 onder a/b/c,
#: ``5a_trekkend`` is art. 5a (trekkend bestaan), ``15`` is art. 15; ``3a``/``3b`` are vervangende
#: leerplicht (art. 3a, 3b), kept and counted but never an exemption (v2).
ARTICLES = ("5a", "5b", "5c", "15", "3a", "3b", "5a_trekkend")
#: RULES.md §7: articles that make a student ``vrijgesteld`` (on the days their duty allows).
EXEMPTION_ARTICLES = ("5a", "5b", "5c", "5a_trekkend", "15")
#: RULES.md §7: art. 15 covers only days under kwalificatieplicht.
KWALIFICATIEPLICHT_ONLY_ARTICLES = ("15",)
#: RULES.md §7: vervangende leerplicht (art. 3a, 3b): no exemption; counted apart.
VERVANGENDE_LEERPLICHT_ARTICLES = ("3a", "3b")

#: Column types of the frames in a Dataset (after validation). ``line`` is the 1-based line of
#: the row in its file (the header is line 1), kept for messages and for the overlap tie-break.
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "schools": {
        "brin": pl.String(),
        "name": pl.String(),
        "sector": pl.String(),
        "region": pl.String(),
        "municipality": pl.String(),
        "hours_per_day": pl.Float64(),
        "partnership": pl.String(),
    },
    "students": {
        "student_id": pl.String(),
        "birth_date": pl.Date(),
        "municipality": pl.String(),
        "region": pl.String(),
        "startkwalificatie_date": pl.Date(),
        "kwalificatieplicht_exempt": pl.Boolean(),
        "bsn": pl.String(),
        "onderwijsnummer": pl.String(),
        "given_names": pl.String(),
        "family_name": pl.String(),
        "postcode": pl.String(),
    },
    "enrolments": {
        "student_id": pl.String(),
        "brin": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "hours_per_day": pl.Float64(),
        "line": pl.Int64(),
    },
    "absences": {
        "student_id": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "reason": pl.String(),
        "hours_per_day": pl.Float64(),
    },
    "exemptions": {
        "student_id": pl.String(),
        "article": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "permanent": pl.Boolean(),
    },
    "calendar": {
        "region": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "name": pl.String(),
    },
}


def empty_frame(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[name])


@dataclass(frozen=True, slots=True)
class School:
    brin: str
    sector: str
    region: str
    hours_per_day: float
    name: str = ""
    municipality: str = ""
    partnership: str | None = None


@dataclass(frozen=True, slots=True)
class Student:
    student_id: str
    birth_date: dt.date
    municipality: str = ""
    region: str | None = None
    startkwalificatie_date: dt.date | None = None
    kwalificatieplicht_exempt: bool = False


@dataclass(frozen=True, slots=True)
class Enrolment:
    brin: str
    start: dt.date
    end: dt.date | None = None
    line: int = 0
    #: RULES.md §7: the child's own timetable (hours of a school day) for this enrolment, replacing
    #: the school's hours for capping and for the whole-day test; None: the school's hours.
    hours_per_day: float | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Absence:
    start: dt.date
    end: dt.date
    reason: str
    hours_per_day: float | None = None


@dataclass(frozen=True, slots=True)
class Exemption:
    article: str
    start: dt.date
    end: dt.date | None = None
    #: RULES.md §7: an art. 5 onder a exemption "nooit geschikt" that does not lapse on 31 July.
    permanent: bool = False

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class StudentRecord:
    """Everything the rules need about one child."""

    student: Student
    enrolments: tuple[Enrolment, ...] = ()
    absences: tuple[Absence, ...] = ()
    exemptions: tuple[Exemption, ...] = ()


@dataclass
class Dataset:
    """One exchange directory, validated, as typed Polars frames (see SCHEMAS)."""

    schools: pl.DataFrame
    students: pl.DataFrame
    enrolments: pl.DataFrame
    absences: pl.DataFrame
    exemptions: pl.DataFrame
    calendar: pl.DataFrame | None = None
    source: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def schools_by_brin(self) -> dict[str, School]:
        return {
            row["brin"]: School(
                brin=row["brin"],
                sector=row["sector"],
                region=row["region"],
                hours_per_day=row["hours_per_day"],
                name=row["name"] or "",
                municipality=row["municipality"] or "",
                partnership=row["partnership"],
            )
            for row in self.schools.iter_rows(named=True)
        }

    def student_records(self) -> Iterator[StudentRecord]:
        """One record per student, in the order of students.csv (reference implementation)."""
        enrolments: dict[str, list[Enrolment]] = {}
        for row in self.enrolments.iter_rows(named=True):
            enrolments.setdefault(row["student_id"], []).append(
                Enrolment(
                    row["brin"],
                    row["start_date"],
                    row["end_date"],
                    row["line"],
                    row.get("hours_per_day"),
                )
            )
        absences: dict[str, list[Absence]] = {}
        for row in self.absences.iter_rows(named=True):
            absences.setdefault(row["student_id"], []).append(
                Absence(row["start_date"], row["end_date"], row["reason"], row["hours_per_day"])
            )
        exemptions: dict[str, list[Exemption]] = {}
        for row in self.exemptions.iter_rows(named=True):
            exemptions.setdefault(row["student_id"], []).append(
                Exemption(
                    row["article"],
                    row["start_date"],
                    row["end_date"],
                    bool(row.get("permanent")),
                )
            )
        for row in self.students.iter_rows(named=True):
            sid = row["student_id"]
            yield StudentRecord(
                student=Student(
                    student_id=sid,
                    birth_date=row["birth_date"],
                    municipality=row["municipality"] or "",
                    region=row["region"],
                    startkwalificatie_date=row["startkwalificatie_date"],
                    kwalificatieplicht_exempt=bool(row["kwalificatieplicht_exempt"]),
                ),
                enrolments=tuple(enrolments.get(sid, ())),
                absences=tuple(absences.get(sid, ())),
                exemptions=tuple(exemptions.get(sid, ())),
            )
