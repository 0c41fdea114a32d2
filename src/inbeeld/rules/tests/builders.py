"""Small builders for hand-computed rule tests: one child, one or two schools.

``both(record, on)`` runs the simple reference implementation (``analyse_student``) and the bulk
engine (``engine.analyse``) on the same child and returns both results in one comparable shape, so a
test states its expected rows once and checks them against both implementations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from inbeeld.rules.calendar import SchoolCalendar
from inbeeld.rules.engine import analyse
from inbeeld.rules.model import (
    SCHEMAS,
    Absence,
    Dataset,
    Enrolment,
    Exemption,
    School,
    Student,
    StudentRecord,
)
from inbeeld.rules.reference import StudentAnalysis, analyse_student

CALENDAR = SchoolCalendar()

#: Schools used by the hand-computed cases: one po (5 hours) and one vo (6 hours) per region.
SCHOOLS: dict[str, School] = {
    "01ZP": School("01ZP", "po", "zuid", 5.0, name="Zuid po"),
    "02ZV": School("02ZV", "vo", "zuid", 6.0, name="Zuid vo"),
    "03NP": School("03NP", "po", "noord", 5.0, name="Noord po"),
    "04NV": School("04NV", "vo", "noord", 6.0, name="Noord vo"),
    "05MP": School("05MP", "po", "midden", 5.0, name="Midden po"),
    "06MV": School("06MV", "vo", "midden", 6.0, name="Midden vo"),
    "07ZV": School("07ZV", "vo", "zuid", 6.0, name="Zuid vo 2"),
}
ZUID_PO, ZUID_VO, NOORD_PO, NOORD_VO, MIDDEN_PO, MIDDEN_VO, ZUID_VO_2 = SCHOOLS


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def weekdays(first: str, last: str) -> list[dt.date]:
    """Monday to Friday from ``first`` to ``last`` (for building absence rows day by day)."""
    out, day = [], d(first)
    while day <= d(last):
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def student(
    birth: str,
    *,
    sid: str = "S1",
    region: str | None = None,
    skq: str | None = None,
    exempt: bool = False,
) -> Student:
    return Student(
        student_id=sid,
        birth_date=d(birth),
        municipality="GM0014",
        region=region,
        startkwalificatie_date=d(skq) if skq else None,
        kwalificatieplicht_exempt=exempt,
    )


def enrol(
    brin: str, start: str, end: str | None = None, *, hours: float | None = None
) -> Enrolment:
    """``hours``: the child's own timetable (enrolments.csv hours_per_day, RULES.md §7 v2)."""
    return Enrolment(brin, d(start), d(end) if end else None, hours_per_day=hours)


def absent(start: str, end: str | None = None, reason: str = "ongeoorloofd", hours=None) -> Absence:
    return Absence(d(start), d(end or start), reason, hours)


def unexcused(start: str, end: str | None = None, hours: float | None = None) -> Absence:
    return absent(start, end, "ongeoorloofd", hours)


def sick(start: str, end: str | None = None, hours: float | None = None) -> Absence:
    return absent(start, end, "ziek", hours)


def exemption(
    article: str, start: str, end: str | None = None, *, permanent: bool = False
) -> Exemption:
    return Exemption(article, d(start), d(end) if end else None, permanent)


def record(
    stu: Student,
    enrolments: Sequence[Enrolment] = (),
    absences: Sequence[Absence] = (),
    exemptions: Sequence[Exemption] = (),
) -> StudentRecord:
    # give enrolments their line numbers in the order given (line 2 is the first data row)
    lined = tuple(
        Enrolment(e.brin, e.start, e.end, line=i + 2, hours_per_day=e.hours_per_day)
        for i, e in enumerate(enrolments)
    )
    return StudentRecord(stu, lined, tuple(absences), tuple(exemptions))


