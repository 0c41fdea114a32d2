"""Writes of the school teams (issue 12 §1, §3).

Every function is keyword-only, runs in one transaction, checks who may do it and appends its audit
event (student = the child, where there is one; never the content of the minutes or the views).

Who may do what:

* set up a team: ``OPEN_CASE`` for one of the organisation's own schools (its organisation is the
  first member);
* keep the membership (add, end): a member organisation's people with ``OPEN_CASE``; an
  organisation may always leave;
* plan meetings, put a child on the list, discuss, agree steps, take a child off, accept or dismiss
  a proposal: a member organisation's people with ``WORK_ON_CASES``; only a child the adding
  organisation already sees, who is a pupil of the team's school;
* move a child into a case: who may open a case (``cases.services.case_open``).

Sight: each active member organisation gets a ``people.Involvement`` (source ``school_team``) per
child on the list; it ends at once when the child leaves the list or the organisation the team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.cases import services as case_services
from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause, cause_label
from inbeeld.cases.models import Case, Note, OpenedFrom
from inbeeld.checks import invalid_if, line, not_after_today, today
from inbeeld.people.models import Involvement, School, Student
from inbeeld.people.selectors import NotInScopeError, require_visible
from inbeeld.people.services import involvement_end, involvement_record
from inbeeld.prevention import selectors
from inbeeld.prevention.models import (
    AgreedStep,
    ConsentToShare,
    Discussion,
    DiscussionCause,
    ListEntry,
    Proposal,
    SchoolTeam,
    Sight,
    TeamMeeting,
    TeamMember,
)

#: a dismissed proposal keeps the same signal from proposing the child to the team for this long
QUIET_DAYS = 90
#: the longest minutes, child's or parents' view
TEXT_LIMIT = 4000
SOURCE = Involvement.Source.SCHOOL_TEAM


def _audit(
    actor: Actor | None,
    obj: Any,
    summary: str,
    student: Student | None = None,
    action: str = AuditAction.CREATE,
    **detail: Any,
) -> None:
    audit_record(
        actor=actor, action=action, summary=summary, obj=obj, student=student, detail=detail or None
    )


def _require_member(actor: Actor, team: SchoolTeam, *, manage: bool = False) -> SchoolTeam:
    """The team, locked, once the actor's organisation is an active member (404 otherwise) and,
    with ``manage``, may keep its membership."""
    if not selectors.is_member(actor=actor, team=team):
        raise NotInScopeError(_("Niet gevonden."))
    if manage and not actor.can(Permission.OPEN_CASE):
        raise PermissionDenied(_("Uw rol mag de samenstelling van het schoolteam niet wijzigen."))
    return SchoolTeam.objects.select_for_update().select_related("school").get(pk=team.pk)


def _active_entry(actor: Actor, entry: ListEntry) -> ListEntry:
    if selectors.entry_for(actor=actor, pk=entry.pk) is None:
        raise NotInScopeError(_("Niet gevonden."))
    _require_member(actor, entry.team)
    entry = ListEntry.objects.select_for_update().select_related("team", "student").get(pk=entry.pk)
    if entry.ended_on is not None:
        raise ValidationError(_("Dit kind staat niet meer op de lijst."))
    return entry


# -- sight ----------------------------------------------------------------------------------------


def _give_sight(entry: ListEntry, member: TeamMember, on: dt.date) -> None:
    sight, _created = Sight.objects.get_or_create(entry=entry, member=member)
    involvement_record(
        student=entry.student,
        organisation=member.organisation,
        source=SOURCE,
        source_id=sight.pk,
        since=on,
        user=member.user,
    )


def _end_sight(sights: Iterable[Sight], on: dt.date) -> None:
    for sight in sights:
        involvement_end(source=SOURCE, source_id=sight.pk, on=on, immediately=True)


# -- the team -------------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    school: School,
    name: str = "",
    location: str = "",
    on: dt.date | None = None,
) -> SchoolTeam:
    """Set up the standing team of one of the actor's own schools (or of a location of it); the
    actor's organisation is its first member. One active team per school and location."""
    if not actor.can(Permission.OPEN_CASE) or not actor.can(Permission.WORK_ON_CASES):
        raise PermissionDenied(_("Uw rol mag geen schoolteam instellen."))
    if not selectors.schools_for_new_team(actor=actor).filter(pk=school.pk).exists():
        raise ValidationError({"school": _("Kies een school van uw eigen organisatie.")})
    location = line(location, "location", 100)
    name = line(name, "name", 200) or _("Schoolteam %(school)s") % {"school": school.name}
    on = on or today()
    invalid_if(
        SchoolTeam.objects.filter(school=school, location=location, ended_on__isnull=True).exists(),
        "school",
        _("Deze school (of locatie) heeft al een schoolteam."),
    )
    team = SchoolTeam.objects.create(
        school=school,
        name=name,
        location=location,
        created_on=on,
        created_by=actor.stored_user,
        created_by_organisation=actor.organisation,
    )
    TeamMember.objects.create(
        team=team,
        organisation=actor.organisation,
        user=actor.stored_user,
        role_in_team=_("instellende organisatie"),
        joined_on=on,
        added_by=actor.stored_user,
    )
    _audit(actor, team, f"schoolteam {team.pk} ingesteld voor {school.brin}")
    return team


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    team: SchoolTeam,
    organisation: Organisation,
    user: User | None = None,
    role_in_team: str = "",
    on: dt.date | None = None,
) -> TeamMember:
    """Add an organisation (school, GGD, leerplicht, samenwerkingsverband, wijkteam), optionally
    with a named person of it; it then sees the children on the list while they are on it."""
    team = _require_member(actor, team, manage=True)
    invalid_if(
        organisation.type not in selectors.MEMBER_TYPES,
        "organisation",
        _("Een schoolteam bestaat uit school, GGD, leerplicht, samenwerkingsverband en wijkteam."),
    )
    invalid_if(
        selectors.active_members(team).filter(organisation=organisation).exists(),
        "organisation",
        _("Deze organisatie zit al in het schoolteam."),
    )
    invalid_if(
        user is not None
        and not Membership.objects.filter(
            user=user, organisation=organisation, active=True, user__is_active=True
        ).exists(),
        "user",
        _("Deze persoon werkt niet (meer) voor deze organisatie."),
    )
    role_in_team = line(role_in_team, "role_in_team", 100)
    on = on or today()
    member = TeamMember.objects.create(
        team=team,
        organisation=organisation,
        user=user,
        role_in_team=role_in_team,
        joined_on=on,
        added_by=actor.stored_user,
    )
    _audit(actor, member, f"schoolteam {team.pk}: {organisation.name} lid geworden")
    for entry in team.entries.filter(ended_on__isnull=True).select_related("student"):
        _give_sight(entry, member, on)
        _audit(
            actor,
            entry,
            f"schoolteam {team.pk}: {organisation.name} ziet het kind (lijst)",
            entry.student,
        )
    return member


