"""Reads of cases, already limited to what the acting organisation may see.

An organisation sees a case it leads, a case in whose team it has an active member, and a case
whose escalation it has to decide (doorzettingsmacht); always with ``Permission.WORK_ON_CASES``.
Notes kept for the own organisation (a jeugdarts' medical note) are seen by that organisation
only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, Role, User
from inbeeld.accounts.permissions import Permission, permissions_of
from inbeeld.attendance.models import Melding, StudentStatus
from inbeeld.cases.conflicts import ReturnConflict, conflict_of_case
from inbeeld.cases.models import (
    Action,
    Case,
    CaseCause,
    Dispute,
    EscalationStep,
    Intervention,
    Meeting,
    Note,
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
    OPEN_STATES,
    RETURNED,
    CaseFacts,
    Transition,
    available_transitions,
    refusal,
    state_label,
)
from inbeeld.concerns.models import Match
from inbeeld.people.models import School, Student
from inbeeld.people.selectors import organisations_working_with, schools_visible_to
from inbeeld.rules import escalation
from inbeeld.rules.absence import RULE_LRV
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

#: actions due within this many days count as "due soon" (reminders)
DUE_SOON_DAYS = 2


def _today() -> dt.date:
    return timezone.localdate()


def referral_norm_weeks() -> int:
    """The region's waiting norm for a referral (setting INBEELD_REFERRAL_NORM_WEEKS)."""
    return int(settings.INBEELD_REFERRAL_NORM_WEEKS)


def cases_for(*, actor: Actor) -> QuerySet[Case]:
    if not actor.can(Permission.WORK_ON_CASES):
        return Case.objects.none()
    organisation = actor.organisation
    in_team = TeamMember.objects.filter(
        case=OuterRef("pk"), organisation=organisation, ended_on__isnull=True
    )
    deciding = EscalationStep.objects.filter(
        case=OuterRef("pk"), deciding_organisation=organisation
    )
    return (
        Case.objects.filter(Q(lead_organisation=organisation) | Exists(in_team) | Exists(deciding))
        .select_related("student", "lead_organisation")
        .order_by("-opened_on", "-pk")
    )


def case_list_for(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Case]:
    """The case list: each case with its number of overdue actions (``overdue``)."""
    on = on or _today()
    return cases_for(actor=actor).annotate(
        overdue=Count(
            "actions",
            filter=Q(
                actions__done_on__isnull=True,
                actions__handed_over_on__isnull=True,
                actions__due_date__lt=on,
            ),
        )
    )


def case_search_for(
    *, actor: Actor, state: str | None = None, student: int | None = None
) -> QuerySet[Case]:
    """The actor's cases, newest first; only those in ``state`` or of ``student`` when given."""
    cases = cases_for(actor=actor)
    if state:
        cases = cases.filter(state=state)
    if student:
        cases = cases.filter(student_id=student)
    return cases.order_by("-opened_on", "-pk")


def case_for(*, actor: Actor, pk: int) -> Case | None:
    """One case, if the actor may see it (None otherwise: the view answers 404)."""
    return cases_for(actor=actor).filter(pk=pk).first()


def is_lead(*, actor: Actor, case: Case) -> bool:
    """May the actor steer the case: team, escalation, outcome, state (the lead organisation)."""
    return actor.can(Permission.OPEN_CASE) and case.lead_organisation_id == actor.organisation.pk


def may_decide(*, actor: Actor, step: EscalationStep) -> bool:
    """May the actor record the decision on a step themselves: someone of the deciding
    organisation with the permission to decide (doorzettingsmacht)."""
    return actor.can(Permission.DECIDE_ESCALATION) and (
        step.deciding_organisation_id == actor.organisation.pk
    )


def may_record_on_behalf(*, actor: Actor, case: Case) -> bool:
    """May the actor record a decision "namens" the decider: a member of the case team (the actor
    themselves, for the organisation they act for) with the permission to manage a case."""
    return (
        actor.can(Permission.OPEN_CASE)
        and case.team.filter(
            user=actor.user, organisation=actor.organisation, ended_on__isnull=True
        ).exists()
    )


