"""Writes of cases (issue 4 §2, §3, §6, §7).

Every function is keyword-only, runs in one transaction, checks who may do it
(``actor.can(Permission.X)`` and the case's scope), validates before it writes and appends its
audit event (student = the case's child; the summary never holds the content of a note, a view
or a medical detail). Notifications go through ``notifications.services.notify``.

Who may do what:

* open a case: ``OPEN_CASE``, for a child the actor may see; one open case per child;
* steer the case (team, escalation, outcome, state, disputes): the lead organisation
  (``OPEN_CASE`` there);
* contribute (actions, meetings, referrals, interventions, notes): every organisation that sees
  the case (``WORK_ON_CASES``);
* decide an escalation step: the deciding organisation (doorzettingsmacht), with
  ``DECIDE_ESCALATION``; or a member of the case team with ``OPEN_CASE`` "namens" the named
  decider, with the decider's name and the date of the decision;
* close a case: the lead, with a reason and an explicit confirmation, once no action of the plan
  is open (``workflow.refusal``); closing ends the team's memberships, each audited as when the
  lead ends one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, OrganisationType, User
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.attendance.models import Melding
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.cases import selectors
from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause, cause_label
from inbeeld.cases.disputes import (
    FOLLOW_UP,
    HEARING,
    RULING,
    DisputeBody,
    DisputeFacts,
    DisputeOutcome,
    DisputeParty,
    RulingFollowed,
)
from inbeeld.cases.disputes import check_step as check_dispute_step
from inbeeld.cases.models import (
    Action,
    Case,
    CaseCause,
    ClosingReason,
    ConsentBasis,
    Dispute,
    DisputeChange,
    EscalationStep,
    Intervention,
    Meeting,
    Note,
    OpenedFrom,
    Outcome,
    Referral,
    Relapse,
    StateChange,
    Step,
    TeamMember,
)
from inbeeld.cases.workflow import (
    CLOSE,
    CLOSED,
    FIRST_ACTION,
    IN_PROGRESS,
    OPEN_STATES,
    OPENED,
    OUTCOME,
    REOPEN,
    RETURNED,
    CaseFacts,
    check_transition,
)
from inbeeld.checks import invalid_if, line, not_after_today, not_in_future, today
from inbeeld.concerns.models import Match
from inbeeld.notifications.models import NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.people.models import Involvement, School, Student
from inbeeld.people.selectors import NotInScopeError, require_visible
from inbeeld.people.services import involvement_end, involvement_record
from inbeeld.rules.escalation import LADDER

#: the basis on which the lead organisation itself takes part, by its type
LEAD_BASIS = {
    OrganisationType.GEMEENTE: ConsentBasis.LEERPLICHT,
    OrganisationType.SCHOOL: ConsentBasis.ZORGPLICHT,
    OrganisationType.SAMENWERKINGSVERBAND: ConsentBasis.ZORGPLICHT,
}


class CaseAlreadyOpenError(ValidationError):
    """The child already has an open case; ``case`` is that case."""

    def __init__(self, case: Case):
        super().__init__(
            _("Er is al een open casus voor dit kind (casus %(pk)s); werk daarin verder.")
            % {"pk": case.pk},
            code="already_open",
        )
        self.case = case


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _audit(actor: Actor | None, case: Case, summary: str, obj: Any = None, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if obj is not None and obj is not case else AuditAction.UPDATE,
        summary=f"casus {case.pk}: {summary}",
        obj=obj if obj is not None else case,
        student=case.student,
        detail=detail or None,
    )


def _require_team(actor: Actor, case: Case) -> None:
    """The actor's organisation works on this case (and may: WORK_ON_CASES)."""
    if not selectors.cases_for(actor=actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("U werkt niet aan deze casus."))


def require_lead(actor: Actor, case: Case) -> None:
    """Only the lead organisation steers a case (team, escalation, outcome, state): the writes
    that do check it, and the API asks it before it reads a body."""
    if not selectors.is_lead(actor=actor, case=case):
        raise PermissionDenied(
            _("Alleen de organisatie die de casus leidt (%(lead)s) kan dit doen.")
            % {"lead": case.lead_organisation.name}
        )


def _require_open(case: Case) -> None:
    if case.state not in OPEN_STATES:
        raise ValidationError(_("Deze casus is afgesloten; heropen hem eerst bij een terugval."))


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update()
        .select_related("student", "lead_organisation")
        .get(pk=case.pk)
    )


def _locked(actor: Actor, case: Case, *, lead: bool = False, open_only: bool = False) -> Case:
    """The case, locked for a write, once the actor may make it: as its lead (``lead``) or as an
    organisation that works on it; with ``open_only`` only while the case is open."""
    case = _lock(case)
    (require_lead if lead else _require_team)(actor, case)
    if open_only:
        _require_open(case)
    return case


def _pending(row: Any, done: str, message: str) -> Any:
    """A part of the case, locked for its one step (ended, done, started, decided, ruled): refused
    with ``message`` once its field ``done`` is set."""
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if getattr(row, done) is not None:
        raise ValidationError(message)
    return row