def dataset(records: Iterable[StudentRecord], schools: dict[str, School] = SCHOOLS) -> Dataset:
    """The Dataset (typed frames, SCHEMAS) holding ``records``, as the exchange reader makes it."""
    st, en, ab, ex = [], [], [], []
    line = 2
    for rec in records:
        s = rec.student
        st.append(
            {
                "student_id": s.student_id,
                "birth_date": s.birth_date,
                "municipality": s.municipality or "GM0014",
                "region": s.region,
                "startkwalificatie_date": s.startkwalificatie_date,
                "kwalificatieplicht_exempt": s.kwalificatieplicht_exempt,
            }
        )
        for e in rec.enrolments:
            en.append(
                {
                    "student_id": s.student_id,
                    "brin": e.brin,
                    "start_date": e.start,
                    "end_date": e.end,
                    "hours_per_day": e.hours_per_day,
                    "line": e.line or line,
                }
            )
            line += 1
        for a in rec.absences:
            ab.append(
                {
                    "student_id": s.student_id,
                    "start_date": a.start,
                    "end_date": a.end,
                    "reason": a.reason,
                    "hours_per_day": a.hours_per_day,
                }
            )
        for x in rec.exemptions:
            ex.append(
                {
                    "student_id": s.student_id,
                    "article": x.article,
                    "start_date": x.start,
                    "end_date": x.end,
                    "permanent": x.permanent,
                }
            )
    school_rows = [
        {
            "brin": k.brin,
            "name": k.name,
            "sector": k.sector,
            "region": k.region,
            "municipality": "GM0014",
            "hours_per_day": k.hours_per_day,
            "partnership": None,
        }
        for k in schools.values()
    ]

    def frame(name: str, rows: list[dict]) -> pl.DataFrame:
        schema = SCHEMAS[name]
        full = [{col: row.get(col) for col in schema} for row in rows]
        return pl.DataFrame(full, schema=schema)

    return Dataset(
        schools=frame("schools", school_rows),
        students=frame("students", st),
        enrolments=frame("enrolments", en),
        absences=frame("absences", ab),
        exemptions=frame("exemptions", ex),
    )


# -- one comparable shape for both implementations ----------------------------------------------

#: (rule, start_date, end_date, hours or None, brin)
MeldingRow = tuple[str, dt.date, dt.date, float | None, str | None]


@dataclass(frozen=True)
class StatusRow:
    duty: str
    leerplicht_start: dt.date
    leerplicht_end: dt.date
    kwalificatieplicht_end: dt.date | None
    category: str | None
    since: dt.date | None
    over_3_months: bool


@dataclass(frozen=True)
class Result:
    status: StatusRow
    meldingen: list[MeldingRow]

    def rules(self, *rules: str) -> list[MeldingRow]:
        return [m for m in self.meldingen if m[0] in rules]


def _hours(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _sorted(rows: Iterable[MeldingRow]) -> list[MeldingRow]:
    return sorted(rows, key=lambda m: (m[2], m[0], m[1]))


def from_reference(result: StudentAnalysis) -> Result:
    s = result.status
    return Result(
        StatusRow(
            s.duty,
            s.leerplicht_start,
            s.leerplicht_end,
            s.kwalificatieplicht_end,
            s.category,
            s.since,
            s.over_3_months,
        ),
        _sorted(
            (m.rule, m.start_date, m.end_date, _hours(m.hours), m.brin) for m in result.meldingen
        ),
    )


def from_bulk(status: pl.DataFrame, meldingen: pl.DataFrame, student_id: str) -> Result:
    rows = status.filter(pl.col("student_id") == student_id).rows(named=True)
    assert len(rows) == 1, rows
    s = rows[0]
    return Result(
        StatusRow(
            s["duty"],
            s["leerplicht_start"],
            s["leerplicht_end"],
            s["kwalificatieplicht_end"],
            s["category"],
            s["since"],
            bool(s["over_3_months"]),
        ),
        _sorted(
            (m["rule"], m["start_date"], m["end_date"], _hours(m["hours"]), m["brin"])
            for m in meldingen.filter(pl.col("student_id") == student_id).rows(named=True)
        ),
    )


def both(
    rec: StudentRecord,
    on: dt.date | str,
    *,
    schools: dict[str, School] = SCHOOLS,
    calendar: SchoolCalendar = CALENDAR,
) -> tuple[Result, Result]:
    """(reference result, bulk result) for one child on ``on``."""
    on = d(on) if isinstance(on, str) else on
    reference = from_reference(analyse_student(rec, schools, calendar, on))
    bulk_analysis = analyse(dataset([rec], schools), on, calendar)
    bulk = from_bulk(bulk_analysis.status, bulk_analysis.meldingen, rec.student.student_id)
    return reference, bulk


def m16(start: str, end: str, hours: float, brin: str) -> MeldingRow:
    return ("16_uur", d(start), d(end), float(hours), brin)


def lrv(start: str, end: str, brin: str) -> MeldingRow:
    return ("lrv", d(start), d(end), None, brin)


def mazl7(start: str, end: str, brin: str) -> MeldingRow:
    return ("mazl_7_dagen", d(start), d(end), None, brin)


def mazl4(start: str, end: str, brin: str) -> MeldingRow:
    return ("mazl_4_in_12", d(start), d(end), None, brin)