def _roles_with(permission: Permission) -> list[str]:
    return [role for role in Role.values if permission in permissions_of(role)]


def deciders(organisation: Organisation) -> QuerySet[User]:
    """Who can be named to decide for an organisation: its active users whose role there holds
    the permission to decide (``DECIDE_ESCALATION``)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__active=True,
            memberships__role__in=_roles_with(Permission.DECIDE_ESCALATION),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def decider_of(*, organisation: Organisation, username: str) -> User | None:
    """One of :func:`deciders` by username."""
    return deciders(organisation).filter(username=username).first()


def decider_choices(*, actor: Actor) -> list[tuple[Organisation, list[User]]]:
    """The people who can be named to decide, per organisation the actor works with."""
    organisations = list(organisations_working_with(actor=actor).order_by("type", "name"))
    # one query for all of them (the case page shows this list on every view)
    memberships = (
        Membership.objects.filter(
            organisation__in=organisations,
            active=True,
            user__is_active=True,
            role__in=_roles_with(Permission.DECIDE_ESCALATION),
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    users: dict[int, dict[int, User]] = {o.pk: {} for o in organisations}
    for membership in memberships:
        users[membership.organisation_id].setdefault(membership.user_id, membership.user)
    return [(o, list(users[o.pk].values())) for o in organisations]


def open_case_of(*, student: Student) -> Case | None:
    return Case.objects.filter(student=student, state__in=OPEN_STATES).first()


def case_of_student_for(*, actor: Actor, student: Student) -> Case | None:
    """The child's open case when the actor may see it (else its latest visible one)."""
    cases = cases_for(actor=actor).filter(student=student)
    return cases.filter(state__in=OPEN_STATES).first() or cases.first()


def workflow_facts(case: Case) -> CaseFacts:
    """What ``workflow`` needs to decide the case's transitions: its state, the latest return to
    school, and whether the child has another open case."""
    return CaseFacts(
        state=case.state,
        returned_on=case.outcomes.order_by("-returned_on")
        .values_list("returned_on", flat=True)
        .first(),
        other_open_case=Case.objects.filter(student=case.student_id, state__in=OPEN_STATES)
        .exclude(pk=case.pk)
        .exists(),
        open_actions=open_actions_of(case).count(),
    )


def open_actions_of(case: Case) -> QuerySet[Action]:
    """The actions of the plan neither done nor handed over (they keep the case from closing)."""
    return case.actions.filter(done_on__isnull=True, handed_over_on__isnull=True)


def active_team(case: Case) -> QuerySet[TeamMember]:
    return case.team.filter(ended_on__isnull=True).select_related("user", "organisation")


def team_users(case: Case) -> list:
    return [member.user for member in active_team(case)]


def team_member_named(*, case: Case, username: str) -> TeamMember | None:
    """The active team member with this username (who an action or a meeting names)."""
    return active_team(case).filter(user__username=username).first()