def _add(actor: Actor, case: Case, model: Any, summary: Callable[[Any], str], **fields: Any) -> Any:
    """A new part of the case (a ``model`` row with ``fields``), audited with what ``summary``
    says of it."""
    obj = model.objects.create(case=case, **fields)
    _audit(actor, case, summary(obj), obj)
    return obj


def _save(row: Any, **changes: Any) -> Any:
    """``row`` with its ``changes`` saved (those fields only)."""
    for field, value in changes.items():
        setattr(row, field, value)
    row.save(update_fields=list(changes))
    return row


def _update(
    actor: Actor,
    case: Case,
    row: Any,
    summary: str,
    *,
    detail: dict[str, Any] | None = None,
    **changes: Any,
) -> Any:
    """The step on a part of the case: its ``changes`` saved, audited with ``summary`` (and
    ``detail``)."""
    _audit(actor, case, summary, _save(row, **changes), **(detail or {}))
    return row


def _text(value: str, field: str, message: str, limit: int = 300) -> str:
    """A line of text that must be given (``message`` when it is empty)."""
    return line(value, field, limit, required=message)


def _transition(
    *,
    actor: Actor | None,
    case: Case,
    to: str,
    on: dt.date,
    via: str,
    facts: CaseFacts | None = None,
    reason: str = "",
) -> str:
    """Move the case to ``to`` (made ``via`` a first action, an outcome, closing or reopening) if
    the workflow allows it now (ValidationError with its refusal otherwise); record the change
    (with ``reason``, e.g. why it was closed)."""
    from_state = case.state
    facts = facts or selectors.workflow_facts(case)
    step = check_transition(facts, to, on=on, via=via).step
    case.state = to
    case.closed_on = on if to == CLOSED else None
    if to != CLOSED:
        case.closing_reason = case.closing_reason_text = ""
    case.save(update_fields=["state", "closed_on", "closing_reason", "closing_reason_text"])
    StateChange.objects.create(
        case=case,
        from_state=from_state,
        to_state=to,
        on=on,
        step=step,
        reason=reason,
        user=actor.user if actor is not None else None,
        organisation=actor.organisation if actor is not None else None,
    )
    return step


def _working_users(organisation: Organisation) -> list[User]:
    """The active people of an organisation whose role lets them work on cases."""
    memberships = Membership.objects.filter(
        organisation=organisation, active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships if Permission.WORK_ON_CASES in permissions_of(m.role)]


