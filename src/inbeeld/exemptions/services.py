"""Writes of exemption requests (issue 4 §4): register (checked against the law), ask the
samenwerkingsverband's advice, advise, decide (a grant lands in the exemptions register), and the
daily renewal reminder. What the law says is asked through ``selectors.check_request``; every move
of the state is one ``workflow`` allows, recorded as an ``ExemptionRequestStateChange``; every
write runs in one transaction with its audit event.
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
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.exemptions import workflow
from inbeeld.exemptions.models import (
    AdviceKind,
    ExemptionRequest,
    ExemptionRequestStateChange,
    RequestState,
    SwvAdvice,
)
from inbeeld.exemptions.renewals import renewals_due_among
from inbeeld.exemptions.selectors import check_request, request_problems
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify_who_may
from inbeeld.people.models import Exemption, Student
from inbeeld.people.request_workflow import record_decision, record_move
from inbeeld.people.selectors import current_enrolment, require_visible
from inbeeld.people.services import exemption_register

#: the longest justification of a grant against the advice (as the decision's note)
JUSTIFICATION_MAX_LENGTH = 2000


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def exemption_request_register(
    *,
    actor: Actor,
    student: Student,
    article: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    requested_on: dt.date | None = None,
    statement_date: dt.date | None = None,
    statement_by_treating_professional: bool = False,
    renewal: bool = False,
    attended_denomination_school_last_year: bool = False,
    permanent: bool = False,
) -> ExemptionRequest:
    """Record a request for vrijstelling for a child of the actor's municipality, with what the
    law says against it (stored as ``problems``)."""
    require_permission(actor, Permission.REGISTER_EXEMPTION_REQUEST)
    require_visible(actor=actor, student=student)  # 404, as the selectors answer
    if not workflow.is_leerplicht_of(actor, student):
        raise PermissionDenied(_("Dit kind woont niet in uw gemeente."))
    requested_on = requested_on or _today()
    values = {
        "article": article,
        "requested_on": requested_on,
        "start_date": start_date,
        "end_date": end_date,
        "statement_date": statement_date,
        "statement_by_treating_professional": bool(statement_by_treating_professional),
        "renewal": bool(renewal),
        "attended_denomination_school_last_year": bool(attended_denomination_school_last_year),
        "permanent": bool(permanent),
    }
    problems = check_request(student=student, **values)
    request = ExemptionRequest(
        student=student,
        problems=list(problems),
        municipality=actor.organisation,
        registered_by=actor.stored_user,
        **values,
    )
    step = workflow.WORKFLOW.check_step(workflow.NEW, request.state)
    request.full_clean()
    request.save()
    ExemptionRequestStateChange.record_by(
        actor,
        request=request,
        from_state=workflow.NEW,
        step=step,
        on=requested_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"vrijstellingsaanvraag {article} vanaf {start_date} vastgelegd"
        + (" (blijvend)" if request.permanent else ""),
        obj=request,
        student=student,
        detail={"problems": list(problems)},
    )
    return request


def _locked(request: ExemptionRequest) -> ExemptionRequest:
    return (
        ExemptionRequest.objects.select_for_update(of=("self",))
        .select_related("student", "municipality", "partnership")
        .get(pk=request.pk)
    )


@transaction.atomic
def exemption_request_ask_advice(
    *, actor: Actor, request: ExemptionRequest, on: dt.date | None = None
) -> ExemptionRequest:
    """Ask the samenwerkingsverband of the child's school what education is still possible; its
    advisers are notified (never the article or the reason: notifications travel by e-mail)."""
    request = _locked(request)
    step = workflow.WORKFLOW.check_transition(request, RequestState.ADVIES_GEVRAAGD, actor)
    enrolment = current_enrolment(student=request.student, on=on)
    partnership = enrolment.school.partnership if enrolment is not None else None
    if partnership is None:
        raise ValidationError(
            _(
                "Het kind staat niet ingeschreven bij een school met een samenwerkingsverband: "
                "er is niemand om advies aan te vragen."
            )
        )
    request.partnership = partnership
    request.advice_requested_on = on or _today()
    record_move(
        actor=actor,
        request=request,
        to_state=RequestState.ADVIES_GEVRAAGD,
        step=step,
        on=request.advice_requested_on,
        history=ExemptionRequestStateChange,
        changed=("partnership", "advice_requested_on"),
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"advies over vrijstellingsaanvraag {request.pk} gevraagd aan {partnership.code}",
        obj=request,
        student=request.student,
        detail={"state": request.state, "partnership": partnership.pk},
    )
    notify_who_may(
        partnership,
        Permission.ADVISE_EXEMPTION,
        kind=NotificationKind.EXEMPTION,
        title=_("Advies gevraagd over een vrijstellingsaanvraag (%(gemeente)s)")
        % {"gemeente": request.municipality.name},
        url=reverse("exemptions:detail", args=[request.pk]),
    )
    return request


@transaction.atomic
def exemption_request_advise(
    *,
    actor: Actor,
    request: ExemptionRequest,
    advice: str,
    education_still_possible: str,
    on: dt.date | None = None,
) -> SwvAdvice:
    """The samenwerkingsverband's advice on what education is still possible."""
    request = _locked(request)
    step = workflow.WORKFLOW.check_transition(request, RequestState.ADVIES_GEGEVEN, actor)
    if advice not in AdviceKind.values:
        raise ValidationError({"advice": [_("Kies het advies.")]})
    text = (education_still_possible or "").strip()
    if not text:
        raise ValidationError(
            {"education_still_possible": [_("Beschrijf welk onderwijs nog mogelijk is.")]}
        )
    given = SwvAdvice.objects.create(
        request=request,
        organisation=actor.organisation,
        user=actor.stored_user,
        advice=advice,
        education_still_possible=text,
        given_on=on or _today(),
    )
    record_move(
        actor=actor,
        request=request,
        to_state=RequestState.ADVIES_GEGEVEN,
        step=step,
        on=given.given_on,
        history=ExemptionRequestStateChange,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"advies over vrijstellingsaanvraag {request.pk}: {advice}",
        obj=given,
        student=request.student,
        detail={"request": request.pk, "advice": advice},
    )
    notify_who_may(
        request.municipality,
        Permission.DECIDE_EXEMPTION,
        kind=NotificationKind.EXEMPTION,
        title=_("Het samenwerkingsverband heeft advies gegeven over een vrijstellingsaanvraag"),
        url=reverse("exemptions:detail", args=[request.pk]),
    )
    return given


