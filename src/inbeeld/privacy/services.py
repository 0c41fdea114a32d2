"""What the privacy officer's screens record (issue 9): looking at a child's access history is a
view of that child; an inzage export is an export naming the child."""

from __future__ import annotations

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Student


def access_history_reviewed(*, actor: Actor, student: Student) -> None:
    require_permission(actor, Permission.REVIEW_ACCESS)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary="toegangsgeschiedenis bekeken (privacyfunctionaris)",
        obj=student,
        student=student,
    )


def subject_data_exported(*, actor: Actor, student: Student, fmt: str) -> None:
    """Record the AVG inzage export (art. 15) of this child, in this format."""
    require_permission(actor, Permission.EXPORT_SUBJECT_DATA)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"inzage-export AVG art. 15 ({fmt})",
        obj=student,
        student=student,
        detail={"format": fmt},
    )