def case_viewed(*, actor: Actor, case: Case) -> None:
    """Record that the actor opened the case page (the child's access history shows it)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"casus {case.pk} bekeken",
        obj=case,
        student=case.student,
    )


# -- opening --------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    student: Student,
    opened_from: str,
    melding: Melding | None = None,
    match: Match | None = None,
    source_reference: str = "",
    on: dt.date | None = None,
    role_in_case: str = "",
) -> Case:
    """Open a case for a child, led by the actor's organisation, with the actor in its team.

    From a melding (``melding``), a finding (the child is at home) or a concern match
    (``source_reference``). A child has at most one open case: a second is refused with
    :class:`CaseAlreadyOpenError`, which names the existing one.
    """
    if not actor.can(Permission.OPEN_CASE):
        raise PermissionDenied(_("Uw rol mag geen casus openen."))
    require_visible(actor=actor, student=student)  # 404, as the selectors answer
    invalid_if(
        opened_from not in OpenedFrom.values, "opened_from", _("Kies waaruit de casus voortkomt.")
    )
    if melding is not None and melding.student_id != student.pk:
        raise ValidationError({"melding": _("Deze melding gaat over een ander kind.")})
    if match is not None and match.student_id != student.pk:
        raise ValidationError({"match": _("Deze match gaat over een ander kind.")})
    if opened_from == OpenedFrom.MELDING and melding is None:
        raise ValidationError({"melding": _("Kies de melding waaruit de casus voortkomt.")})
    on = on or today()
    Student.objects.select_for_update().filter(pk=student.pk).first()  # one opening at a time
    existing = selectors.open_case_of(student=student)
    if existing is not None:
        raise CaseAlreadyOpenError(existing)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                student=student,
                lead_organisation=actor.organisation,
                state=OPENED,
                opened_on=on,
                opened_by=actor.user,
                opened_from=opened_from,
                source_melding=melding,
                source_match=match,
                source_reference=(source_reference or "")[:100],
            )
    except IntegrityError:  # opened by someone else at the same moment
        raise CaseAlreadyOpenError(selectors.open_case_of(student=student)) from None
    StateChange.objects.create(
        case=case,
        from_state="",
        to_state=OPENED,
        on=on,
        step=_("casus geopend"),
        user=actor.user,
        organisation=actor.organisation,
    )
    member = TeamMember.objects.create(
        case=case,
        user=actor.user,
        organisation=actor.organisation,
        role_in_case=(role_in_case or _("casusregisseur"))[:100],
        reason=_("leidt de casus"),
        consent_basis=LEAD_BASIS.get(actor.organisation.type, ConsentBasis.PARENTS),
        added_on=on,
        added_by=actor.user,
    )
    involvement_record(
        student=student,
        organisation=actor.organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=member.pk,
        since=on,
        user=actor.user,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"casus {case.pk} geopend ({case.get_opened_from_display()})",
        obj=case,
        student=student,
        detail={
            "opened_from": opened_from,
            "melding": melding.pk if melding else None,
            "match": match.pk if match else None,
        },
    )
    return case


# -- the team -------------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    actor: Actor,
    case: Case,
    user: User,
    organisation: Organisation,
    role_in_case: str,
    reason: str,
    consent_basis: str,
    on: dt.date | None = None,
) -> TeamMember:
    """Add a named professional of an organisation to the team, with the reason and the basis
    (consent or legal task) it rests on. Their organisation then sees the child (Involvement);
    they get a notification. Only for a case the actor sees and leads, about a child the actor
    sees (otherwise "not found", as the selectors answer: ``NotInScopeError``)."""
    if not selectors.cases_for(actor=actor).filter(pk=case.pk).exists():
        raise NotInScopeError(_("Niet gevonden."))
    case = _locked(actor, case, lead=True)
    require_visible(actor=actor, student=case.student)
    _require_open(case)
    role_in_case = _text(role_in_case, "role_in_case", _("Vul de rol in de casus in."), 100)
    reason = _text(reason, "reason", _("Vul in waarom deze professional meedoet."))
    invalid_if(
        consent_basis not in ConsentBasis.values,
        "consent_basis",
        _("Kies de grondslag (toestemming of taak)."),
    )
    memberships = Membership.objects.filter(
        user=user, organisation=organisation, active=True, user__is_active=True
    )
    if not any(Permission.WORK_ON_CASES in permissions_of(m.role) for m in memberships):
        raise ValidationError(
            {
                "user": _("%(user)s werkt niet (meer) in een casusrol bij %(org)s.")
                % {"user": user.get_full_name() or user.username, "org": organisation.name}
            }
        )
    if case.team.filter(user=user, organisation=organisation, ended_on__isnull=True).exists():
        raise ValidationError({"user": _("Deze professional zit al in het team.")})
    on = on or today()
    member = TeamMember.objects.create(
        case=case,
        user=user,
        organisation=organisation,
        role_in_case=role_in_case,
        reason=reason,
        consent_basis=consent_basis,
        added_on=on,
        added_by=actor.user,
    )
    involvement_record(
        student=case.student,
        organisation=organisation,
        source=Involvement.Source.CASE_TEAM,
        source_id=member.pk,
        since=on,
        user=user,
        actor=actor,
    )
    notify(
        users=[user],
        kind=NotificationKind.TEAM,
        title=_("U bent toegevoegd aan het team van casus %(pk)s") % {"pk": case.pk},
        body=_("%(lead)s heeft u toegevoegd als %(role)s.")
        % {"lead": case.lead_organisation.name, "role": role_in_case},
        url=case_url(case),
        organisation=organisation,
    )
    _audit(
        actor,
        case,
        f"{user.username} ({organisation.name}) aan het team toegevoegd",
        member,
        consent_basis=consent_basis,
    )
    return member


@transaction.atomic
def team_member_end(
    *, actor: Actor, member: TeamMember, reason: str = "", on: dt.date | None = None
) -> TeamMember:
    """End a membership (it stays in the history); the organisation's sight of the child through
    it ends the same day."""
    case = _locked(actor, member.case, lead=True)
    member = _pending(member, "ended_on", _("Deze professional zit al niet meer in het team."))
    on = on or today()
    if on < member.added_on:
        raise ValidationError({"on": _("Het einde ligt voor de datum van toevoegen.")})
    return _end_member(actor, case, member, on=on, reason=reason)


def _end_member(
    actor: Actor, case: Case, member: TeamMember, *, on: dt.date, reason: str
) -> TeamMember:
    """End a membership on ``on`` (it stays in the history) and the organisation's sight of the
    child through it, audited: by the lead, or when the case is closed."""
    involvement_end(source=Involvement.Source.CASE_TEAM, source_id=member.pk, on=on)
    return _update(
        actor,
        case,
        member,
        f"{member.user.username} uit het team",
        ended_on=on,
        end_reason=(reason or "").strip()[:300],
    )


# -- the plan -------------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    case: Case,
    description: str,
    due_date: dt.date,
    owner_organisation: Organisation | None = None,
    owner_user: User | None = None,
    agreed_on: dt.date | None = None,
) -> Action:
    """Add an agreed action to the plan. The first one sets the plan in motion (geopend → plan in
    uitvoering)."""
    case = _locked(actor, case, open_only=True)
    description = _text(description, "description", _("Beschrijf wat er gebeurt."))
    agreed_on = agreed_on or today()
    invalid_if(due_date is None, "due_date", _("Vul in wanneer de actie klaar moet zijn."))
    if due_date < agreed_on:
        raise ValidationError({"due_date": _("De uiterste datum ligt voor de datum van afspraak.")})
    if owner_user is not None and owner_organisation is None:
        member = selectors.active_team(case).filter(user=owner_user).first()
        owner_organisation = member.organisation if member else None
    owner_organisation = owner_organisation or actor.organisation
    team_orgs = {m.organisation_id for m in selectors.active_team(case)} | {
        case.lead_organisation_id
    }
    if owner_organisation.pk not in team_orgs:
        raise ValidationError({"owner": _("Wie de actie uitvoert moet in het team zitten.")})
    action = Action.objects.create(
        case=case,
        description=description,
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        agreed_on=agreed_on,
        due_date=due_date,
        created_by=actor.user,
    )
    if case.state == OPENED:
        _transition(actor=actor, case=case, to=IN_PROGRESS, on=agreed_on, via=FIRST_ACTION)
    _audit(actor, case, f"actie afgesproken, uiterlijk {due_date:%d-%m-%Y}", action)
    return action


@transaction.atomic
def action_done(*, actor: Actor, action: Action, on: dt.date | None = None) -> Action:
    """Mark an action done (it stays in the plan)."""
    case = _locked(actor, action.case)
    action = _open_action(action)
    return _update(actor, case, action, "actie afgerond", done_on=on or today(), done_by=actor.user)


def _open_action(action: Action) -> Action:
    """The action, locked, if it is neither done nor handed over (ValidationError otherwise)."""
    action = _pending(action, "done_on", _("Deze actie is al afgerond."))
    if action.handed_over_on is not None:
        raise ValidationError(
            _("Deze actie is al overgedragen aan %(to)s.") % {"to": action.handed_over_to}
        )
    return action


@transaction.atomic
def action_hand_over(*, actor: Actor, action: Action, to: str, on: dt.date | None = None) -> Action:
    """Hand an open action over to an organisation or person (outside the case, e.g. the new
    gemeente when the child moved): it no longer keeps the case from closing, and the plan and
    the timeline say to whom it went."""
    case = _locked(actor, action.case, open_only=True)
    action = _open_action(action)
    to = _text(
        to, "to", _("Vul in aan wie de actie is overgedragen (organisatie of persoon)."), 200
    )
    on = on or today()
    invalid_if(on < action.agreed_on, "on", _("De overdracht ligt voor de datum van afspraak."))
    return _update(
        actor,
        case,
        action,
        "actie overgedragen",
        detail={"to": to},
        handed_over_on=on,
        handed_over_to=to,
        handed_over_by=actor.user,
    )


# -- meetings, referrals, interventions -----------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    held_on: dt.date,
    attendees: Iterable[User] = (),
    other_attendees: str = "",
    child_view: str = "",
    parents_view: str = "",
    decisions: str = "",
    next_date: dt.date | None = None,
) -> Meeting:
    """Record a meeting: who was there, what the child and the parents said and want, what was
    decided, and when the next one is."""
    case = _locked(actor, case)
    invalid_if(kind not in Step.values, "kind", _("Kies het soort overleg."))
    invalid_if(held_on is None, "held_on", _("Vul de datum van het overleg in."))
    if next_date is not None and next_date <= held_on:
        raise ValidationError(
            {"next_date": _("De datum van het volgende overleg moet na dit overleg liggen.")}
        )
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        other_attendees=(other_attendees or "").strip()[:500],
        child_view=(child_view or "").strip(),
        parents_view=(parents_view or "").strip(),
        decisions=(decisions or "").strip(),
        next_date=next_date,
        recorded_by=actor.user,
        organisation=actor.organisation,
    )
    meeting.attendees.set(list(attendees))
    _audit(actor, case, f"{meeting.get_kind_display()} van {held_on:%d-%m-%Y} vastgelegd", meeting)
    return meeting


@transaction.atomic
def referral_request(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    requested_on: dt.date,
    provider: str = "",
    blocks_return: bool = True,
) -> Referral:
    case = _locked(actor, case, open_only=True)
    invalid_if(kind not in Referral.Kind.values, "kind", _("Kies waarheen verwezen is."))
    invalid_if(requested_on is None, "requested_on", _("Vul de datum van de aanvraag in."))
    return _add(
        actor,
        case,
        Referral,
        lambda referral: f"verwijzing {referral.get_kind_display()} aangevraagd",
        kind=kind,
        provider=(provider or "").strip()[:200],
        requested_on=requested_on,
        blocks_return=bool(blocks_return),
        created_by=actor.user,
    )


@transaction.atomic
def referral_started(*, actor: Actor, referral: Referral, on: dt.date | None = None) -> Referral:
    case = _locked(actor, referral.case)
    referral = _pending(referral, "started_on", _("Deze verwijzing is al gestart."))
    on = on or today()
    if on < referral.requested_on:
        raise ValidationError({"on": _("De start ligt voor de aanvraag.")})
    return _update(
        actor, case, referral, f"verwijzing {referral.get_kind_display()} gestart", started_on=on
    )


@transaction.atomic
def intervention_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    description: str = "",
) -> Intervention:
    case = _locked(actor, case, open_only=True)
    invalid_if(kind not in Intervention.Kind.values, "kind", _("Kies de soort voorziening."))
    invalid_if(start_date is None, "start_date", _("Vul de begindatum in."))
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("De einddatum ligt voor de begindatum.")})
    return _add(
        actor,
        case,
        Intervention,
        lambda intervention: f"{intervention.get_kind_display()} vastgelegd",
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=(description or "").strip()[:300],
        created_by=actor.user,
    )


# -- causes (issue 12 §6) -------------------------------------------------------------------------


@transaction.atomic
def cause_add(
    *,
    actor: Actor,
    case: Case,
    cause: str,
    description: str = "",
    noted_on: dt.date | None = None,
) -> CaseCause:
    """Record a cause of the child's thuiszitten (``causes.Cause``) on an open case, by an
    organisation that works on it; "anders" needs a description. A cause that is already open on
    the case is refused (it is recorded once until it ends); "anders" may be there more than
    once, each with its own text."""
    case = _locked(actor, case, open_only=True)
    invalid_if(cause not in Cause.values, "cause", _("Kies een oorzaak uit de lijst."))
    description = line(description, "description", DESCRIPTION_LIMIT)
    invalid_if(
        cause == Cause.OTHER and not description,
        "description",
        _("Omschrijf de oorzaak bij ‘anders’."),
    )
    noted_on = not_after_today(noted_on, "noted_on")
    invalid_if(
        cause != Cause.OTHER and case.causes.filter(cause=cause, ended_on__isnull=True).exists(),
        "cause",
        _("Deze oorzaak staat al open bij deze casus."),
    )
    return _add(
        actor,
        case,
        CaseCause,
        lambda row: f"oorzaak {cause_label(row.cause)} vastgelegd",
        cause=cause,
        description=description,
        noted_on=noted_on,
        noted_by=actor.user,
        noted_by_organisation=actor.organisation,
    )


@transaction.atomic
def cause_end(
    *, actor: Actor, cause: CaseCause, reason: str = "", on: dt.date | None = None
) -> CaseCause:
    """A cause that no longer applies: ended on ``on`` (not before it was recorded, not in the
    future) with why; it stays in the history. Ending it twice is refused."""
    case = _locked(actor, cause.case)
    cause = _pending(cause, "ended_on", _("Deze oorzaak is al beëindigd."))
    reason = line(reason, "reason", 300)
    on = not_after_today(on, "on")
    invalid_if(
        on < cause.noted_on,
        "on",
        _("Het einde ligt voor de datum waarop de oorzaak is vastgelegd."),
    )
    return _update(
        actor,
        case,
        cause,
        f"oorzaak {cause_label(cause.cause)} beëindigd",
        ended_on=on,
        end_reason=reason,
        ended_by=actor.user,
    )


# -- escalation -----------------------------------------------------------------------------------


@transaction.atomic
def escalate(
    *,
    actor: Actor,
    case: Case,
    step: str,
    reason: str,
    deciding_organisation: Organisation,
    deciding_user: User | None,
    deadline: dt.date,
    on: dt.date | None = None,
) -> EscalationStep:
    """Take the case a step up the ladder (school team → bovenschools team → doorbraakoverleg),
    with the reason, the organisation that decides, the person there who decides (an active user
    of it whose role may decide: ``selectors.deciders``) and a deadline. The team and the deciding
    organisation's professionals are notified, the named decider among them."""
    case = _locked(actor, case, lead=True, open_only=True)
    invalid_if(step not in LADDER, "step", _("Kies een stap op de ladder."))
    current = LADDER.index(case.escalation_step) if case.escalation_step else -1
    if LADDER.index(step) <= current:
        raise ValidationError(
            {
                "step": _("De casus staat al op %(step)s; opschalen gaat alleen omhoog.")
                % {"step": selectors.step_label(case.escalation_step)}
            }
        )
    reason = _text(reason, "reason", _("Vul de reden van opschalen in."), 2000)
    on = on or today()
    if deadline is None or deadline < on:
        raise ValidationError(
            {"deadline": _("De termijn voor het besluit mag niet in het verleden liggen.")}
        )
    invalid_if(deciding_organisation is None, "deciding_organisation", _("Kies wie beslist."))
    _require_decider(deciding_organisation, deciding_user, "deciding_user")
    proposal = selectors.proposal_for(case=case, on=on)
    escalation_step = EscalationStep.objects.create(
        case=case,
        step=step,
        on=on,
        reason=reason,
        deciding_organisation=deciding_organisation,
        deciding_user=deciding_user,
        deadline=deadline,
        proposed_reasons=list(proposal.reasons) if proposal and proposal.to_step == step else [],
        created_by=actor.user,
    )
    case.escalation_step = step
    case.save(update_fields=["escalation_step"])
    users = selectors.team_users(case) + _working_users(deciding_organisation) + [deciding_user]
    decider = deciding_user.get_full_name() or deciding_user.username
    notify(
        users=list({u.pk: u for u in users if u.pk != actor.user.pk}.values()),
        kind=NotificationKind.ESCALATION,
        title=_("Casus %(pk)s opgeschaald naar %(step)s")
        % {"pk": case.pk, "step": escalation_step.get_step_display()},
        body=_("Beslist door %(name)s (%(org)s), uiterlijk %(deadline)s.")
        % {"name": decider, "org": deciding_organisation.name, "deadline": f"{deadline:%d-%m-%Y}"},
        url=case_url(case),
    )
    _audit(
        actor,
        case,
        f"opgeschaald naar {escalation_step.get_step_display()}, beslist door "
        f"{deciding_user.username} ({deciding_organisation.name})",
        escalation_step,
    )
    return escalation_step


