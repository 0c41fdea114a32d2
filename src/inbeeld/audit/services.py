"""Writing the audit trail. Every service that reads a child's page, searches, imports or changes
anything calls :func:`audit_record` inside its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.db import models

from inbeeld.audit.models import AuditAction, AuditEvent

T = TypeVar("T")


class ActingParty(Protocol):
    """What the audit trail needs of an actor (``accounts.actor.Actor`` fits)."""

    user: Any
    organisation: Any
    ip: str | None


def audit_record(
    *,
    actor: ActingParty | None,
    action: AuditAction | str,
    summary: str = "",
    obj: models.Model | None = None,
    student: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    ip: str | None = None,
    username: str = "",
    organisation: Any = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event: who (user, organisation), when, what (action, object, summary), from where.

    Without an actor (logging in, a failed login, a system task) pass ``user`` and/or ``username``
    (the name tried at a failed login), ``organisation`` when known, and ``ip``.

    The event is stamped with the time and linked into the hash chain as it is inserted
    (``AuditEvent.save``; ``AuditEvent.objects.bulk_create`` links many at once the same way).
    """
    who = actor.user if actor is not None else user
    return AuditEvent.objects.create(
        user=who if getattr(who, "pk", None) else None,
        username=(getattr(who, "username", "") or username or "")[:150],
        organisation=actor.organisation if actor is not None else organisation,
        action=str(action),
        object_type=obj._meta.label if obj is not None else object_type[:60],
        object_id=str(obj.pk) if obj is not None else object_id[:64],
        student=student,
        summary=summary[:300],
        detail=detail or {},
        ip=(actor.ip if actor is not None else None) or ip,
    )


#: The action of an attempt the application refused (an out-of-scope or unknown object answered
#: 404). The row names the attempted object (``object_type``, ``object_id``), never a child: the
#: privacy officer lists these per user; a token used when expired or outside its scopes too.
REFUSED = AuditAction.REFUSED


def _student_id(value: Any) -> int | None:
    """A child given as a model instance, a primary key or None."""
    if value is None:
        return None
    return int(getattr(value, "pk", value))


def audit_record_views(
    *,
    actor: ActingParty,
    students: Iterable[Any],
    summary: str,
    action: AuditAction | str = AuditAction.VIEW,
    object_type: str = "",
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """Append one event per distinct child shown (a list, a form with a child, a worklist), each
    naming that child, so every child's access history shows the read. ``students``: Student
    instances or their primary keys, in any order, repeats and Nones allowed.

    One ``bulk_create``: a page of a hundred children costs one insert.
    """
    seen: dict[int, None] = {}
    for value in students:
        pk = _student_id(value)
        if pk is not None:
            seen.setdefault(pk, None)
    if not seen:
        return []
    user = actor.stored_user
    common = {
        "user": user,
        "username": (getattr(actor.user, "username", "") or "")[:150],
        "organisation": actor.organisation,
        "action": str(action),
        "object_type": object_type[:60],
        "summary": summary[:300],
        "ip": actor.ip,
    }
    events = [AuditEvent(student_id=pk, detail=dict(detail or {}), **common) for pk in seen]
    return AuditEvent.objects.bulk_create(events)


def children_shown(
    *,
    actor: ActingParty,
    rows: Iterable[T],
    summary: str,
    student: Callable[[T], Any] = lambda row: row.student_id,
    object_type: str = "",
    detail: dict[str, Any] | None = None,
) -> list[T]:
    """The rows a screen or the API is about to show, after recording one view per child in them
    (``student`` picks the child of a row: a Student, its id or None). Returns the rows as a list,
    so a caller shows exactly what was recorded: use it wherever children are listed."""
    shown = list(rows)
    audit_record_views(
        actor=actor,
        students=(student(row) for row in shown),
        summary=summary,
        object_type=object_type,
        detail=detail,
    )
    return shown


def audit_record_refused(
    *, actor: ActingParty | None, user: Any = None, object_type: str, object_id: str, summary: str
) -> AuditEvent:
    """An attempt that was refused (answered 404, as if the object did not exist): the attempted
    object (``object_type`` names the screen or endpoint, ``object_id`` the id asked for), never a
    link to a child, so nothing about the object leaks into anyone's view of a child."""
    return audit_record(
        actor=actor,
        user=user,
        action=REFUSED,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
    )
