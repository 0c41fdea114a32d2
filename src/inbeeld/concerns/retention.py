"""Retention of concerns (issue 4 §1): active two years, deleted after five.

:func:`purge_concerns` deletes every concern whose ``delete_after`` day has passed, with its
matches and the involvement it gave, and records one audit event with only the counts. Run it
daily: ``inbeeld retention [--on YYYY-MM-DD]``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.concerns.models import Concern, Match
from inbeeld.people.models import Involvement

CHUNK = 500


@transaction.atomic
def purge_concerns(*, on: dt.date) -> int:
    """Delete the concerns to be deleted before ``on`` (their matches and involvement with them);
    returns how many concerns were deleted."""
    ids = list(Concern.objects.filter(delete_after__lt=on).values_list("pk", flat=True))
    matches = involvements = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        matches += Match.objects.filter(concern_a_id__in=chunk).delete()[0]
        matches += Match.objects.filter(concern_b_id__in=chunk).delete()[0]
        involvements += Involvement.objects.filter(
            source=Involvement.Source.CONCERN, source_id__in=chunk
        ).delete()[0]
        Concern.objects.filter(pk__in=chunk).delete()
    if ids:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            summary=f"bewaartermijn verstreken: {len(ids)} zorgen verwijderd",
            detail={
                "retention": "concerns",
                "on": on.isoformat(),
                "concerns": len(ids),
                "matches": matches,
                "involvements": involvements,
            },
        )
    return len(ids)