@transaction.atomic
def member_end(
    *, actor: Actor, member: TeamMember, reason: str = "", on: dt.date | None = None
) -> TeamMember:
    """An organisation leaves the team: its sight of the children on the list ends at once. By
    who keeps the membership, or by the organisation itself."""
    own = member.organisation_id == actor.organisation.pk
    team = _require_member(actor, member.team, manage=not own)
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(_("Deze organisatie is al uit het schoolteam."))
    reason = line(reason, "reason", 300)
    on = not_after_today(on, "on")
    invalid_if(
        selectors.active_members(team).count() <= 1,
        "organisation",
        _("Het laatste lid kan het schoolteam niet verlaten."),
    )
    member.left_on = on
    member.end_reason = reason
    member.save(update_fields=["left_on", "end_reason"])
    sights = list(member.sights.select_related("entry__student"))
    _end_sight(sights, on)
    _audit(
        actor,
        member,
        f"schoolteam {team.pk}: {member.organisation.name} uit het team",
        action=AuditAction.UPDATE,
    )
    for sight in sights:
        if sight.entry.ended_on is None:
            _audit(
                actor,
                sight.entry,
                f"schoolteam {team.pk}: {member.organisation.name} ziet het kind niet meer",
                sight.entry.student,
                action=AuditAction.UPDATE,
            )
    return member


