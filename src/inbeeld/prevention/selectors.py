"""Reads of the school teams (issue 12 §1), limited to what the actor may see.

* a team is seen by the people (``WORK_ON_CASES``) of its active member organisations;
* a child on its list (an entry) only while the actor may see the child: the list gives each member
  organisation sight while the child is on it (``people.selectors.student_scope``), so a child
  taken off the list is gone for a GGD or wijkteam, and stays for the school whose pupil it is;
* a proposal of a care signal names a child: only for a child the actor already sees (the school,
  leerplicht), never for a member that would learn of the child from the proposal alone;
* the minutes and the views of a discussion follow the rule of case notes
  (``cases.selectors.note_readable``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.cases.models import Case
from inbeeld.cases.selectors import case_for, note_readable
from inbeeld.people.models import School, Student
from inbeeld.people.scope import own_schools
from inbeeld.people.selectors import students_visible_to
from inbeeld.prevention.models import (
    Discussion,
    ListEntry,
    Proposal,
    SchoolTeam,
    TeamMeeting,
    TeamMember,
)

#: the kinds of organisation a school team is made of
MEMBER_TYPES = (
    OrganisationType.SCHOOL,
    OrganisationType.GGD,
    OrganisationType.GEMEENTE,
    OrganisationType.SAMENWERKINGSVERBAND,
    OrganisationType.WIJKTEAM,
)


def _today() -> dt.date:
    return timezone.localdate()


def teams_for(*, actor: Actor) -> QuerySet[SchoolTeam]:
    """The school teams the actor's organisation is an active member of."""
    if not actor.can(Permission.WORK_ON_CASES):
        return SchoolTeam.objects.none()
    member = TeamMember.objects.filter(
        team=OuterRef("pk"), organisation=actor.organisation, left_on__isnull=True
    )
    return (
        SchoolTeam.objects.filter(Exists(member), ended_on__isnull=True)
        .select_related("school")
        .order_by("school__name", "location", "pk")
    )


def team_for(*, actor: Actor, pk: int) -> SchoolTeam | None:
    return teams_for(actor=actor).filter(pk=pk).first()


def is_member(*, actor: Actor, team: SchoolTeam) -> bool:
    return teams_for(actor=actor).filter(pk=team.pk).exists()


def may_manage(*, actor: Actor, team: SchoolTeam) -> bool:
    """Who keeps the team's membership: a member organisation's people who may open cases."""
    return actor.can(Permission.OPEN_CASE) and is_member(actor=actor, team=team)


def schools_for_new_team(*, actor: Actor) -> QuerySet[School]:
    """The schools the actor may set up a team for: its own (``OPEN_CASE``)."""
    if not actor.can(Permission.OPEN_CASE) or not actor.can(Permission.WORK_ON_CASES):
        return School.objects.none()
    return own_schools(actor.organisation).order_by("name")


def active_members(team: SchoolTeam) -> QuerySet[TeamMember]:
    return team.members.filter(left_on__isnull=True).select_related("organisation", "user")


def member_of(*, team: SchoolTeam, pk: int) -> TeamMember | None:
    return active_members(team).filter(pk=pk).first()


def member_for(*, actor: Actor, pk: int) -> TeamMember | None:
    """An active member of a team the actor is in."""
    teams = teams_for(actor=actor).values("pk")
    return (
        TeamMember.objects.filter(pk=pk, team__in=teams, left_on__isnull=True)
        .select_related("team", "organisation")
        .first()
    )


def member_candidates(*, team: SchoolTeam) -> QuerySet[Organisation]:
    """The organisations that may join: of the kinds of a school team, not in it now."""
    return (
        Organisation.objects.filter(type__in=MEMBER_TYPES)
        .exclude(pk__in=active_members(team).values("organisation_id"))
        .order_by("name")
    )


def meetings_of(team: SchoolTeam) -> QuerySet[TeamMeeting]:
    return team.meetings.order_by("held_on", "pk")