def candidate_memberships(*, actor: Actor) -> QuerySet[Membership]:
    """Whom the lead can add to a team: active professionals (a role with WORK_ON_CASES) of the
    organisations the actor works with."""
    return (
        Membership.objects.filter(
            active=True,
            role__in=_roles_with(Permission.WORK_ON_CASES),
            user__is_active=True,
            organisation__in=organisations_working_with(actor=actor),
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__username")
    )


def candidate_membership(*, actor: Actor, username: str, organisation: int) -> Membership | None:
    """One of :func:`candidate_memberships`: a professional of an organisation by username."""
    return (
        candidate_memberships(actor=actor)
        .filter(user__username=username, organisation_id=organisation)
        .first()
    )


def organisation_working_with(*, actor: Actor, pk: int) -> Organisation | None:
    """An organisation the actor works with (who decides an escalation step)."""
    return organisations_working_with(actor=actor).filter(pk=pk).first()


def school_for(*, actor: Actor, pk: int) -> School | None:
    """A school the actor sees (where a child returned to)."""
    return schools_visible_to(actor=actor).filter(pk=pk).first()


def organisation_named(*, pk: int) -> Organisation | None:
    """An organisation by id (who carries an action; the service checks it is in the team)."""
    return Organisation.objects.filter(pk=pk).first()


def match_for(*, actor: Actor, student: Student, pk: int | None) -> Match | None:
    """A match about this child that the actor's organisation is a party to."""
    if not pk:
        return None
    organisation = actor.organisation
    return (
        Match.objects.filter(pk=pk, student=student)
        .filter(Q(concern_a__organisation=organisation) | Q(concern_b__organisation=organisation))
        .first()
    )


def melding_choices_for(*, student: Student) -> QuerySet[Melding]:
    return Melding.objects.filter(student=student).order_by("-end_date", "-pk")


def melding_for(*, student: Student, pk: int) -> Melding | None:
    """One of the child's meldingen (the one a case is opened from)."""
    return melding_choices_for(student=student).filter(pk=pk).first()


# -- the parts of a case (each within a case the actor sees: ``case_for``) ------------------------


def team_member_of(*, case: Case, pk: int) -> TeamMember | None:
    return case.team.filter(pk=pk).first()


def cause_of(*, case: Case, pk: int) -> CaseCause | None:
    return case.causes.filter(pk=pk).first()


def causes_of(*, case: Case) -> list[CaseCause]:
    """The causes of a case (the open ones and those that ended), oldest first."""
    return list(case.causes.select_related("noted_by", "ended_by"))


def action_of(*, case: Case, pk: int) -> Action | None:
    return case.actions.filter(pk=pk).first()


def referral_of(*, case: Case, pk: int) -> Referral | None:
    return case.referrals.filter(pk=pk).first()


def escalation_of(*, case: Case, pk: int) -> EscalationStep | None:
    return case.escalations.select_related("deciding_organisation").filter(pk=pk).first()


def dispute_of(*, case: Case, pk: int) -> Dispute | None:
    return case.disputes.filter(pk=pk).first()


def latest_state_change(*, case: Case) -> StateChange | None:
    return case.state_changes.order_by("-pk").first()


@dataclass
class CasePage:
    """Everything the case page shows, as far as the actor may see it."""

    is_lead: bool
    team: list[TeamMember]
    #: each with ``overdue``
    actions: list[Action]
    meetings: list[Meeting]
    referrals: list[ReferralWait]
    norm_weeks: int
    interventions: list[Intervention]
    #: the causes of thuiszitten, open and ended (issue 12 §6)
    causes: list[CaseCause]
    #: each with ``may_decide`` (the actor may record its decision now, as the deciding
    #: organisation), ``may_record_on_behalf`` (… "namens" the decider, as a member of the team)
    #: and ``on_behalf_choices`` (the deciders it can be recorded for)
    escalations: list[EscalationStep]
    proposal: escalation.Proposal | None
    outcomes: list[Outcome]
    relapses: list[Relapse]
    disputes: list[Dispute]
    notes: list[Note]
    timeline: list[TimelineItem]
    #: the transitions the case can make now (``workflow.available_transitions``)
    transitions: list[Transition]
    #: why an open case cannot be closed now (``workflow.refusal``), or None
    close_refusal: str | None = None
    #: back at school while the newest detection says thuiszitter (``conflicts``), or None
    return_conflict: ReturnConflict | None = None


@dataclass(frozen=True)
class CaseRecords:
    """The rows of one case that its page and its timeline both show, read once, with what
    either needs of their related rows."""

    state_changes: list
    team: list[TeamMember]
    actions: list[Action]
    meetings: list
    referrals: list
    interventions: list
    escalations: list[EscalationStep]
    outcomes: list[Outcome]
    relapses: list[Relapse]
    disputes: list[Dispute]
    notes: list[Note]


def case_records(*, actor: Actor, case: Case) -> CaseRecords:
    """The case's rows as far as the actor may see them (the notes: ``notes_for``)."""
    return CaseRecords(
        state_changes=list(case.state_changes.select_related("user", "organisation")),
        team=list(case.team.select_related("user", "organisation")),
        actions=list(
            case.actions.select_related("owner_organisation", "owner_user", "handed_over_by")
        ),
        meetings=list(
            case.meetings.select_related("recorded_by", "organisation").prefetch_related(
                "attendees"
            )
        ),
        referrals=list(case.referrals.all()),
        interventions=list(case.interventions.all()),
        escalations=list(
            case.escalations.select_related(
                "deciding_organisation",
                "created_by",
                "deciding_user",
                "decided_by",
                "decided_on_behalf_of",
            )
        ),
        outcomes=list(case.outcomes.select_related("school")),
        relapses=list(case.relapses.all()),
        disputes=list(case.disputes.prefetch_related("changes__user")),
        notes=list(notes_for(actor=actor, case=case)),
    )


def case_page(*, actor: Actor, case: Case, on: dt.date | None = None) -> CasePage:
    """The reads of the case page, for a case the actor sees (``case_for``)."""
    on = on or _today()
    facts = workflow_facts(case)
    records = case_records(actor=actor, case=case)
    on_behalf = may_record_on_behalf(actor=actor, case=case)
    for step in records.escalations:
        undecided = step.decided_on is None
        step.may_decide = undecided and may_decide(actor=actor, step=step)
        step.may_record_on_behalf = undecided and on_behalf
        step.on_behalf_choices = (
            list(deciders(step.deciding_organisation)) if step.may_record_on_behalf else []
        )
    for action in records.actions:
        action.overdue = action.is_open and action.due_date < on
    return CasePage(
        is_lead=is_lead(actor=actor, case=case),
        team=records.team,
        actions=records.actions,
        meetings=records.meetings,
        referrals=referral_waits(case=case, on=on, referrals=records.referrals),
        norm_weeks=referral_norm_weeks(),
        interventions=records.interventions,
        causes=causes_of(case=case),
        escalations=records.escalations,
        proposal=proposal_for(case=case, on=on),
        outcomes=records.outcomes,
        relapses=records.relapses,
        disputes=records.disputes,
        notes=records.notes,
        timeline=timeline(actor=actor, case=case, records=records),
        transitions=available_transitions(facts, on),
        close_refusal=refusal(facts, CLOSED, on, via=CLOSE) if case.is_open else None,
        return_conflict=conflict_of_case(case),
    )


# -- escalation -----------------------------------------------------------------------------------


def lrv_melding_date(case: Case) -> dt.date | None:
    """The date of the lrv melding the case rests on: its source melding, else the child's latest
    lrv melding up to the opening of the case."""
    melding = case.source_melding
    if melding is not None and melding.rule == RULE_LRV:
        return melding.end_date
    latest = (
        Melding.objects.filter(student=case.student_id, rule=RULE_LRV, end_date__lte=case.opened_on)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    return latest


def _offer_starts(case: Case, on: dt.date):
    """The dates (first first) the case's suitable offers started by ``on``: see
    :func:`suitable_offer`."""
    return (
        case.interventions.filter(start_date__lte=on)
        .order_by("start_date")
        .values_list("start_date", flat=True),
        case.outcomes.filter(returned_on__lte=on)
        .order_by("returned_on")
        .values_list("returned_on", flat=True),
    )


def suitable_offer(on: dt.date, case: str = "pk") -> Q:
    """The one definition of "a suitable offer" (passend aanbod) on ``on``, as a condition on a
    case (``case``: the reference to the case's id in the query it goes into). An offer is an
    intervention that has started (transport, digital education, a part-time timetable, an
    education-care arrangement) or a return to school (an outcome: a place). Used by the
    escalation proposal (:func:`escalation_facts`), the thuiszitters list's column
    (:func:`case_offers_for`) and the monitor's "over three months without an offer" (issue 12
    §7)."""
    return Exists(Intervention.objects.filter(case=OuterRef(case), start_date__lte=on)) | Exists(
        Outcome.objects.filter(case=OuterRef(case), returned_on__lte=on)
    )


def escalation_facts(*, case: Case, on: dt.date | None = None) -> escalation.CaseFacts:
    """What ``rules.escalation`` needs, read from the case as of ``on``.

    The plan is agreed when its first action is (the same moment the workflow moves the case to
    "plan in uitvoering"); a meeting without agreed actions is no plan yet.
    """
    on = on or _today()
    first_action = (
        case.actions.filter(agreed_on__lte=on)
        .order_by("agreed_on")
        .values_list("agreed_on", flat=True)
    ).first()
    status = StudentStatus.objects.filter(student=case.student_id).first()
    at_home_since = None
    if status is not None and status.category in (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM):
        at_home_since = status.since
    offers = [d for d in (r.first() for r in _offer_starts(case, on)) if d is not None]
    referrals = tuple(
        escalation.Referral(
            kind=r.get_kind_display(),
            requested_on=r.requested_on,
            started_on=r.started_on if r.started_on and r.started_on <= on else None,
            blocks_return=r.blocks_return,
        )
        for r in case.referrals.filter(requested_on__lte=on)
    )
    return escalation.CaseFacts(
        on=on,
        step=case.escalation_step or None,
        lrv_melding_on=lrv_melding_date(case),
        plan_agreed_on=first_action,
        at_home_since=at_home_since,
        suitable_offer_on=min(offers) if offers else None,
        referrals=referrals,
        referral_norm_weeks=referral_norm_weeks(),
    )


def proposal_for(*, case: Case, on: dt.date | None = None) -> escalation.Proposal | None:
    """The next step the application proposes, for a case still being worked on."""
    if case.state in (RETURNED, CLOSED):
        return None
    return escalation.escalation_proposal(escalation_facts(case=case, on=on))


def step_label(step: str | None) -> str:
    return str(Step(step).label) if step in Step.values else ""


@dataclass(frozen=True)
class ReferralWait:
    referral: Referral
    weeks: int
    waiting: bool
    over_norm: bool


def referral_waits(
    *, case: Case, on: dt.date | None = None, referrals: list | None = None
) -> list[ReferralWait]:
    """Each referral with its wait in weeks (until it started, or until ``on``); ``referrals``:
    the case's, when already read."""
    on = on or _today()
    norm = referral_norm_weeks()
    rows = []
    for referral in case.referrals.all() if referrals is None else referrals:
        end = referral.started_on or on
        weeks = max((end - referral.requested_on).days // 7, 0)
        waiting = referral.started_on is None
        rows.append(
            ReferralWait(
                referral, weeks, waiting, waiting and referral.blocks_return and weeks > norm
            )
        )
    return rows


def decisions_owed(*, actor: Actor, on: dt.date | None = None) -> QuerySet[EscalationStep]:
    """The escalation steps still to be decided (of open cases the actor sees) where the actor is
    the named decider or the actor's organisation decides ("Vandaag"): the earliest deadline
    first, each with ``overdue`` (the deadline has passed) and ``named`` (the actor is the named
    decider)."""
    on = on or _today()
    user = actor.user
    return (
        EscalationStep.objects.filter(
            case__in=cases_for(actor=actor).filter(state__in=OPEN_STATES),
            decided_on__isnull=True,
        )
        .filter(Q(deciding_user=user) | Q(deciding_organisation=actor.organisation))
        .annotate(
            overdue=ExpressionWrapper(Q(deadline__lt=on), output_field=BooleanField()),
            named=ExpressionWrapper(Q(deciding_user=user), output_field=BooleanField()),
        )
        .select_related("case__student", "deciding_organisation", "deciding_user")
        .order_by("deadline", "pk")
    )


# -- actions --------------------------------------------------------------------------------------


def _open_actions_seen_by(actor: Actor) -> QuerySet[Action]:
    """The actions neither done nor handed over in the open cases the actor sees."""
    return Action.objects.filter(
        case__in=cases_for(actor=actor).filter(state__in=OPEN_STATES),
        done_on__isnull=True,
        handed_over_on__isnull=True,
    )


def overdue_actions_for(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Action]:
    """Actions not done whose date has passed, in the cases the actor sees (home page)."""
    on = on or _today()
    return (
        _open_actions_seen_by(actor)
        .filter(due_date__lt=on)
        .select_related("case__student", "owner_organisation", "owner_user")
        .order_by("due_date", "pk")
    )


def actions_to_remind(*, on: dt.date) -> QuerySet[Action]:
    """Open actions of open cases due within DUE_SOON_DAYS days of ``on`` or overdue."""
    return (
        Action.objects.filter(
            case__state__in=OPEN_STATES,
            done_on__isnull=True,
            handed_over_on__isnull=True,
            due_date__lte=on + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("case", "owner_user", "owner_organisation")
        .order_by("due_date", "pk")
    )


# -- notes and the timeline -----------------------------------------------------------------------


def note_readable(*, actor: Actor) -> Q:
    """The rule of who reads a note (and the minutes of a school team, issue 12 §1): the whole
    team's, and those kept to the actor's own organisation. On any model with ``visibility``
    (``Note.Visibility``) and ``organisation``."""
    return Q(visibility=Note.Visibility.TEAM) | Q(organisation=actor.organisation)


def notes_for(*, actor: Actor, case: Case) -> QuerySet[Note]:
    """The notes the actor may read: the team's, and their own organisation's."""
    return (
        case.notes.filter(note_readable(actor=actor))
        .select_related("author", "organisation")
        .order_by("-written_on", "-pk")
    )


@dataclass(frozen=True)
class TimelineItem:
    on: dt.date
    kind: str
    text: str
    who: str = ""
    order: int = 0
    restricted: bool = False  # seen by the own organisation only


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def decided_by(step: EscalationStep) -> str:
    """Who decided, and who recorded it "namens" them (the timeline's words)."""
    if step.decided_on_behalf_of is not None:
        decider = _name(step.decided_on_behalf_of)
        return (
            f" – besluit van {decider}, vastgelegd door {_name(step.decided_by)} namens {decider}"
        )
    if step.decided_by is not None:
        return f" – besluit van {_name(step.decided_by)}"
    return ""


def _who(user, organisation) -> str:
    name = _name(user)
    org = organisation.name if organisation is not None else ""
    return ", ".join(p for p in (name, org) if p)


def timeline(*, actor: Actor, case: Case, records: CaseRecords | None = None) -> list[TimelineItem]:
    """Everything that happened in the case, newest first, as far as the actor may see it;
    ``records``: the case's rows when the caller read them already (``case_records``)."""
    records = records or case_records(actor=actor, case=case)
    items: list[TimelineItem] = []

    def add(on, kind, text, who="", restricted=False):
        items.append(TimelineItem(on, kind, text, who, len(items), restricted))

    for change in records.state_changes:
        add(
            change.on,
            "status",
            f"{change.step} ({state_label(change.to_state)})"
            + (f" – reden: {change.reason}" if change.reason else ""),
            _who(change.user, change.organisation),
        )
    for member in records.team:
        name = member.user.get_full_name() or member.user.username
        add(
            member.added_on,
            "team",
            f"{name} ({member.organisation.name}) in het team als {member.role_in_case}: "
            f"{member.reason} – grondslag: {member.get_consent_basis_display()}",
        )
        if member.ended_on:
            why = f": {member.end_reason}" if member.end_reason else ""
            add(member.ended_on, "team", f"{name} ({member.organisation.name}) uit het team{why}")
    for action in records.actions:
        owner = _who(action.owner_user, action.owner_organisation)
        add(
            action.agreed_on,
            "plan",
            f"Afspraak: {action.description} (door {owner}, uiterlijk {action.due_date:%d-%m-%Y})",
        )
        if action.done_on:
            add(action.done_on, "plan", f"Afgerond: {action.description}")
        if action.handed_over_on:
            add(
                action.handed_over_on,
                "plan",
                f"Overgedragen: {action.description} aan {action.handed_over_to}",
                _name(action.handed_over_by),
            )
    for meeting in records.meetings:
        add(
            meeting.held_on,
            "overleg",
            f"{meeting.get_kind_display().capitalize()}"
            + (f" – besluiten: {meeting.decisions}" if meeting.decisions else ""),
            _who(meeting.recorded_by, meeting.organisation),
        )
    for referral in records.referrals:
        to = referral.get_kind_display() + (f" ({referral.provider})" if referral.provider else "")
        add(referral.requested_on, "verwijzing", f"Verwezen naar {to}")
        if referral.started_on:
            add(referral.started_on, "verwijzing", f"Gestart bij {to}")
    for intervention in records.interventions:
        add(
            intervention.start_date,
            "interventie",
            f"{intervention.get_kind_display().capitalize()} vanaf "
            f"{intervention.start_date:%d-%m-%Y}"
            + (f" tot en met {intervention.end_date:%d-%m-%Y}" if intervention.end_date else ""),
        )
    for step in records.escalations:
        decider = f" ({_name(step.deciding_user)})" if step.deciding_user else ""
        add(
            step.on,
            "opschaling",
            f"Opgeschaald naar {step.get_step_display()}: {step.reason} – beslist door "
            f"{step.deciding_organisation.name}{decider}, uiterlijk {step.deadline:%d-%m-%Y}",
        )
        if step.decided_on:
            add(
                step.decided_on,
                "opschaling",
                f"Besluit {step.get_step_display()}: {step.decision}" + decided_by(step),
            )
    for outcome in records.outcomes:
        school = outcome.school.name if outcome.school else outcome.school_name
        add(
            outcome.returned_on,
            "uitkomst",
            f"{outcome.get_kind_display().capitalize()}" + (f" ({school})" if school else ""),
        )
    for relapse in records.relapses:
        add(relapse.on, "terugval", f"Terugval: {relapse.reason}")
    for dispute in records.disputes:
        body = dispute.get_body_display()
        add(dispute.lodged_on, "geschil", f"Geschil voorgelegd ({body}): {dispute.subject}")
        if dispute.hearing_on:
            add(dispute.hearing_on, "geschil", f"Zitting ({body})")
        if dispute.ruled_on:
            add(
                dispute.ruled_on,
                "geschil",
                f"Uitspraak ({body}, {dispute.get_outcome_display() or '—'}): {dispute.ruling}",
            )
        if dispute.followed:
            add(dispute.followed_on, "geschil", f"Uitspraak {dispute.get_followed_display()}")
    for note in records.notes:
        add(
            note.written_on,
            "notitie",
            note.text,
            _who(note.author, note.organisation),
            restricted=note.visibility == Note.Visibility.OWN_ORGANISATION,
        )
    return sorted(items, key=lambda i: (i.on, i.order), reverse=True)


def actions_due_for(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Action]:
    """ "Vandaag": the open actions of open cases the actor sees that are the actor's (named) or
    their organisation's with nobody named, due within :data:`DUE_SOON_DAYS` days or overdue;
    the earliest first, each with ``overdue``."""
    on = on or _today()
    return (
        _open_actions_seen_by(actor)
        .filter(due_date__lte=on + dt.timedelta(days=DUE_SOON_DAYS))
        .filter(
            Q(owner_user=actor.user)
            | Q(owner_organisation=actor.organisation, owner_user__isnull=True)
        )
        .annotate(overdue=ExpressionWrapper(Q(due_date__lt=on), output_field=BooleanField()))
        .select_related("case__student", "owner_organisation", "owner_user")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class CaseOffer:
    """Of a child on the thuiszitters list: the open case the actor sees and whether the child
    has a suitable offer (passend aanbod: an intervention or a return to school that has started,
    as in :func:`escalation_facts`)."""

    case_id: int
    href: str
    has_offer: bool


def case_offers_for(
    *, actor: Actor, student_ids, on: dt.date | None = None
) -> dict[int, CaseOffer]:
    """Per child (of ``student_ids``) with an open case the actor sees: that case and whether it
    holds a suitable offer. Two queries whatever the number of children."""
    on = on or _today()
    ids = [pk for pk in student_ids if pk is not None]
    if not ids:
        return {}
    offer = suitable_offer(on)
    rows = (
        cases_for(actor=actor)
        .filter(student_id__in=ids, state__in=OPEN_STATES)
        .annotate(has_offer=ExpressionWrapper(offer, output_field=BooleanField()))
        .values_list("pk", "student_id", "has_offer")
    )
    return {
        student_id: CaseOffer(
            case_id=pk, href=reverse("cases:detail", args=[pk]), has_offer=bool(has_offer)
        )
        for pk, student_id, has_offer in rows
    }