@transaction.atomic
def meeting_plan(
    *, actor: Actor, team: SchoolTeam, held_on: dt.date, subject: str = ""
) -> TeamMeeting:
    """A meeting on the team's calendar (past or planned)."""
    if not actor.can(Permission.WORK_ON_CASES):
        raise PermissionDenied(_("Uw rol mag niet in een schoolteam werken."))
    team = _require_member(actor, team)
    invalid_if(held_on is None, "held_on", _("Vul de datum van het overleg in."))
    subject = line(subject, "subject", 300)
    meeting = TeamMeeting.objects.create(
        team=team,
        held_on=held_on,
        subject=subject,
        planned_by=actor.stored_user,
        planned_by_organisation=actor.organisation,
    )
    _audit(actor, meeting, f"schoolteam {team.pk}: overleg op {held_on.isoformat()}")
    return meeting


# -- the list -------------------------------------------------------------------------------------


@transaction.atomic
def entry_add(
    *,
    actor: Actor,
    team: SchoolTeam,
    student: Student,
    reason: str,
    on: dt.date | None = None,
    proposal: Proposal | None = None,
) -> ListEntry:
    """Put a child on the team's list: a pupil of the team's school whom the actor's organisation
    already sees. Every member organisation sees the child while it is on the list."""
    if not actor.can(Permission.WORK_ON_CASES):
        raise PermissionDenied(_("Uw rol mag niet in een schoolteam werken."))
    team = _require_member(actor, team)
    require_visible(actor=actor, student=student)  # 404, as the selectors answer
    reason = line(reason, "reason", 300, _("Schrijf waarom het kind op de lijst komt."))
    on = not_after_today(on, "on")
    invalid_if(
        not selectors.enrolled_at(school=team.school, student=student, on=on),
        "student",
        _("Dit kind staat niet ingeschreven op de school van dit team."),
    )
    Student.objects.select_for_update().filter(pk=student.pk).first()
    invalid_if(
        selectors.student_on_list(team=team, student=student) is not None,
        "student",
        _("Dit kind staat al op de lijst."),
    )
    entry = ListEntry.objects.create(
        team=team,
        student=student,
        reason=reason,
        added_on=on,
        added_by=actor.stored_user,
        added_by_organisation=actor.organisation,
        proposal=proposal,
    )
    for member in selectors.active_members(team):
        _give_sight(entry, member, on)
    _audit(
        actor,
        entry,
        f"schoolteam {team.pk}: op de lijst gezet"
        + (f" (voorstel {proposal.signal})" if proposal else ""),
        student,
    )
    return entry


@transaction.atomic
def entry_end(
    *, actor: Actor, entry: ListEntry, reason: str, on: dt.date | None = None
) -> ListEntry:
    """Take a child off the list (with why): the sight it gave the member organisations ends."""
    entry = _active_entry(actor, entry)
    reason = line(reason, "end_reason", 300, _("Schrijf waarom het kind van de lijst gaat."))
    on = not_after_today(on, "on")
    invalid_if(on < entry.added_on, "on", _("Deze datum ligt voor de plaatsing op de lijst."))
    return _close_entry(actor, entry, reason, on)


def _close_entry(actor: Actor, entry: ListEntry, reason: str, on: dt.date) -> ListEntry:
    entry.ended_on = on
    entry.end_reason = reason
    entry.ended_by = actor.stored_user
    entry.save(update_fields=["ended_on", "end_reason", "ended_by"])
    _end_sight(entry.sights.all(), on)
    _audit(
        actor,
        entry,
        f"schoolteam {entry.team_id}: van de lijst",
        entry.student,
        action=AuditAction.UPDATE,
    )
    return entry


# -- discussions ----------------------------------------------------------------------------------


def _causes(causes: Sequence[str], other: str) -> list[tuple[str, str]]:
    invalid_if(
        any(c not in Cause.values for c in causes), "causes", _("Kies oorzaken uit de lijst.")
    )
    other = line(other, "cause_other", DESCRIPTION_LIMIT)
    invalid_if(
        Cause.OTHER in causes and not other,
        "cause_other",
        _("Omschrijf de oorzaak bij ‘anders’."),
    )
    return [(c, other if c == Cause.OTHER else "") for c in dict.fromkeys(causes)]


