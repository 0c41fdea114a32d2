"""Reads of leave requests, limited to the acting organisation.

* a school sees the requests it registered for its pupils;
* a gemeente (leerplicht) sees the requests forwarded to it and those of the children living in
  its municipality;
* nobody else, and nobody without the permission to register or decide leave.

And what the law says about a request (:func:`assess`): the child's school calendar (the region's
school days minus the school's own free days) and the leave granted earlier in the same school year,
given to ``rules.leave``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.facts import calendar_from_database
from inbeeld.leave.models import LeaveKind, LeaveRequest, LeaveRequestStateChange, LeaveState
from inbeeld.leave.workflow import OPEN_STATES
from inbeeld.people.models import Enrolment, School, Student
from inbeeld.people.selectors import school_of, search_students, students_visible_to
from inbeeld.rules import leave as rules_leave
from inbeeld.rules.calendar import SchoolCalendar, school_calendar_key, school_year_end
from inbeeld.rules.calendar import school_year_start as year_start_of

#: a request longer than this is not a leave request (and would make the calendar walk long)
MAX_SPAN_DAYS = 366
#: dates outside these years are typing errors
FIRST_YEAR, LAST_YEAR = 1990, 2100


def check_dates(start: dt.date, end: dt.date) -> None:
    """A clear message when the period itself is wrong (before the law is asked)."""
    errors: dict[str, list[str]] = {}
    for name, day in (("start_date", start), ("end_date", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[name] = [
                _("Kies een datum tussen %(first)s en %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
    if not errors and end < start:
        errors["end_date"] = [_("De einddatum ligt voor de begindatum.")]
    if not errors and (end - start).days >= MAX_SPAN_DAYS:
        errors["end_date"] = [_("Een verlofaanvraag beslaat ten hoogste een jaar.")]
    if errors:
        raise ValidationError(errors)


def school_calendar(
    school: School, calendar: SchoolCalendar | None = None
) -> tuple[SchoolCalendar, str]:
    """The calendar and key of a school: its region's school days minus its own free days.

    ``attendance.facts.calendar_from_database`` holds every school's own free days under the
    school's calendar key (``noord+12AB``); a school without own free days falls back to its region.
    """
    calendar = calendar or calendar_from_database()
    return calendar, school_calendar_key(school.region, school.brin)


def earlier_this_year(
    *, student: Student, start: dt.date, exclude_pk: int | None = None
) -> tuple[bool, int]:
    """Leave granted earlier in the school year of ``start``: any holiday leave (art. 13a lid 2:
    once per school year), and the school days of leave for weighty circumstances (art. 14
    lid 3)."""
    granted = LeaveRequest.objects.filter(
        student=student,
        state=LeaveState.TOEGEKEND,
        start_date__gte=year_start_of(start),
        start_date__lte=school_year_end(start),
    )
    if exclude_pk is not None:
        granted = granted.exclude(pk=exclude_pk)
    holiday = granted.filter(kind=LeaveKind.HOLIDAY).exists()
    weighty = sum(granted.filter(kind=LeaveKind.WEIGHTY).values_list("school_days", flat=True))
    return holiday, weighty


def assess(
    *,
    student: Student,
    school: School,
    kind: str,
    start: dt.date,
    end: dt.date,
    employer_statement: bool,
    exclude_pk: int | None = None,
    calendar: SchoolCalendar | None = None,
) -> rules_leave.LeaveAssessment:
    """What the law says about this request (``rules.leave``), with the school's calendar and the
    leave granted earlier this school year. Raises ValidationError for an impossible period."""
    check_dates(start, end)
    if kind not in rules_leave.KINDS:
        raise ValidationError({"kind": [_("Kies de soort verlof.")]})
    calendar, key = school_calendar(school, calendar)
    holiday, weighty = earlier_this_year(student=student, start=start, exclude_pk=exclude_pk)
    return rules_leave.assess_leave_request(
        kind=kind,
        start=start,
        end=end,
        region=key,
        calendar=calendar,
        holiday_leave_earlier_this_year=holiday,
        weighty_days_earlier_this_year=weighty,
        employer_statement=employer_statement,
    )


def leerplicht_of(student: Student, school: School) -> Organisation | None:
    """The gemeente (leerplicht) of the child's home municipality, else of the school's."""
    for code in (student.municipality_code, school.municipality_code):
        found = Organisation.objects.filter(type=OrganisationType.GEMEENTE, code=code).first()
        if found is not None:
            return found
    return None


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


#: the pupil search of the leave form: at least this many characters, at most this many pupils
PUPIL_SEARCH_MIN = 2
PUPIL_SEARCH_LIMIT = 10


def pupils_for_leave_matching(*, actor: Actor, query: str) -> list[Student]:
    """The pupils of ``pupils_for_leave`` that ``query`` names (name, BSN or student number; the
    one search of ``people.selectors.search_students``): none for fewer than PUPIL_SEARCH_MIN
    characters, at most PUPIL_SEARCH_LIMIT."""
    query = query.strip()
    if len(query) < PUPIL_SEARCH_MIN:
        return []
    return list(search_students(pupils_for_leave(actor=actor), query)[:PUPIL_SEARCH_LIMIT])


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


def state_changes_of(leave: LeaveRequest) -> list[LeaveRequestStateChange]:
    """The history of a request the actor sees (found through :func:`leave_request_for`)."""
    return list(leave.state_changes.select_related("organisation", "user"))


def leave_to_decide_for(*, actor: Actor) -> QuerySet[LeaveRequest]:
    """ "Vandaag": the open requests the actor's organisation is the one to decide (the school up
    to ten school days, leerplicht beyond: ``workflow.may_decide``), the first leave first (its
    start is the deadline of the decision)."""
    if not actor.can(Permission.DECIDE_LEAVE):
        return LeaveRequest.objects.none()
    organisation = actor.organisation
    match organisation.type:
        case OrganisationType.SCHOOL:
            ours = Q(decider=rules_leave.SCHOOL, school__organisation=organisation)
        case OrganisationType.GEMEENTE:
            ours = Q(decider=rules_leave.LEERPLICHT) & (
                Q(forwarded_to=organisation) | Q(student__municipality_code=organisation.code)
            )
        case _:
            return LeaveRequest.objects.none()
    return (
        leave_requests_visible_to(actor=actor)
        .filter(ours, state__in=OPEN_STATES)
        .order_by("start_date", "pk")
    )
