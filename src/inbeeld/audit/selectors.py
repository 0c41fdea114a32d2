"""Reading the audit trail (only through these; nobody edits it)."""

from __future__ import annotations

from django.db.models import QuerySet

from inbeeld.audit.models import AuditEvent


def access_history_of_student(*, student_id: int, limit: int = 200) -> QuerySet[AuditEvent]:
    """Who saw or changed this child's data, newest first (callers check the permission)."""
    return (
        AuditEvent.objects.filter(student_id=student_id)
        .select_related("user", "organisation")
        .order_by("-at", "-id")[:limit]
    )