def _require_decider(organisation: Organisation, user: User | None, field: str) -> None:
    """``user`` can decide for ``organisation``: an active user of it with the permission to
    decide (ValidationError on ``field`` otherwise)."""
    invalid_if(user is None, field, _("Kies wie van %(org)s beslist.") % {"org": organisation.name})
    invalid_if(
        not selectors.deciders(organisation).filter(pk=user.pk).exists(),
        field,
        _("%(user)s werkt niet (meer) bij %(org)s in een rol die mag beslissen over opschaling.")
        % {"user": user.get_full_name() or user.username, "org": organisation.name},
    )


@transaction.atomic
def escalation_decide(
    *,
    actor: Actor,
    step: EscalationStep,
    decision: str,
    on: dt.date | None = None,
    on_behalf_of: User | None = None,
) -> EscalationStep:
    """Record the decision on an escalation step.

    Without ``on_behalf_of`` the deciding organisation records its own decision (someone there
    with the permission to decide). With it, a member of the case team who may manage a case
    records the decision "namens" the decider (a person who can decide for the deciding
    organisation), with the date it was taken (``on``, required then). ``decided_by`` is always
    who recorded it.
    """
    case = _lock(step.case)
    if on_behalf_of is None:
        if not selectors.may_decide(actor=actor, step=step):
            raise PermissionDenied(
                _(
                    "Alleen %(org)s beslist hierover. Zit u in het casusteam, leg het besluit dan "
                    "vast namens de beslisser, met diens naam en de datum van het besluit."
                )
                % {"org": step.deciding_organisation.name}
            )
    elif not selectors.may_record_on_behalf(actor=actor, case=case):
        raise PermissionDenied(
            _(
                "Een besluit namens de beslisser vastleggen kan alleen wie in het casusteam zit "
                "en de casus mag regisseren."
            )
        )
    step = _pending(step, "decided_on", _("Over deze stap is al besloten."))
    if on_behalf_of is not None:
        _require_decider(step.deciding_organisation, on_behalf_of, "on_behalf_of")
        invalid_if(on is None, "decided_on", _("Vul de datum van het besluit in."))
    on = on or today()
    invalid_if(on > today(), "decided_on", _("De datum van het besluit ligt in de toekomst."))
    invalid_if(
        on < step.on,
        "decided_on",
        _("Het besluit ligt voor de opschaling (%(on)s).") % {"on": f"{step.on:%d-%m-%Y}"},
    )
    namens = f" namens {on_behalf_of.username}" if on_behalf_of is not None else ""
    return _update(
        actor,
        case,
        step,
        f"besluit {step.get_step_display()} vastgelegd{namens}",
        decision=_text(decision, "decision", _("Vul het besluit in."), 2000),
        decided_on=on,
        decided_by=actor.user,
        decided_on_behalf_of=on_behalf_of,
    )


