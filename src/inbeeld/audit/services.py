"""Writing the audit trail. Every service that reads a child's page, searches, imports or changes
anything calls :func:`audit_record` inside its own transaction."""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models

from inbeeld.audit.models import AuditAction, AuditEvent


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
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        student=student,
        summary=summary[:300],
        detail=detail or {},
        ip=(actor.ip if actor is not None else None) or ip,
    )