@transaction.atomic
def discussion_add(
    *,
    actor: Actor,
    entry: ListEntry,
    discussed_on: dt.date | None = None,
    meeting: TeamMeeting | None = None,
    minutes: str = "",
    child_view: str = "",
    parents_view: str = "",
    consent: str = ConsentToShare.NOT_ASKED,
    next_review: dt.date | None = None,
    visibility: str | None = None,
    causes: Sequence[str] = (),
    cause_other: str = "",
    step: str = "",
    step_organisation: Organisation | None = None,
    step_due: dt.date | None = None,
) -> Discussion:
    """Record that the team discussed the child: when (at which meeting of the team), the minutes,
    the child's and the parents' view, consent to share, the next review, the causes and a first
    agreed step. Minutes are read like case notes (``visibility``: the team or own organisation;
    by default as ``cases.services.default_note_visibility``)."""
    entry = _active_entry(actor, entry)
    discussed_on = not_after_today(discussed_on, "discussed_on")
    invalid_if(
        discussed_on < entry.added_on,
        "discussed_on",
        _("Het kind stond toen nog niet op de lijst."),
    )
    invalid_if(
        meeting is not None and meeting.team_id != entry.team_id,
        "meeting",
        _("Dit overleg hoort niet bij dit schoolteam."),
    )
    minutes = line(minutes, "minutes", TEXT_LIMIT)
    child_view = line(child_view, "child_view", TEXT_LIMIT)
    parents_view = line(parents_view, "parents_view", TEXT_LIMIT)
    invalid_if(
        consent not in ConsentToShare.values, "consent", _("Kies of er toestemming is om te delen.")
    )
    invalid_if(
        next_review is not None and next_review < discussed_on,
        "next_review",
        _("De volgende bespreking ligt voor deze bespreking."),
    )
    visibility = visibility or case_services.default_note_visibility(actor)
    invalid_if(
        visibility not in Note.Visibility.values,
        "visibility",
        _("Kies wie het verslag mag lezen."),
    )
    found = _causes(causes, cause_other)
    discussion = Discussion.objects.create(
        entry=entry,
        meeting=meeting,
        discussed_on=discussed_on,
        minutes=minutes,
        child_view=child_view,
        parents_view=parents_view,
        consent=consent,
        next_review=next_review,
        visibility=visibility,
        author=actor.stored_user,
        organisation=actor.organisation,
    )
    DiscussionCause.objects.bulk_create(
        DiscussionCause(discussion=discussion, cause=c, description=d) for c, d in found
    )
    _audit(
        actor,
        discussion,
        f"schoolteam {entry.team_id}: besproken ({discussion.get_visibility_display()})",
        entry.student,
        causes=[c for c, _d in found],
    )
    if step.strip() or step_organisation is not None:
        _step(actor, discussion, entry, step, step_organisation, step_due)
    return discussion


def _step(
    actor: Actor,
    discussion: Discussion,
    entry: ListEntry,
    description: str,
    organisation: Organisation | None,
    due: dt.date | None,
) -> AgreedStep:
    description = line(description, "step", 300, _("Schrijf de afgesproken stap."))
    invalid_if(
        organisation is None
        or not selectors.active_members(entry.team).filter(organisation=organisation).exists(),
        "step_organisation",
        _("Kies wie de stap zet: een organisatie in het schoolteam."),
    )
    invalid_if(
        due is not None and due < discussion.discussed_on,
        "step_due",
        _("Deze datum ligt voor de bespreking."),
    )
    row = AgreedStep.objects.create(
        discussion=discussion,
        description=description,
        owner_organisation=organisation,
        due_date=due,
    )
    _audit(actor, row, f"schoolteam {entry.team_id}: stap afgesproken", entry.student)
    return row


@transaction.atomic
def step_add(
    *,
    actor: Actor,
    discussion: Discussion,
    description: str,
    organisation: Organisation | None,
    due_date: dt.date | None = None,
) -> AgreedStep:
    """One more step agreed in a discussion: what, which member organisation, by when."""
    entry = _active_entry(actor, discussion.entry)
    return _step(actor, discussion, entry, description, organisation, due_date)


# -- proposals ------------------------------------------------------------------------------------


