"""The world of the role × endpoint matrix (``test_access_matrix``): two sides, A and B.

Each side is a gemeente with a school (member of the side's samenwerkingsverband), a GGD and a
wijkteam, one user per role, a pupil with a melding, a case whose team holds every casework role of
the side (so the GGD and the wijkteam see the pupil through the case), concerns with a match, a leave
request, an exemption request, notifications, personal tokens, a free day and an import report.

The users of the matrix act for side A: side A's objects are "in scope", side B's "out of scope".
The functioneel beheerder and the privacy officer work for school A (imports, free days, people of a
school); the beleidsmedewerker for gemeente A.

Besides the users of the matrix's roles (``members``), each side has ``extra`` people who are no
column of the matrix: a second functioneel beheerder of the school (it asked for the pending role
request the matrix's beheerder decides), and functioneel beheerders of the gemeente and of the
samenwerkingsverband (their imports, finding 2). ``role_request`` is a pending request for the
privacy officer to become zorgcoördinator, asked for by the second beheerder; ``own_role_request``
one for the second beheerder, asked for by the matrix's beheerder (who may not decide it).
Every user has a confirmed second factor (the root ``conftest`` gives force_login a verified
session with it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from inbeeld.accounts.models import (
    Membership,
    Organisation,
    OrganisationType,
    PersonalToken,
    Role,
    RoleGrantRequest,
)
from inbeeld.accounts.services import role_grant_request
from inbeeld.accounts.tests.factories import MembershipFactory, UserFactory, actor_for
from inbeeld.attendance.models import DetectionRun, ImportBatch, Melding, StudentStatus
from inbeeld.barriers.services import barrier_add
from inbeeld.cases import services as cases
from inbeeld.cases.models import Case, ConsentBasis, OpenedFrom
from inbeeld.concerns.models import Concern, Match
from inbeeld.concerns.services import concern_register
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.leave.models import Decider, LeaveKind, LeaveRequest
from inbeeld.notifications.models import Notification, NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.operations.models import BackgroundJob, JobState
from inbeeld.people.models import SchoolFreePeriod, Student
from inbeeld.people.tests.factories import (
    EnrolmentFactory,
    OrganisationFactory,
    SchoolFactory,
    StudentFactory,
)
from inbeeld.rules.escalation import LADDER

ANONYMOUS = "anonymous"
#: every role, in the order of accounts.permissions
ROLES = (
    Role.LEERPLICHTAMBTENAAR,
    Role.SCHOOL_ZORGCOORDINATOR,
    Role.SWV_CONSULTANT,
    Role.JEUGDARTS,
    Role.WIJKTEAM_MEDEWERKER,
    Role.BELEIDSMEDEWERKER,
    Role.FUNCTIONEEL_BEHEERDER,
    Role.PRIVACY_OFFICER,
)
WHO = (ANONYMOUS, *(str(role) for role in ROLES))


@dataclass
class Side:
    """One side of the world: its organisations, people and one object of each kind."""

    gemeente: Organisation
    school_org: Organisation
    swv: Organisation
    ggd: Organisation
    wijkteam: Organisation
    members: dict[str, Membership]
    child: Student
    melding: Melding
    case: Case
    team_member: object  # the wijkteam's place in the case team
    action: object
    referral: object
    escalation: object
    dispute: object
    barrier: object
    cause: object  # a cause of thuiszitten on the case (issue 12 §6)
    concern: Concern
    match: Match
    leave: LeaveRequest
    exemption_request: ExemptionRequest
    free_day: SchoolFreePeriod
    import_batch: ImportBatch
    background_job: BackgroundJob  # a failed import of the school (issue 14)
    role_request: RoleGrantRequest
    own_role_request: RoleGrantRequest
    school_team: object = None  # the school's team, every organisation of the side a member
    school_team_member: object = None  # the wijkteam's place in the school team
    team_entry: object = None  # the child on the team's list
    team_discussion: object = None
    team_proposal: object = None  # a care signal's proposal of the child (open)
    extra: dict[str, Membership] = field(default_factory=dict)
    tokens: dict[str, PersonalToken] = field(default_factory=dict)
    notifications: dict[str, Notification] = field(default_factory=dict)


@dataclass
class World:
    a: Side
    b: Side
    school_year: int

    def side(self, mine: bool) -> Side:
        return self.a if mine else self.b

    def user(self, who: str):
        return self.a.members[who].user


def _organisations(n: int, tag: str) -> dict[str, Organisation]:
    municipality = f"GM000{n}"
    gemeente = OrganisationFactory(
        type=OrganisationType.GEMEENTE,
        code=municipality,
        name=f"Gemeente {tag}",
        municipality_code=municipality,
    )

    def other(kind, code, name):
        return OrganisationFactory(type=kind, code=code, name=name, municipality_code=municipality)

    return {
        "gemeente": gemeente,
        "swv": other(OrganisationType.SAMENWERKINGSVERBAND, f"SWV000{n}", f"SWV {tag}"),
        "ggd": other(OrganisationType.GGD, f"GGD-{tag}", f"GGD {tag}"),
        "wijkteam": other(OrganisationType.WIJKTEAM, f"WIJ-{tag}", f"Wijkteam {tag}"),
    }


def _member(organisation: Organisation, role: str, tag: str) -> Membership:
    user = UserFactory(
        username=f"{role}-{tag}".lower(),
        first_name=role.split("_")[0].capitalize(),
        last_name=tag,
    )
    return MembershipFactory(user=user, organisation=organisation, role=role)


def _token(membership: Membership) -> PersonalToken:
    key = PersonalToken.generate()
    return PersonalToken.objects.create(
        membership=membership, name="matrix", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )


def build_side(n: int, tag: str, run: DetectionRun) -> Side:
    orgs = _organisations(n, tag)
    municipality = orgs["gemeente"].code
    school = SchoolFactory(
        brin=f"{n}{n}AA",
        name=f"School {tag}",
        municipality_code=municipality,
        partnership=orgs["swv"],
    )
    at = {
        Role.LEERPLICHTAMBTENAAR: orgs["gemeente"],
        Role.SCHOOL_ZORGCOORDINATOR: school.organisation,
        Role.SWV_CONSULTANT: orgs["swv"],
        Role.JEUGDARTS: orgs["ggd"],
        Role.WIJKTEAM_MEDEWERKER: orgs["wijkteam"],
        Role.BELEIDSMEDEWERKER: orgs["gemeente"],
        Role.FUNCTIONEEL_BEHEERDER: school.organisation,
        Role.PRIVACY_OFFICER: school.organisation,
    }
    members = {str(role): _member(org, role, tag) for role, org in at.items()}
    extra = {
        name: _member(org, Role.FUNCTIONEEL_BEHEERDER, f"{name}-{tag}")
        for name, org in (
            ("beheerder2", school.organisation),
            ("gemeente_beheerder", orgs["gemeente"]),
            ("swv_beheerder", orgs["swv"]),
        )
    }
    # child-data roles asked for, waiting for a second beheerder (issue 9 finding 13)
    role_request = role_grant_request(
        actor=actor_for(extra["beheerder2"]),
        user=members[Role.PRIVACY_OFFICER].user,
        organisation=school.organisation,
        role=Role.SCHOOL_ZORGCOORDINATOR,
    )
    own_role_request = role_grant_request(
        actor=actor_for(members[Role.FUNCTIONEEL_BEHEERDER]),
        user=extra["beheerder2"].user,
        organisation=school.organisation,
        role=Role.SCHOOL_ZORGCOORDINATOR,
    )
    child = StudentFactory(
        given_names=f"Kind {tag}",
        family_name=f"Matrix{tag}",
        birth_date=dt.date(2013, 3, 1),
        municipality_code=municipality,
    )
    EnrolmentFactory(student=child, school=school, start_date=dt.date(2020, 8, 1))
    today = timezone.localdate()
    StudentStatus.objects.create(
        student=child,
        run=run,
        on_date=run.on_date,
        duty="leerplicht",
        leerplicht_start=dt.date(2018, 4, 1),
        leerplicht_end=dt.date(2030, 7, 31),
        category="langdurig_relatief_verzuim",
        since=run.on_date - dt.timedelta(days=40),
    )
    melding = Melding.objects.create(
        student=child,
        rule="16_uur",
        start_date=run.on_date - dt.timedelta(days=28),
        end_date=run.on_date,
        hours=Decimal(16),
        school=school,
        first_run=run,
    )
    melding.organisations.add(orgs["gemeente"], school.organisation)

    lead = actor_for(members[Role.LEERPLICHTAMBTENAAR])
    case = cases.case_open(
        actor=lead,
        student=child,
        opened_from=OpenedFrom.MELDING,
        melding=melding,
        on=today - dt.timedelta(days=30),
    )
    team = {}
    for role, org, basis in (
        (Role.SCHOOL_ZORGCOORDINATOR, school.organisation, ConsentBasis.ZORGPLICHT),
        (Role.SWV_CONSULTANT, orgs["swv"], ConsentBasis.ZORGPLICHT),
        (Role.JEUGDARTS, orgs["ggd"], ConsentBasis.PUBLIC_HEALTH),
        (Role.WIJKTEAM_MEDEWERKER, orgs["wijkteam"], ConsentBasis.JEUGDWET),
    ):
        team[role] = cases.team_member_add(
            actor=lead,
            case=case,
            user=members[role].user,
            organisation=org,
            role_in_case=str(role),
            reason="doet mee",
            consent_basis=basis,
            on=today - dt.timedelta(days=29),
        )
    action = cases.action_add(
        actor=lead, case=case, description="Gesprek met ouders", due_date=today
    )
    referral = cases.referral_request(
        actor=lead, case=case, kind="jeugdhulp", requested_on=today - dt.timedelta(days=3)
    )
    escalation = cases.escalate(
        actor=lead,
        case=case,
        step=LADDER[0],
        reason="geen voortgang",
        deciding_organisation=orgs["gemeente"],
        deciding_user=lead.user,
        deadline=today + dt.timedelta(days=14),
    )
    dispute = cases.dispute_lodge(actor=lead, case=case, subject="ondersteuning")
    barrier = barrier_add(actor=lead, case=case, kind="leerlingenvervoer")
    cause = cases.cause_add(actor=lead, case=case, cause="pesten")

    def register(role: str, domain: str) -> Concern:
        member = members[role]
        return concern_register(
            actor=actor_for(member),
            student_id=child.pk,  # the GGD and the wijkteam see the child through the case
            domain=domain,
            contact_name=member.user.get_full_name(),
            contact_phone="050 123 45 67",
        )

    concern = register(Role.JEUGDARTS, "health")
    register(Role.WIJKTEAM_MEDEWERKER, "family")
    match = Match.objects.get(student=child)

    leave = LeaveRequest.objects.create(
        student=child,
        school=school,
        kind=LeaveKind.HOLIDAY,
        start_date=today + dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=62),
        requested_on=today,
        requested_by=members[Role.SCHOOL_ZORGCOORDINATOR].user,
        requested_by_organisation=school.organisation,
        school_days=3,
        decider=Decider.SCHOOL,
    )
    exemption_request = ExemptionRequest.objects.create(
        student=child,
        article="5a",
        requested_on=today,
        start_date=today + dt.timedelta(days=30),
        municipality=orgs["gemeente"],
        registered_by=members[Role.LEERPLICHTAMBTENAAR].user,
        partnership=orgs["swv"],
    )
    free_day = SchoolFreePeriod.objects.create(
        school=school,
        start_date=today + dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=20),
        name="Studiedag",
    )
    import_batch = ImportBatch.objects.create(
        organisation=school.organisation,
        user=members[Role.FUNCTIONEEL_BEHEERDER].user,
        source_name="students.csv",
        state=ImportBatch.State.DONE,
        finished_at=timezone.now(),
    )
    background_job = BackgroundJob.objects.create(
        kind="import",
        state=JobState.FAILED,
        organisation=school.organisation,
        started_by=members[Role.FUNCTIONEEL_BEHEERDER].user,
        params={"folder": "jobs/matrix-none", "source": "upload.zip", "source_name": "x.zip"},
        error="OSError: the files are gone",
        finished_at=timezone.now(),
    )
    side = Side(
        gemeente=orgs["gemeente"],
        school_org=school.organisation,
        swv=orgs["swv"],
        ggd=orgs["ggd"],
        wijkteam=orgs["wijkteam"],
        members=members,
        child=child,
        melding=melding,
        case=case,
        team_member=team[Role.WIJKTEAM_MEDEWERKER],
        action=action,
        referral=referral,
        escalation=escalation,
        dispute=dispute,
        barrier=barrier,
        cause=cause,
        concern=concern,
        match=match,
        leave=leave,
        exemption_request=exemption_request,
        free_day=free_day,
        import_batch=import_batch,
        background_job=background_job,
        role_request=role_request,
        own_role_request=own_role_request,
        extra=extra,
    )
    side.school = school
    _school_team(side, school, members, today)
    for who, member in members.items():
        side.tokens[who] = _token(member)
        side.notifications[who] = notify(
            users=[member.user],
            kind=NotificationKind.MATCH,
            title=f"Bericht voor {who} {tag}",
            url="/zorgen/",
        )[0]
    return side


def _school_team(side: Side, school, members, today) -> None:
    """The school's team (issue 12 §1) with the side's organisations, a meeting, a proposal of a
    care signal and the child on the list with a discussion."""
    from inbeeld.prevention import services as teams
    from inbeeld.prevention.models import Proposal

    actor = actor_for(members[Role.SCHOOL_ZORGCOORDINATOR])
    team = teams.team_create(actor=actor, school=school)
    for organisation in (side.gemeente, side.swv, side.ggd, side.wijkteam):
        member = teams.member_add(actor=actor, team=team, organisation=organisation)
    side.school_team, side.school_team_member = team, member
    teams.meeting_plan(actor=actor, team=team, held_on=today)
    side.team_proposal = Proposal.objects.create(
        team=team,
        student=side.child,
        signal="stijgend_ongeoorloofd",
        signal_name="Stijgend ongeoorloofd verzuim",
        sentence="12 uur ongeoorloofd",
        proposed_on=today,
    )
    side.team_entry = teams.entry_add(
        actor=actor, team=team, student=side.child, reason="veel verzuim"
    )
    side.team_discussion = teams.discussion_add(
        actor=actor, entry=side.team_entry, causes=["pesten"]
    )


def export_job(member: Membership, school_year: int) -> BackgroundJob:
    """A finished export of the leerplichttelling (issue 14) by ``member`` for its organisation,
    its file stored as the worker stores it (``monitor.jobs``)."""
    folder = f"jobs/export-matrix-{uuid.uuid4().hex}"
    name = f"leerplichttelling-{school_year}-{(school_year + 1) % 100:02d}.csv"
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True)
    (path / name).write_text("Leerplichttelling;matrix\n", encoding="utf-8")
    return BackgroundJob.objects.create(
        kind="export",
        state=JobState.DONE,
        organisation=member.organisation,
        started_by=member.user,
        params={"school_year": school_year, "format": "csv"},
        result={"folder": folder, "file": name, "school_year": school_year, "format": "csv"},
        finished_at=timezone.now(),
    )


def build_world() -> World:
    today = timezone.localdate()
    run = DetectionRun.objects.create(on_date=today - dt.timedelta(days=1))
    a = build_side(1, "A", run)
    b = build_side(2, "B", run)
    school_year = today.year if today.month >= 8 else today.year - 1
    return World(a=a, b=b, school_year=school_year)