# -- outcome, closing, relapse --------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    returned_on: dt.date,
    school: School | None = None,
    school_name: str = "",
) -> Outcome:
    """Back to school (fully or partly) on a date at a school: the case moves to monitoring."""
    case = _locked(actor, case, lead=True)
    invalid_if(kind not in Outcome.Kind.values, "kind", _("Kies volledig of gedeeltelijk terug."))
    invalid_if(returned_on is None, "returned_on", _("Vul de datum van terugkeer in."))
    if returned_on < case.opened_on:
        raise ValidationError({"returned_on": _("De terugkeer ligt voor de opening van de casus.")})
    if school is None and not (school_name or "").strip():
        raise ValidationError({"school": _("Vul in op welke school het kind terug is.")})
    _transition(actor=actor, case=case, to=RETURNED, on=returned_on, via=OUTCOME)
    return _add(
        actor,
        case,
        Outcome,
        lambda outcome: f"{outcome.get_kind_display()} op {returned_on:%d-%m-%Y}",
        kind=kind,
        returned_on=returned_on,
        school=school,
        school_name=(school_name or "").strip()[:200],
        recorded_by=actor.user,
    )


#: the reason a membership ends when its case is closed
TEAM_END_ON_CLOSE = "casus gesloten"


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    reason: str = "",
    reason_text: str = "",
    confirmed: bool = False,
    on: dt.date | None = None,
) -> Case:
    """Close the case with a reason (``ClosingReason``; with "anders" an explanation) and an
    explicit confirmation, when the workflow allows it (no open action: each done or handed
    over). The team's memberships end the same day ("casus gesloten"), and with them the
    organisations' sight of the child through the case."""
    case = _locked(actor, case, lead=True)
    on = on or today()
    facts = selectors.workflow_facts(case)
    check_transition(facts, CLOSED, on=on, via=CLOSE)  # can it be closed at all, first
    invalid_if(reason not in ClosingReason.values, "reason", _("Kies de reden van afsluiten."))
    reason_text = (reason_text or "").strip()
    if reason == ClosingReason.OTHER or reason_text:
        reason_text = _text(
            reason_text, "reason_text", _("Licht toe waarom de casus wordt afgesloten.")
        )
    invalid_if(
        not confirmed, "confirmed", _("Bevestig dat u de casus afsluit en het team beëindigt.")
    )
    label = str(ClosingReason(reason).label)
    why = f"{label}: {reason_text}" if reason_text else label
    case.closing_reason, case.closing_reason_text = reason, reason_text  # saved with the state
    _transition(actor=actor, case=case, to=CLOSED, on=on, via=CLOSE, facts=facts, reason=why[:300])
    for member in selectors.active_team(case):  # the case is locked: the team is ours
        _end_member(actor, case, member, on=max(on, member.added_on), reason=TEAM_END_ON_CLOSE)
    _audit(actor, case, f"afgesloten ({reason})", reason=reason)
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str, on: dt.date | None = None) -> Relapse:
    """A relapse within twelve months of the return: the case goes back to the plan and the
    relapse is counted."""
    case = _locked(actor, case, lead=True)
    reason = _text(reason, "reason", _("Vul in wat er gebeurd is."))
    on = on or today()
    facts = selectors.workflow_facts(case)
    _transition(actor=actor, case=case, to=IN_PROGRESS, on=on, via=REOPEN, facts=facts)
    relapse = Relapse.objects.create(
        case=case, on=on, after_return_on=facts.returned_on, reason=reason, recorded_by=actor.user
    )
    case.relapse_count += 1
    case.save(update_fields=["relapse_count"])
    _audit(actor, case, f"heropend na terugval ({case.relapse_count}e)", relapse)
    return relapse