def meeting_of(*, team: SchoolTeam, pk: int | None) -> TeamMeeting | None:
    if pk is None:
        return None
    return team.meetings.filter(pk=pk).first()


def _visible_entries(actor: Actor) -> QuerySet[ListEntry]:
    teams = teams_for(actor=actor).values("pk")
    visible = students_visible_to(actor=actor).values("pk")
    return ListEntry.objects.filter(team__in=teams, student__in=visible).select_related(
        "team", "team__school", "student", "case"
    )


def entries_of(*, actor: Actor, team: SchoolTeam) -> QuerySet[ListEntry]:
    """The children on the team's list now (each one the actor sees through the list)."""
    return _visible_entries(actor).filter(team=team, ended_on__isnull=True).order_by("added_on")


def entry_for(*, actor: Actor, pk: int) -> ListEntry | None:
    """One child's entry on a team's list, while the actor may see the child (None: 404)."""
    return _visible_entries(actor).filter(pk=pk).first()


def entries_listed(*, actor: Actor, team: int | None = None, active: bool | None = None):
    """The API's list of entries: of the actor's teams, narrowed to a team and active or not."""
    rows = _visible_entries(actor)
    if team:
        rows = rows.filter(team_id=team)
    if active is True:
        rows = rows.filter(ended_on__isnull=True)
    elif active is False:
        rows = rows.filter(ended_on__isnull=False)
    return rows.order_by("team_id", "added_on", "pk")


def proposals_of(*, actor: Actor, team: SchoolTeam) -> QuerySet[Proposal]:
    """The open proposals of the care signals, of children the actor already sees."""
    visible = students_visible_to(actor=actor).values("pk")
    return (
        team.proposals.filter(state=Proposal.State.OPEN, student__in=visible)
        .select_related("student")
        .order_by("proposed_on", "student__family_name", "pk")
    )


def proposal_for(*, actor: Actor, pk: int) -> Proposal | None:
    teams = teams_for(actor=actor).values("pk")
    visible = students_visible_to(actor=actor).values("pk")
    return (
        Proposal.objects.filter(pk=pk, team__in=teams, student__in=visible)
        .select_related("team", "student")
        .first()
    )


@dataclass(frozen=True)
class DiscussionView:
    """A discussion as the actor may read it: the minutes and views only when ``readable``."""

    discussion: Discussion
    readable: bool


def discussions_of(*, actor: Actor, entry: ListEntry) -> list[DiscussionView]:
    """The discussions of a child on the list, newest first; the minutes and the child's and
    parents' views only where the rule of case notes lets the actor read them."""
    readable = set(
        entry.discussions.filter(note_readable(actor=actor)).values_list("pk", flat=True)
    )
    rows = (
        entry.discussions.select_related("meeting", "author", "organisation")
        .prefetch_related("steps__owner_organisation", "steps__owner_user", "causes")
        .order_by("-discussed_on", "-pk")
    )
    return [DiscussionView(d, d.pk in readable) for d in rows]


def discussion_for(*, actor: Actor, pk: int) -> Discussion | None:
    entries = _visible_entries(actor).filter(ended_on__isnull=True).values("pk")
    return Discussion.objects.filter(pk=pk, entry__in=entries).select_related("entry__team").first()


def entries_of_case(*, actor: Actor, case: Case) -> list[ListEntry]:
    """The school-team entries a case came from (its history), for those who see the case."""
    if case_for(actor=actor, pk=case.pk) is None:
        return []
    return list(case.school_team_entries.select_related("team", "team__school").order_by("pk"))


def student_on_list(*, team: SchoolTeam, student: Student) -> ListEntry | None:
    return team.entries.filter(student=student, ended_on__isnull=True).first()


def enrolled_at(*, school: School, student: Student, on: dt.date | None = None) -> bool:
    """Is the child a pupil of the school (or of the same BRIN's locations) on ``on``?"""
    on = on or _today()
    return student.enrolments.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        start_date__lte=on,
        school=school,
    ).exists()
