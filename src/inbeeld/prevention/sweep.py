"""The sweep that lets the care signals propose children for the school teams' lists (issue 12
§1, §3): for each active team, the care signals of each current pupil of its school, as the school
sees the child, evaluated on a day; a signal that fires stores a proposal (``Proposal``) that a
member accepts or dismisses. The pupils of a school are evaluated together, in one run of the
conditions (``care_signals_of_pupils``); the team page shows what the sweep stored rather than
evaluating on each view. Idempotent: running it again on the same day (or a
later one) adds nothing for a proposal that is open, a child on the list, or a recent dismissal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import User
from inbeeld.accounts.permissions import Permission
from inbeeld.people.models import Student
from inbeeld.people.scope import current
from inbeeld.prevention.care_signals import care_signals_of_pupils
from inbeeld.prevention.models import SchoolTeam
from inbeeld.prevention.services import proposal_record


@dataclass(frozen=True)
class SweepResult:
    teams: int
    children: int
    proposed: int


def _school_actor(team: SchoolTeam) -> Actor | None:
    """The system acting for the team's school: it reads what the school sees of its pupils."""
    organisation = team.school.organisation
    if organisation is None:
        return None
    return Actor(
        User(username="zorgsignalen"),
        organisation,
        (),
        frozenset({Permission.VIEW_STUDENT, Permission.WORK_ON_CASES}),
    )


def proposals_sweep(
    *, on: dt.date | None = None, say: Callable[[str], None] = lambda message: None
) -> SweepResult:
    """Evaluate the care signals for the pupils of every active team's school on ``on`` (today)
    and store the proposals; returns what was looked at and how many proposals are new."""
    on = on or timezone.localdate()
    teams = SchoolTeam.objects.filter(ended_on__isnull=True).select_related("school__organisation")
    children = proposed = counted = 0
    for team in teams:
        actor = _school_actor(team)
        if actor is None:
            continue
        counted += 1
        pupils = list(
            Student.objects.filter(current("enrolments__", on), enrolments__school=team.school)
            .distinct()
            .order_by("pk")
        )
        fired = care_signals_of_pupils(actor=actor, students=pupils, on=on)
        for student in pupils:
            children += 1
            for signal in fired.get(student.pk, []):
                if proposal_record(team=team, student=student, signal=signal, on=on):
                    proposed += 1
        say(f"{team.name}: {len(pupils)} leerlingen bekeken")
    return SweepResult(teams=counted, children=children, proposed=proposed)
