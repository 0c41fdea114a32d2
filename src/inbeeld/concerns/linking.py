"""Linking concerns registered by BSN and birth date to the child, once Inbeeld knows it (issue 9).

A registration whose BSN and birth date belong to no child in Inbeeld is kept as entered. The
daily run (``schedule.daily``) links every such concern to the child that has since appeared
(imported by a school or the gemeente) with exactly that BSN *and* birth date, and matches it with
the other organisations' active concerns about that child. Linking gives no sight of the child and
changes nothing the registering organisation sees of its own concern; only a match, as always,
tells both sides who else is involved. Running it twice links nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.concerns.models import Concern
from inbeeld.concerns.services import match_concern
from inbeeld.people.models import Student

CHUNK = 500


def _pending() -> list[tuple[int, str, dt.date]]:
    return list(
        Concern.objects.filter(student__isnull=True, birth_date__isnull=False)
        .exclude(bsn="")
        .order_by("pk")
        .values_list("pk", "bsn", "birth_date")
    )


def link_pending_concerns(*, on: dt.date) -> int:
    """Link the concerns waiting for their child; returns how many were linked."""
    pending = _pending()
    children: dict[tuple[str, dt.date], int] = {}
    for start in range(0, len(pending), CHUNK):
        bsns = {bsn for _pk, bsn, _birth in pending[start : start + CHUNK]}
        children.update(
            ((bsn, birth), pk)
            for pk, bsn, birth in Student.objects.filter(bsn__in=bsns).values_list(
                "pk", "bsn", "birth_date"
            )
        )
    linked = 0
    for pk, bsn, birth_date in pending:
        child = children.get((bsn, birth_date))
        if child is not None and _link(pk, child, on=on):
            linked += 1
    return linked


@transaction.atomic
def _link(pk: int, student_id: int, *, on: dt.date) -> bool:
    concern = (
        Concern.objects.select_for_update(of=("self",))
        .filter(pk=pk, student__isnull=True)
        .select_related("organisation", "user")
        .first()
    )
    if concern is None:  # linked meanwhile
        return False
    concern.student = Student.objects.get(pk=student_id)
    concern.save(update_fields=["student"])
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        summary="zorg gekoppeld aan de leerling met het gemelde BSN en de geboortedatum",
        obj=concern,
        student=concern.student,
    )
    if concern.is_active(on):
        match_concern(concern, on=on, actor=None)
    return True