def _open_proposal(actor: Actor, proposal: Proposal) -> Proposal:
    if selectors.proposal_for(actor=actor, pk=proposal.pk) is None:
        raise NotInScopeError(_("Niet gevonden."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.OPEN:
        raise ValidationError(_("Over dit voorstel is al besloten."))
    return proposal


def _decide(actor: Actor, proposal: Proposal, state: str, reason: str) -> None:
    proposal.state = state
    proposal.decided_on = today()
    proposal.decided_by = actor.stored_user
    proposal.decided_by_organisation = actor.organisation
    proposal.reason = reason
    proposal.save(
        update_fields=["state", "decided_on", "decided_by", "decided_by_organisation", "reason"]
    )


@transaction.atomic
def proposal_accept(*, actor: Actor, proposal: Proposal, reason: str = "") -> ListEntry:
    """A member puts the proposed child on the list (the signal's sentence is the reason unless
    another is given)."""
    proposal = _open_proposal(actor, proposal)
    reason = line(reason, "reason", 300) or proposal.sentence[:300]
    entry = entry_add(
        actor=actor, team=proposal.team, student=proposal.student, reason=reason, proposal=proposal
    )
    _decide(actor, proposal, Proposal.State.ACCEPTED, "")
    return entry


@transaction.atomic
def proposal_dismiss(*, actor: Actor, proposal: Proposal, reason: str = "") -> Proposal:
    """A member dismisses the proposal: kept, and the signal does not propose the child to this
    team again for ``QUIET_DAYS``."""
    proposal = _open_proposal(actor, proposal)
    _require_member(actor, proposal.team)
    reason = line(reason, "reason", 300)
    _decide(actor, proposal, Proposal.State.DISMISSED, reason)
    _audit(
        actor,
        proposal,
        f"schoolteam {proposal.team_id}: voorstel ({proposal.signal}) afgewezen",
        proposal.student,
        action=AuditAction.UPDATE,
    )
    return proposal


@transaction.atomic
def proposal_record(
    *, team: SchoolTeam, student: Student, signal: Any, on: dt.date
) -> Proposal | None:
    """Store a care signal's proposal (the sweep): not for a child on the list, nor again while
    one is open, nor within ``QUIET_DAYS`` of a dismissal of the same signal. None: nothing new."""
    if selectors.student_on_list(team=team, student=student) is not None:
        return None
    earlier = team.proposals.filter(student=student, signal=signal.code)
    if earlier.filter(state=Proposal.State.OPEN).exists():
        return None
    quiet = on - dt.timedelta(days=QUIET_DAYS)
    if earlier.filter(state=Proposal.State.DISMISSED, decided_on__gte=quiet).exists():
        return None
    proposal = Proposal.objects.create(
        team=team,
        student=student,
        signal=signal.code,
        signal_name=str(signal.name)[:200],
        sentence=str(signal.sentence)[:500],
        proposed_on=on,
    )
    _audit(
        None,
        proposal,
        f"schoolteam {team.pk}: voorgesteld door zorgsignaal {signal.code}",
        student,
    )
    return proposal


# -- into a case ----------------------------------------------------------------------------------


@transaction.atomic
def move_to_case(*, actor: Actor, entry: ListEntry, on: dt.date | None = None) -> Case:
    """Move a child from the list into a case in one step: the case is opened (by the actor's
    organisation, ``cases.services.case_open``), linked to the entry (the case page shows the
    team's discussions), the causes of the discussions are copied to the case, and the child
    leaves the list (the case team decides who is involved from now on)."""
    entry = _active_entry(actor, entry)
    on = not_after_today(on, "on")
    case = case_services.case_open(
        actor=actor,
        student=entry.student,
        opened_from=OpenedFrom.OTHER,
        source_reference=f"schoolteam {entry.team_id}, lijst {entry.pk}",
        on=on,
    )
    seen: set[tuple[str, str]] = set()
    for row in DiscussionCause.objects.filter(discussion__entry=entry).order_by("pk"):
        key = (row.cause, row.description if row.cause == Cause.OTHER else "")
        if key in seen:
            continue
        seen.add(key)
        case_services.cause_add(
            actor=actor, case=case, cause=row.cause, description=row.description, noted_on=on
        )
    entry.case = case
    entry.save(update_fields=["case"])
    _close_entry(actor, entry, _("naar casus %(pk)s") % {"pk": case.pk}, on)
    _audit(
        actor,
        entry,
        f"schoolteam {entry.team_id}: naar casus {case.pk} "
        f"({', '.join(cause_label(c) for c, _d in seen) or 'geen oorzaken'})",
        entry.student,
        action=AuditAction.UPDATE,
    )
    return case
