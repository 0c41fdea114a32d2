"""Reads of leave requests, limited to the acting organisation.

* a school sees the requests it registered for its pupils;
* a gemeente (leerplicht) sees the requests forwarded to it and those of the children living in
  its municipality;
* nobody else, and nobody without the permission to register or decide leave.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.leave.models import LeaveRequest
from inbeeld.people.models import Enrolment, Student
from inbeeld.people.selectors import school_of, students_visible_to


def may_see_leave(actor: Actor) -> bool:
    return actor.can(Permission.REGISTER_LEAVE_REQUEST) or actor.can(Permission.DECIDE_LEAVE)


def leave_requests_visible_to(*, actor: Actor) -> QuerySet[LeaveRequest]:
    if not may_see_leave(actor):
        return LeaveRequest.objects.none()
    organisation = actor.organisation
    match organisation.type:
        case OrganisationType.SCHOOL:
            scope = Q(school__organisation=organisation)
        case OrganisationType.GEMEENTE:
            scope = Q(forwarded_to=organisation) | Q(student__municipality_code=organisation.code)
        case _:
            return LeaveRequest.objects.none()
    return LeaveRequest.objects.filter(scope).select_related(
        "student", "school", "decided_by_organisation", "forwarded_to"
    )


def leave_request_for(*, actor: Actor, pk: int) -> LeaveRequest | None:
    """One request, if the actor may see it (None otherwise: the view answers 404)."""
    return leave_requests_visible_to(actor=actor).filter(pk=pk).first()


def pupils_for_leave(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Student]:
    """The pupils the actor's school may register leave for: those enrolled with it now."""
    school = school_of(actor=actor)
    if school is None or not actor.can(Permission.REGISTER_LEAVE_REQUEST):
        return Student.objects.none()
    on = on or timezone.localdate()
    enrolled = Enrolment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on), school=school, start_date__lte=on
    ).values("student_id")
    return (
        students_visible_to(actor=actor, on=on)
        .filter(pk__in=enrolled)
        .order_by("family_name", "given_names", "pk")
    )
