"""The demo: four cases in different stages for the demo users; the GGD sees the child of the
case it is in, the wijkteam none; running it again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.attendance.models import StudentStatus
from inbeeld.attendance.tests.factories import MembershipFactory, OrganisationFactory, pupil
from inbeeld.cases import selectors
from inbeeld.cases.demo import cases_demo
from inbeeld.cases.models import Case
from inbeeld.people.selectors import student_for

D = dt.date
ON = D(2025, 12, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world):
    swv = OrganisationFactory(
        type=OrganisationType.SAMENWERKINGSVERBAND, code="SWV-A", name="SWV A"
    )
    world.school_a.partnership = swv
    world.school_a.save()
    for membership, name in (
        (world.leerplicht_a, "demo-leerplicht"),
        (world.school_staff_a, "demo-school"),
        (world.jeugdarts, "demo-ggd"),
        (world.wijkteam_worker, "demo-wijkteam"),
    ):
        membership.user.username = name
        membership.user.save()
    world.swv_member = MembershipFactory(organisation=swv, role=Role.SWV_CONSULTANT)
    world.swv_member.user.username = "demo-swv"
    world.swv_member.user.save()
    run = StudentStatus.objects.get(student=world.child).run
    for n in range(4):
        child = pupil(world.school_a, family_name=f"Thuis{n}")
        StudentStatus.objects.create(
            student=child,
            run=run,
            on_date=ON,
            duty="leerplicht",
            leerplicht_start=D(2019, 8, 1),
            leerplicht_end=D(2030, 7, 31),
            category="langdurig_relatief_verzuim",
            since=D(2025, 6, 2 + n),
        )
    return world


def test_four_cases_in_different_stages(demo_world):
    w = demo_world
    made = [Case.objects.get(pk=c.pk) for c in cases_demo(on=ON)]
    assert len(made) == 4
    states = [c.state for c in made]
    assert states == ["geopend", "in_uitvoering", "in_uitvoering", "terug_op_school"]
    just_opened, school_case, stuck, returned = made
    assert just_opened.source_melding == w.melding
    assert selectors.proposal_for(case=just_opened, on=ON) is not None
    assert school_case.lead_organisation == w.school_a.organisation
    assert school_case.referrals.get().kind == "jeugd_ggz"
    assert school_case.meetings.get().child_view
    assert stuck.escalation_step == "doorbraakoverleg"
    assert stuck.escalations.last().deciding_organisation == w.gemeente_a
    assert stuck.lead_organisation.type == OrganisationType.SAMENWERKINGSVERBAND
    assert returned.outcomes.get().kind == "gedeeltelijk"
    # causes of thuiszitten (issue 12 §6), more than one per case
    assert sorted(stuck.causes.values_list("cause", flat=True)) == [
        "ondersteuningsbehoefte",
        "pesten",
    ]
    assert school_case.causes.count() == returned.causes.count() == 2
    assert not just_opened.causes.exists()
    ggd = w.actor(w.jeugdarts)
    assert list(selectors.cases_for(actor=ggd)) == [school_case]
    assert student_for(actor=ggd, pk=school_case.student_id) is not None
    assert not selectors.cases_for(actor=w.actor(w.wijkteam_worker)).exists()
    assert cases_demo(on=ON) == []
    assert Case.objects.count() == 4
