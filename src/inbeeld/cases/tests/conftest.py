"""A small world for case tests: gemeente A with a school, a GGD and a wijkteam; gemeente B with
its own school. A pupil of school A is at home (lrv) with an lrv melding.

The world also makes what most tests start from: the case gemeente A opens for that child
(``open_case``), a member added to its team (``add_member``: the GGD's jeugdarts unless told), an
action (``add_action``) and a step up the ladder (``escalate``), each through the services with
the defaults below; a test names what matters to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.attendance.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    actor_for,
    pupil,
    two_organisations,
)
from inbeeld.cases import services
from inbeeld.cases.models import Action, Case, ConsentBasis, EscalationStep, OpenedFrom, TeamMember
from inbeeld.people.models import Student

D = dt.date
LRV_ON = D(2025, 9, 15)
#: the day ``open_case`` opens the case, and the day ``add_member`` adds to its team
OPENED_ON = D(2025, 9, 20)
ADDED_ON = D(2025, 9, 22)


@dataclass
class CaseWorld:
    w: object
    ggd: Organisation
    wijkteam: Organisation
    jeugdarts: Membership
    wijkteam_worker: Membership
    child: Student
    child_b: Student
    melding: Melding

    def __getattr__(self, name):
        return getattr(self.w, name)

    def actor(self, membership: Membership):
        return actor_for(membership)

    def open_case(self, on: dt.date = OPENED_ON) -> Case:
        """Gemeente A (leerplicht) opens a case for the child from its lrv melding."""
        return services.case_open(
            actor=self.actor(self.leerplicht_a),
            student=self.child,
            opened_from=OpenedFrom.MELDING,
            melding=self.melding,
            on=on,
        )

    def add_member(
        self,
        case: Case,
        membership: Membership | None = None,
        *,
        by: Membership | None = None,
        **details,
    ) -> TeamMember:
        """Gemeente A (or ``by``) adds the person of ``membership`` (the GGD's jeugdarts) to the
        team; ``details`` of ``team_member_add`` in place of the defaults."""
        membership = membership or self.jeugdarts
        return services.team_member_add(
            actor=self.actor(by or self.leerplicht_a),
            case=case,
            **{
                "user": membership.user,
                "organisation": membership.organisation,
                "role_in_case": "jeugdarts",
                "reason": "langdurig ziekteverzuim eerder dit jaar",
                "consent_basis": ConsentBasis.PARENTS,
                "on": ADDED_ON,
                **details,
            },
        )

    def add_action(self, case: Case, *, by: Membership | None = None, **details) -> Action:
        """Gemeente A (or ``by``) agrees an action on 22 September, due 1 October; ``details`` of
        ``action_add`` in place of the defaults."""
        return services.action_add(
            actor=self.actor(by or self.leerplicht_a),
            case=case,
            **{
                "description": "Gesprek",
                "due_date": D(2025, 10, 1),
                "agreed_on": D(2025, 9, 22),
                **details,
            },
        )

    def escalate(self, case: Case, step: str, **details) -> EscalationStep:
        """Gemeente A takes the case to ``step`` on 1 November, gemeente A (its leerplichtambtenaar)
        to decide by 1 December; ``details`` of ``escalate`` in place of the defaults."""
        return services.escalate(
            actor=self.actor(self.leerplicht_a),
            case=case,
            step=step,
            **{
                "reason": "vast",
                "deciding_organisation": self.gemeente_a,
                "deciding_user": self.leerplicht_a.user,
                "deadline": D(2025, 12, 1),
                "on": D(2025, 11, 1),
                **details,
            },
        )


def _user(membership_org, role, first, last):
    user = UserFactory(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
    return MembershipFactory(user=user, organisation=membership_org, role=role)


@pytest.fixture
def world(db) -> CaseWorld:
    w = two_organisations()
    for m, (first, last) in zip(
        (w.leerplicht_a, w.leerplicht_b, w.school_staff_a, w.school_staff_b),
        (("Lotte", "Vries"), ("Bram", "Berg"), ("Sanne", "Bakker"), ("Kees", "Kok")),
        strict=True,
    ):
        m.user.first_name, m.user.last_name, m.user.email = first, last, f"{first}@example.org"
        m.user.save()
    ggd = OrganisationFactory(
        type=OrganisationType.GGD, code="GGD-A", name="GGD A", municipality_code="GM0001"
    )
    wijkteam = OrganisationFactory(
        type=OrganisationType.WIJKTEAM, code="WIJ-A", name="Wijkteam A", municipality_code="GM0001"
    )
    jeugdarts = _user(ggd, Role.JEUGDARTS, "Eva", "Mulder")
    wijkteam_worker = _user(wijkteam, Role.WIJKTEAM_MEDEWERKER, "Daan", "Visser")
    child = pupil(w.school_a, given_names="Noor", family_name="Aalders")
    child_b = pupil(w.school_b, given_names="Finn", family_name="Evers")
    run = DetectionRun.objects.create(on_date=D(2025, 9, 15))
    StudentStatus.objects.create(
        student=child,
        run=run,
        on_date=D(2025, 9, 15),
        duty="leerplicht",
        leerplicht_start=D(2019, 8, 1),
        leerplicht_end=D(2030, 7, 31),
        category="langdurig_relatief_verzuim",
        since=D(2025, 8, 18),
    )
    melding = Melding.objects.create(
        student=child,
        rule="lrv",
        start_date=D(2025, 8, 18),
        end_date=LRV_ON,
        hours=Decimal(80),
        school=w.school_a,
        first_run=run,
    )
    melding.organisations.add(w.gemeente_a)
    return CaseWorld(w, ggd, wijkteam, jeugdarts, wijkteam_worker, child, child_b, melding)
