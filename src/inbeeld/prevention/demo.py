"""The demo's school team (issue 12 §1): the team of the demo school (Zernike College in the demo
municipality) with the school, leerplicht, the samenwerkingsverband, the GGD and the wijkteam (each
with its demo user), a meeting last week and one in two weeks, and two pupils on the list (not in
a case) with a discussion each; then the care signals' sweep proposes pupils. Runs once: with any
school team present it does nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from inbeeld.accounts.models import Role
from inbeeld.accounts.selectors import actor_of_username
from inbeeld.cases.models import Case
from inbeeld.people.models import School, Student
from inbeeld.people.scope import current
from inbeeld.prevention import services
from inbeeld.prevention.models import SchoolTeam
from inbeeld.prevention.sweep import proposals_sweep

DAY = dt.timedelta(days=1)
MEMBERS = ("demo-leerplicht", "demo-swv", "demo-ggd", "demo-wijkteam")
STORIES = (
    {
        "reason": "veel kortdurend ziekteverzuim sinds de herfstvakantie",
        "minutes": "Mentor ziet een stil kind; ziekmeldingen steeds op maandag.",
        "child_view": "Zegt buikpijn te hebben voor de gymles.",
        "parents_view": "Moeder wil graag meedenken; vader werkt in ploegendienst.",
        "consent": "gegeven",
        "causes": ["pesten"],
        "step": "Gesprek met de jeugdarts over het ziekteverzuim",
        "by": "demo-ggd",
    },
    {
        "reason": "stijgend ongeoorloofd verzuim, te laat komen",
        "minutes": "Komt vaak te laat; thuis is veel aan de hand na de scheiding.",
        "child_view": "Moet 's ochtends zijn broertje naar school brengen.",
        "parents_view": "Vader is niet bereikt.",
        "consent": "niet_gevraagd",
        "causes": ["scheiding", "thuissituatie"],
        "step": "Huisbezoek door het wijkteam",
        "by": "demo-wijkteam",
    },
)


def _school(actor) -> School | None:
    return School.objects.filter(organisation=actor.organisation).first()


@transaction.atomic
def _team(on: dt.date, say: Callable[[str], None]) -> SchoolTeam | None:
    school_actor = actor_of_username("demo-school")
    if school_actor is None or (school := _school(school_actor)) is None:
        say("no demo school user: no school team")
        return None
    team = services.team_create(
        actor=school_actor,
        school=school,
        name=f"Zorg- en adviesteam {school.name}",
        on=on - 60 * DAY,
    )
    actors = {}
    for username in MEMBERS:
        actor = actor_of_username(username)
        if actor is None:
            continue
        actors[username] = actor
        services.member_add(
            actor=school_actor,
            team=team,
            organisation=actor.organisation,
            user=actor.user,
            role_in_team=str(Role(actor.roles[0]).label) if actor.roles else "",
            on=on - 60 * DAY,
        )
    last = services.meeting_plan(
        actor=school_actor, team=team, held_on=on - 7 * DAY, subject="maandelijks overleg"
    )
    services.meeting_plan(
        actor=school_actor, team=team, held_on=on + 14 * DAY, subject="maandelijks overleg"
    )
    in_cases = Case.objects.values("student_id")
    pupils = (
        Student.objects.filter(current("enrolments__", on), enrolments__school=school)
        .exclude(pk__in=in_cases)
        .distinct()
        .order_by("pk")[: len(STORIES)]
    )
    for student, story in zip(pupils, STORIES, strict=False):
        entry = services.entry_add(
            actor=school_actor,
            team=team,
            student=student,
            reason=story["reason"],
            on=on - 30 * DAY,
        )
        owner = actors.get(story["by"])
        services.discussion_add(
            actor=school_actor,
            entry=entry,
            meeting=last,
            discussed_on=last.held_on,
            minutes=story["minutes"],
            child_view=story["child_view"],
            parents_view=story["parents_view"],
            consent=story["consent"],
            next_review=on + 14 * DAY,
            visibility="team",
            causes=story["causes"],
            step=story["step"],
            step_organisation=owner.organisation if owner else school_actor.organisation,
            step_due=on + 7 * DAY,
        )
    say(f"school team {team.name}: {len(actors) + 1} members, {len(pupils)} children on the list")
    return team


def school_teams_demo(
    *, on: dt.date, say: Callable[[str], None] = lambda message: None, sweep: bool = True
) -> SchoolTeam | None:
    if SchoolTeam.objects.exists():
        say("demo school team already there")
        return None
    team = _team(on, say)
    if team is not None and sweep:
        say("care signals: proposals for the school team (all pupils in one run)")
        result = proposals_sweep(on=on, say=say)
        say(f"care signals: {result.proposed} proposals")
    return team
