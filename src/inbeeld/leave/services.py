"""Writes of leave requests (LPW art. 13a and 14; issue 4 §5).

The law is ``rules.leave``; this module gives it the child's school calendar (the region's school
days minus the school's own free days) and the leave granted earlier in the same school year, stores
the assessment with the request, and lets the right party decide: the school for what the law leaves
to the head of the school, the leerplichtambtenaar beyond ten school days. Every write runs in one
transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.accounts.selectors import members_who_may
from inbeeld.attendance.facts import calendar_from_database
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.leave.models import LeaveKind, LeaveRequest, LeaveState
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.people.models import School, Student
from inbeeld.people.selectors import current_enrolment, require_visible, school_of
from inbeeld.rules import leave as rules_leave
from inbeeld.rules.calendar import SchoolCalendar, school_calendar_key, school_year_end
from inbeeld.rules.calendar import school_year_start as year_start_of

#: a request longer than this is not a leave request (and would make the calendar walk long)
MAX_SPAN_DAYS = 366
#: dates outside these years are typing errors
FIRST_YEAR, LAST_YEAR = 1990, 2100


class LeaveNotAllowedError(ValidationError):
    """The law forbids granting this request; ``messages`` are the reasons."""


def _today() -> dt.date:
    return timezone.localdate()


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


@transaction.atomic
def leave_request_register(
    *,
    actor: Actor,
    student: Student,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    reason: str = "",
    employer_statement: bool = False,
    requested_on: dt.date | None = None,
    record_refused: bool = False,
) -> LeaveRequest:
    """Record the parents' request for leave for a pupil of the actor's school, with the law's
    assessment. More than ten school days for weighty circumstances is forwarded to leerplicht
    (whose people are notified). ``record_refused``: a request the law forbids is recorded as
    refused at once, with the reasons (needs the permission to decide)."""
    require_permission(actor, Permission.REGISTER_LEAVE_REQUEST)
    school = school_of(actor=actor)
    if school is None:
        raise PermissionDenied(_("Alleen een school legt een verlofaanvraag vast."))
    require_visible(actor=actor, student=student)  # 404, as the selectors answer
    enrolment = current_enrolment(student=student)
    if enrolment is None or enrolment.school_id != school.pk:
        raise PermissionDenied(_("Deze leerling staat nu niet ingeschreven bij uw school."))
    reason = (reason or "").strip()
    if len(reason) > LeaveRequest._meta.get_field("reason").max_length:
        raise ValidationError({"reason": [_("De reden is te lang (ten hoogste 300 tekens).")]})
    assessment = assess(
        student=student,
        school=school,
        kind=kind,
        start=start_date,
        end=end_date,
        employer_statement=employer_statement,
    )
    today = _today()
    leave = LeaveRequest(
        student=student,
        school=school,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        employer_statement=bool(employer_statement),
        requested_on=requested_on or today,
        requested_by=actor.user if getattr(actor.user, "pk", None) else None,
        requested_by_organisation=actor.organisation,
        school_days=assessment.school_days,
        decider=assessment.decided_by,
        refusals=list(assessment.refusals),
    )
    refused_now = record_refused and not assessment.may_be_granted
    if record_refused and assessment.may_be_granted:
        raise ValidationError(
            _("Deze aanvraag kan volgens de wet worden toegekend; leg haar vast als ingediend.")
        )
    if refused_now:
        require_permission(actor, Permission.DECIDE_LEAVE)
        leave.state = LeaveState.AFGEWEZEN
        leave.decision_note = "; ".join(assessment.refusals)
        leave.decided_by = leave.requested_by
        leave.decided_by_organisation = actor.organisation
        leave.decided_on = today
    elif assessment.decided_by == rules_leave.LEERPLICHT:
        leave.state = LeaveState.DOORGESTUURD
        leave.forwarded_to = leerplicht_of(student, school)
    leave.full_clean()
    leave.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"verlofaanvraag {kind} {start_date}–{end_date} vastgelegd ({leave.state})",
        obj=leave,
        student=student,
        detail={
            "school_days": assessment.school_days,
            "decided_by": assessment.decided_by,
            "refusals": list(assessment.refusals),
            "state": leave.state,
        },
    )
    if leave.state == LeaveState.DOORGESTUURD:
        notify(
            users=members_who_may(leave.forwarded_to, Permission.DECIDE_LEAVE),
            kind=NotificationKind.LEAVE,
            # never the reason: notifications travel by e-mail
            title=_("Verlofaanvraag van meer dan tien schooldagen doorgestuurd door %(school)s")
            % {"school": school.name},
            url=reverse("leave:detail", args=[leave.pk]),
            organisation=leave.forwarded_to,
        )
    return leave


def may_decide(actor: Actor, leave: LeaveRequest, decider: str | None = None) -> bool:
    """The permission to decide, and the acting organisation is the one the law names: the
    school of the request, or leerplicht (the gemeente it was forwarded to, or of the child)."""
    if not actor.can(Permission.DECIDE_LEAVE):
        return False
    organisation = actor.organisation
    decider = decider or leave.decider
    if decider == rules_leave.SCHOOL:
        return (
            organisation.type == OrganisationType.SCHOOL
            and leave.school.organisation_id == organisation.pk
        )
    return organisation.type == OrganisationType.GEMEENTE and (
        leave.forwarded_to_id == organisation.pk
        or leave.student.municipality_code == organisation.code
    )


@transaction.atomic
def leave_request_decide(
    *,
    actor: Actor,
    leave: LeaveRequest,
    grant: bool,
    note: str = "",
    on: dt.date | None = None,
) -> LeaveRequest:
    """Grant or refuse an open request. A grant the law forbids (asked again now, with the leave
    granted meanwhile) is refused with the reasons: ``LeaveNotAllowedError``."""
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("student", "school")
        .get(pk=leave.pk)
    )
    if not may_decide(actor, leave):
        raise PermissionDenied(_("U mag over deze verlofaanvraag niet beslissen."))
    if not leave.is_open:
        raise ValidationError(
            _("Over deze aanvraag is al beslist (%(state)s).")
            % {"state": leave.get_state_display()}
        )
    note = (note or "").strip()
    if grant:
        assessment = assess(
            student=leave.student,
            school=leave.school,
            kind=leave.kind,
            start=leave.start_date,
            end=leave.end_date,
            employer_statement=leave.employer_statement,
            exclude_pk=leave.pk,
        )
        if assessment.refusals:
            raise LeaveNotAllowedError(list(assessment.refusals))
        if not may_decide(actor, leave, assessment.decided_by):
            raise LeaveNotAllowedError(
                [_("Met het verlof dat intussen is verleend beslist nu de leerplichtambtenaar.")]
            )
    elif not note:
        raise ValidationError({"note": [_("Geef de reden van de afwijzing.")]})
    leave.state = LeaveState.TOEGEKEND if grant else LeaveState.AFGEWEZEN
    leave.decision_note = note
    leave.decided_by = actor.user if getattr(actor.user, "pk", None) else None
    leave.decided_by_organisation = actor.organisation
    leave.decided_on = on or _today()
    leave.save(
        update_fields=[
            "state",
            "decision_note",
            "decided_by",
            "decided_by_organisation",
            "decided_on",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"verlofaanvraag {leave.pk} {leave.state}",
        obj=leave,
        student=leave.student,
        detail={"state": leave.state},
    )
    return leave
