"""Service: absences sent in bulk by a school administration system (over the API), idempotent
by the client's own ``client_id``. The API only checks the fields and calls this.

Rules of a batch (all or nothing):

* every row names a student the acting organisation may see (by the exchange-format student_id);
* a ``client_id`` the organisation sent before identifies that absence: the same data again is
  *unchanged*, other data is *updated*;
* a new ``client_id`` for an absence already stored without one (an earlier file import with the
  same student, start date and reason) takes that absence over (*updated*); otherwise *created*;
* refused: a client_id or a (student, start_date, reason) twice in the batch, or a row that would
  collide with an absence registered under another client_id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from inbeeld.accounts.actor import Actor
from inbeeld.attendance.models import AbsenceRecord
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Student
from inbeeld.people.selectors import students_visible_to

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

#: {row index: {field: [messages]}}
Problems = dict[int, dict[str, list[str]]]


@dataclass(frozen=True)
class AbsenceRow:
    index: int
    client_id: str
    student_id: str  # the exchange-format student_id (Student.external_id)
    start_date: dt.date
    end_date: dt.date
    reason: str
    hours_per_day: Decimal | None = None


@dataclass(frozen=True)
class AbsenceRowResult:
    index: int
    client_id: str
    id: int
    result: str  # created, updated, unchanged


class AbsenceBatchRefusedError(Exception):
    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


@dataclass
class _Context:
    students: dict[str, Student]
    by_client: dict[str, AbsenceRecord]
    by_key: dict[tuple[int, dt.date, str], AbsenceRecord]


def _context(*, actor: Actor, rows: list[AbsenceRow], lock: bool = False) -> _Context:
    students = {
        s.external_id: s
        for s in students_visible_to(actor=actor).filter(
            external_id__in={r.student_id for r in rows}
        )
    }
    records = AbsenceRecord.objects.all()
    if lock:
        records = records.select_for_update()
    by_client = {
        a.client_id: a
        for a in records.filter(
            organisation=actor.organisation, client_id__in={r.client_id for r in rows}
        )
    }
    by_key = {
        (a.student_id, a.start_date, a.reason): a
        for a in records.filter(
            student__in=[s.pk for s in students.values()],
            start_date__in={r.start_date for r in rows},
        )
    }
    return _Context(students, by_client, by_key)


def _problems(*, actor: Actor, rows: list[AbsenceRow], context: _Context) -> Problems:
    problems: Problems = {}

    def add(index: int, field: str, message: str) -> None:
        problems.setdefault(index, {}).setdefault(field, []).append(message)

    first_client: dict[str, int] = {}
    first_key: dict[tuple[int, dt.date, str], int] = {}
    for row in rows:
        if row.client_id in first_client:
            add(
                row.index,
                "client_id",
                f"client_id komt al voor in rij {first_client[row.client_id]}",
            )
        else:
            first_client[row.client_id] = row.index
        if row.end_date < row.start_date:
            add(row.index, "end_date", "end_date ligt voor start_date")
        student = context.students.get(row.student_id)
        if student is None:
            add(
                row.index, "student_id", "onbekende leerling, of niet zichtbaar voor uw organisatie"
            )
            continue
        key = (student.pk, row.start_date, row.reason)
        if key in first_key:
            add(
                row.index,
                "start_date",
                f"dezelfde leerling, start_date en reason staan al in rij {first_key[key]}",
            )
            continue
        first_key[key] = row.index
        mine = context.by_client.get(row.client_id)
        other = context.by_key.get(key)
        if other is None or (mine is not None and other.pk == mine.pk):
            continue
        if mine is not None or other.client_id is not None:
            add(
                row.index,
                "start_date",
                "er is al een verzuimmelding met deze leerling, start_date en reason "
                "onder een andere client_id",
            )
    return problems


def absence_batch_problems(*, actor: Actor, rows: list[AbsenceRow]) -> Problems:
    """What is wrong with a batch, per row and field (empty when it can be stored)."""
    return _problems(actor=actor, rows=rows, context=_context(actor=actor, rows=rows))


def _same(record: AbsenceRecord, row: AbsenceRow, student: Student) -> bool:
    return (
        record.student_id == student.pk
        and record.start_date == row.start_date
        and record.end_date == row.end_date
        and record.reason == row.reason
        and record.hours_per_day == row.hours_per_day
    )


@transaction.atomic
def absences_bulk_save(*, actor: Actor, rows: list[AbsenceRow]) -> list[AbsenceRowResult]:
    """Store a batch of absences all or nothing; raises AbsenceBatchRefusedError naming each bad row."""
    context = _context(actor=actor, rows=rows, lock=True)
    problems = _problems(actor=actor, rows=rows, context=context)
    if problems:
        raise AbsenceBatchRefusedError(problems)
    results: list[AbsenceRowResult] = []
    for row in rows:
        student = context.students[row.student_id]
        record = context.by_client.get(row.client_id) or context.by_key.get(
            (student.pk, row.start_date, row.reason)
        )
        if record is None:
            record = AbsenceRecord.objects.create(
                student=student,
                start_date=row.start_date,
                end_date=row.end_date,
                reason=row.reason,
                hours_per_day=row.hours_per_day,
                organisation=actor.organisation,
                client_id=row.client_id,
            )
            result = CREATED
        elif record.client_id == row.client_id and _same(record, row, student):
            result = UNCHANGED
        else:
            record.student = student
            record.start_date = row.start_date
            record.end_date = row.end_date
            record.reason = row.reason
            record.hours_per_day = row.hours_per_day
            record.organisation = actor.organisation
            record.client_id = row.client_id
            record.save()
            result = UPDATED
        if result != UNCHANGED:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if result == CREATED else AuditAction.UPDATE,
                summary=(
                    f"API: verzuim {row.reason} {row.start_date}–{row.end_date} "
                    f"(client_id {row.client_id}) {'aangemaakt' if result == CREATED else 'gewijzigd'}"
                ),
                obj=record,
                student=student,
            )
        results.append(AbsenceRowResult(row.index, row.client_id, record.pk, result))
    counts = {k: sum(r.result == k for r in results) for k in (CREATED, UPDATED, UNCHANGED)}
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        summary=(
            f"API: {len(rows)} verzuimregels ontvangen: {counts[CREATED]} nieuw, "
            f"{counts[UPDATED]} gewijzigd, {counts[UNCHANGED]} ongewijzigd"
        ),
        detail={"source": "api", "counts": counts},
    )
    return results