@transaction.atomic
def exemption_request_decide(
    *,
    actor: Actor,
    request: ExemptionRequest,
    grant: bool,
    note: str = "",
    justification: str = "",
    on: dt.date | None = None,
) -> ExemptionRequest:
    """Leerplicht's decision. A grant needs the samenwerkingsverband's advice and a request that
    meets the law's conditions (checked again now); it lands in the exemptions register. A grant
    against the advice (``ExemptionRequest.grant_goes_against_advice``) needs a ``justification``,
    kept with the decision and in the history's row; the rule is this service's alone, the screen
    and the API show its refusal. A refusal needs a reason."""
    request = _locked(request)
    to_state = RequestState.TOEGEKEND if grant else RequestState.AFGEWEZEN
    step = workflow.WORKFLOW.check_transition(request, to_state, actor)
    note = (note or "").strip()
    justification = (justification or "").strip()
    if justification and not grant:
        raise ValidationError(
            {
                "justification": [
                    _(
                        "Een motivering hoort bij toekennen tegen het advies in; de reden van een "
                        "afwijzing staat in de toelichting."
                    )
                ]
            }
        )
    if len(justification) > JUSTIFICATION_MAX_LENGTH:
        raise ValidationError(
            {
                "justification": [
                    _("De motivering is te lang (ten hoogste %(max)s tekens).")
                    % {"max": JUSTIFICATION_MAX_LENGTH}
                ]
            }
        )
    if grant:
        problems = request_problems(request)
        if problems:
            raise ValidationError([*problems])
        advice = request.latest_advice
        if request.grant_goes_against_advice and not justification:
            raise ValidationError(
                {
                    "justification": [
                        _(
                            "Het samenwerkingsverband adviseerde: %(advice)s. Wie de vrijstelling "
                            "toch toekent, motiveert waarom: vul de motivering in."
                        )
                        % {"advice": advice.get_advice_display()}
                    ]
                }
            )
        if justification and not request.grant_goes_against_advice:
            raise ValidationError(
                {
                    "justification": [
                        _(
                            "Dit besluit volgt het advies van het samenwerkingsverband: er is geen "
                            "afwijking te motiveren. Zet wat u wilt toelichten in de toelichting."
                        )
                    ]
                }
            )
        request.decision_justification = justification
        request.exemption = exemption_register(
            actor=actor,
            student=request.student,
            article=request.article,
            start_date=request.start_date,
            end_date=request.end_date,
            permanent=request.permanent,
        )
    elif not note:
        raise ValidationError({"note": [_("Geef de reden van de afwijzing.")]})
    return record_decision(
        actor=actor,
        request=request,
        to_state=to_state,
        step=step,
        note=note,
        on=on,
        history=ExemptionRequestStateChange,
        what="vrijstellingsaanvraag",
        changed=("exemption", "decision_justification") if grant else (),
        justification=justification,
    )


@transaction.atomic
def remind_renewals(*, on: dt.date | None = None) -> int:
    """Daily: tell leerplicht (who may decide) of every exemption whose renewal is due and not yet
    asked (``renewals.renewal_deadline``); once per exemption and deadline year. Returns how many
    exemptions were reminded of now."""
    on = on or _today()
    reminded = 0
    running = Exemption.objects.select_related("student")
    for exemption, deadline in renewals_due_among(running, on=on):
        gemeente = Organisation.objects.filter(
            type=OrganisationType.GEMEENTE, code=exemption.student.municipality_code
        ).first()
        created = notify_who_may(
            gemeente,
            Permission.DECIDE_EXEMPTION,
            kind=NotificationKind.EXEMPTION,
            # no name and no article: notifications travel by e-mail
            title=_("Een vrijstelling moet worden verlengd (uiterlijk %(deadline)s)")
            % {"deadline": deadline.strftime("%d-%m-%Y")},
            url=reverse("exemptions:renewals"),
            dedupe_key=f"vrijstelling-verlengen:{exemption.pk}:{deadline.year}",
        )
        if created:
            reminded += 1
            audit_record(
                actor=None,
                action=AuditAction.DETECT,
                summary=f"herinnering: vrijstelling {exemption.pk} verlengen vóór {deadline}",
                obj=exemption,
                student=exemption.student,
                organisation=gemeente,
                detail={"deadline": deadline.isoformat(), "notified": len(created)},
            )
    return reminded