# -- disputes and notes ---------------------------------------------------------------------------


def _dispute_facts(dispute: Dispute) -> DisputeFacts:
    return DisputeFacts(
        lodged_on=dispute.lodged_on,
        hearing_on=dispute.hearing_on,
        ruled_on=dispute.ruled_on,
        outcome=dispute.outcome,
        followed=dispute.followed,
    )


def _dispute_step(
    actor: Actor, case: Case, dispute: Dispute, step: str, on: dt.date, summary: str
) -> Dispute:
    """The step in the dispute's history (who, when) and in the audit trail."""
    DisputeChange.objects.create(
        dispute=dispute,
        step=step,
        on=on,
        summary=summary[:300],
        user=actor.user,
        organisation=actor.organisation,
    )
    _audit(actor, case, summary, dispute)
    return dispute


def _choice(value: str, choices: type, field: str, message: str, *, required: bool = True) -> str:
    value = value or ""
    invalid_if((required or value) and value not in choices.values, field, message)
    return value


@transaction.atomic
def dispute_lodge(
    *,
    actor: Actor,
    case: Case,
    subject: str,
    lodged_on: dt.date | None = None,
    body: str = DisputeBody.GESCHILLENCOMMISSIE,
    applicant: str = "",
    respondent: str = "",
) -> Dispute:
    """A dispute brought by ``applicant`` against ``respondent`` to ``body`` (the
    Geschillencommissie passend onderwijs, the onderwijsconsulent, an objection to the school
    board or the gemeente, the court), submitted on ``lodged_on``."""
    case = _locked(actor, case)
    subject = _text(subject, "subject", _("Vul in waarover het geschil gaat."))
    body = _choice(body, DisputeBody, "body", _("Kies waar het geschil ligt."))
    applicant = _choice(
        applicant, DisputeParty, "applicant", _("Kies wie het geschil indient."), required=False
    )
    respondent = (respondent or "").strip()
    invalid_if(len(respondent) > 200, "respondent", _("Maximaal 200 tekens."))
    lodged_on = not_in_future(lodged_on or today(), "lodged_on")
    dispute = Dispute.objects.create(
        case=case,
        subject=subject,
        body=body,
        applicant=applicant,
        respondent=respondent,
        lodged_on=lodged_on,
        created_by=actor.user,
    )
    return _dispute_step(
        actor,
        case,
        dispute,
        "ingediend",
        lodged_on,
        f"geschil ingediend ({dispute.get_body_display()})",
    )


