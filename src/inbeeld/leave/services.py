"""Writes of leave requests (LPW art. 13a and 14; issue 4 §5).

The law is ``rules.leave``, asked through ``selectors.assess`` (the child's school calendar and the
leave granted earlier in the same school year); this module stores the assessment with the request
and lets the right party decide: the school for what the law leaves to the head of the school, the
leerplichtambtenaar beyond ten school days. Every move of the state is one ``workflow`` allows,
recorded as a ``LeaveRequestStateChange``; every write runs in one transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission, require_permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.leave import workflow
from inbeeld.leave.models import LeaveRequest, LeaveRequestStateChange, LeaveState
from inbeeld.leave.selectors import assess, leerplicht_of
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify_who_may
from inbeeld.people.models import Student
from inbeeld.people.request_workflow import record_decision
from inbeeld.people.selectors import current_enrolment, require_visible, school_of
from inbeeld.rules import leave as rules_leave


class LeaveNotAllowedError(ValidationError):
    """The law forbids granting this request; ``messages`` are the reasons."""


def _today() -> dt.date:
    return timezone.localdate()


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
    (whose people are notified). A request the law forbids is stored as niet-ontvankelijk with
    its reasons (``refusals``, each a sentence citing its article): nothing is left to decide.
    ``record_refused``: such a request is recorded as refused at once instead, with the reasons
    (needs the permission to decide). Malformed input (an impossible period, an unknown kind, a
    reason too long) is refused with a ValidationError and nothing is stored."""
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
        requested_by=actor.stored_user,
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
    elif not assessment.may_be_granted:
        leave.state = LeaveState.NIET_ONTVANKELIJK
        leave.decision_note = " ".join(assessment.refusals)
    elif assessment.decided_by == rules_leave.LEERPLICHT:
        leave.state = LeaveState.DOORGESTUURD
        leave.forwarded_to = leerplicht_of(student, school)
    step = workflow.WORKFLOW.check_step(workflow.NEW, leave.state)
    leave.full_clean()
    leave.save()
    LeaveRequestStateChange.record_by(
        actor,
        request=leave,
        from_state=workflow.NEW,
        step=step,
        on=leave.decided_on or leave.requested_on,
        note=leave.decision_note,
    )
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
        notify_who_may(
            leave.forwarded_to,
            Permission.DECIDE_LEAVE,
            kind=NotificationKind.LEAVE,
            # never the reason: notifications travel by e-mail
            title=_("Verlofaanvraag van meer dan tien schooldagen doorgestuurd door %(school)s")
            % {"school": school.name},
            url=reverse("leave:detail", args=[leave.pk]),
        )
    return leave


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
    to_state = LeaveState.TOEGEKEND if grant else LeaveState.AFGEWEZEN
    step = workflow.WORKFLOW.check_transition(leave, to_state, actor)
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
        if not workflow.may_decide(actor, leave, assessment.decided_by):
            raise LeaveNotAllowedError(
                [_("Met het verlof dat intussen is verleend beslist nu de leerplichtambtenaar.")]
            )
    elif not note:
        raise ValidationError({"note": [_("Geef de reden van de afwijzing.")]})
    return record_decision(
        actor=actor,
        request=leave,
        to_state=to_state,
        step=step,
        note=note,
        on=on,
        history=LeaveRequestStateChange,
        what="verlofaanvraag",
    )
