"""The school teams in the monitor's figures (issue 12 §6): the children on a list, by cause.

Registered with :mod:`inbeeld.monitor.extensions` by ``PreventionConfig.ready``. Counts only
(student ids go no further than the monitor's suppressed table); no child is shown.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from inbeeld.monitor.scope import FigureScope
from inbeeld.people.models import Student
from inbeeld.prevention.models import DiscussionCause, ListEntry


def school_team_causes(scope: FigureScope, on: dt.date) -> tuple[set[int], dict[str, set[int]]]:
    """The children in ``scope`` on a school team's list on ``on`` (put on it by then, not taken
    off before it), and per cause the children whose discussions up to ``on`` recorded it."""
    in_scope = Student.objects.filter(scope.students).values("pk")
    entries = ListEntry.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), added_on__lte=on, student__in=in_scope
    )
    children = set(entries.values_list("student_id", flat=True))
    per_cause: dict[str, set[int]] = {}
    for student_id, cause in (
        DiscussionCause.objects.filter(
            discussion__entry__in=entries, discussion__discussed_on__lte=on
        )
        .order_by()
        .values_list("discussion__entry__student_id", "cause")
    ):
        per_cause.setdefault(cause, set()).add(student_id)
    return children, per_cause