@transaction.atomic
def dispute_hearing(*, actor: Actor, dispute: Dispute, hearing_on: dt.date) -> Dispute:
    """The date of the hearing (zitting); it may be planned ahead, and moved until the ruling."""
    case = _locked(actor, dispute.case)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    invalid_if(hearing_on is None, "hearing_on", _("Vul de datum van de zitting in."))
    check_dispute_step(_dispute_facts(dispute), HEARING, hearing_on, field="hearing_on")
    _save(dispute, hearing_on=hearing_on)
    return _dispute_step(
        actor, case, dispute, HEARING, hearing_on, "zitting in het geschil gepland"
    )


@transaction.atomic
def dispute_rule(
    *,
    actor: Actor,
    dispute: Dispute,
    ruling: str,
    outcome: str = "",
    ruled_on: dt.date | None = None,
) -> Dispute:
    """The ruling (its text) and its outcome: gegrond, ongegrond, deels gegrond or ingetrokken."""
    case = _locked(actor, dispute.case)
    dispute = _pending(dispute, "ruled_on", _("De uitspraak is al vastgelegd."))
    ruled_on = not_in_future(ruled_on or today(), "ruled_on")
    ruling = _text(ruling, "ruling", _("Vul de uitspraak in."), 4000)
    outcome = _choice(outcome, DisputeOutcome, "outcome", _("Kies de uitkomst van de uitspraak."))
    check_dispute_step(_dispute_facts(dispute), RULING, ruled_on, field="ruled_on")
    _save(dispute, ruling=ruling, outcome=outcome, ruled_on=ruled_on)
    return _dispute_step(
        actor, case, dispute, RULING, ruled_on, f"uitspraak: {dispute.get_outcome_display()}"
    )


@transaction.atomic
def dispute_follow_up(
    *, actor: Actor, dispute: Dispute, followed: str, on: dt.date | None = None
) -> Dispute:
    """Whether the ruling was followed (ja, nee, deels) and since when."""
    case = _locked(actor, dispute.case)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    followed = _choice(
        followed, RulingFollowed, "followed", _("Kies of de uitspraak is opgevolgd.")
    )
    on = not_in_future(on or today(), "on")
    check_dispute_step(_dispute_facts(dispute), FOLLOW_UP, on)
    _save(dispute, followed=followed, followed_on=on)
    return _dispute_step(
        actor, case, dispute, FOLLOW_UP, on, f"uitspraak {dispute.get_followed_display()}"
    )


def default_note_visibility(actor: Actor) -> str:
    """A GGD professional's note stays with the GGD unless they choose otherwise."""
    if actor.organisation.type == OrganisationType.GGD:
        return Note.Visibility.OWN_ORGANISATION
    return Note.Visibility.TEAM


@transaction.atomic
def note_add(
    *,
    actor: Actor,
    case: Case,
    text: str,
    visibility: str | None = None,
    on: dt.date | None = None,
) -> Note:
    """A note for the team, or for the own organisation only (the audit trail holds no text)."""
    case = _locked(actor, case)
    text = _text(text, "text", _("Schrijf de notitie."), 4000)
    visibility = visibility or default_note_visibility(actor)
    invalid_if(
        visibility not in Note.Visibility.values, "visibility", _("Kies wie de notitie mag lezen.")
    )
    return _add(
        actor,
        case,
        Note,
        lambda note: f"notitie toegevoegd ({note.get_visibility_display()})",
        text=text,
        author=actor.user,
        organisation=actor.organisation,
        visibility=visibility,
        written_on=on or today(),
    )


# -- reminders ------------------------------------------------------------------------------------


@transaction.atomic
def remind_due_actions(*, on: dt.date | None = None) -> int:
    """Notify who carries each open action due within two days or overdue (once for "due soon",
    once for "overdue"); returns how many notifications were made. Daily (``inbeeld
    case-reminders``)."""
    on = on or today()
    made = 0
    for action in selectors.actions_to_remind(on=on):
        overdue = action.due_date < on
        if action.owner_user is not None:
            users = [action.owner_user]
        else:
            users = [
                m.user
                for m in selectors.active_team(action.case)
                if m.organisation_id == action.owner_organisation_id
            ]
        title = (
            _("Actie in casus %(pk)s is verlopen (uiterlijk %(due)s)")
            if overdue
            else _("Actie in casus %(pk)s moet uiterlijk %(due)s klaar zijn")
        ) % {"pk": action.case_id, "due": f"{action.due_date:%d-%m-%Y}"}
        made += len(
            notify(
                users=users,
                kind=NotificationKind.ACTION_DUE,
                title=title,
                url=case_url(action.case),
                organisation=action.owner_organisation,
                dedupe_key=f"case-action-{action.pk}-{'overdue' if overdue else 'due'}",
            )
        )
    if made:
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            summary=f"herinneringen voor acties in casussen: {made} berichten",
            detail={"on": on.isoformat(), "notifications": made},
        )
    return made
