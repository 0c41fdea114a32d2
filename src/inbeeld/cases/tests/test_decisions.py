"""Decisions by a named person (issue 11 §3): an escalation step names who decides (a user of the
deciding organisation who may decide); the deciding organisation records the decision, or a
member of the case team who may manage the case records it "namens" the decider, with the
decider's name and the date; the timeline says both; ``decisions_owed`` lists what is owed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.attendance.tests.factories import MembershipFactory, UserFactory
from inbeeld.cases import selectors, services
from inbeeld.cases.models import EscalationStep, Step
from inbeeld.cases.tests.test_api import client_for
from inbeeld.cases.tests.test_views import login
from inbeeld.notifications.models import Notification, NotificationKind

D = dt.date
pytestmark = pytest.mark.django_db
STEP_ON = D(2025, 10, 1)
DEADLINE = D(2025, 12, 1)


def escalate_to_school(world, case, step=Step.SCHOOL_TEAM, **details):
    """Gemeente A takes the case to the school team on 1 October, Sanne Bakker of school A to
    decide by 1 December; ``details`` of ``escalate`` in place of these."""
    return world.escalate(
        case,
        step,
        **{
            "reason": "geen passend aanbod",
            "deciding_organisation": world.school_a.organisation,
            "deciding_user": world.school_staff_a.user,
            "deadline": DEADLINE,
            "on": STEP_ON,
            **details,
        },
    )


def second_school_decider(world):
    user = UserFactory(first_name="Iris", last_name="Smit")
    MembershipFactory(
        user=user, organisation=world.school_a.organisation, role=Role.SCHOOL_ZORGCOORDINATOR
    )
    return user


# -- naming the decider ---------------------------------------------------------------------------


def test_the_step_names_the_decider_who_is_notified(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    assert step.deciding_user == world.school_staff_a.user
    notification = Notification.objects.get(
        user=world.school_staff_a.user, kind=NotificationKind.ESCALATION
    )
    assert "Sanne Bakker" in notification.body
    timeline = [
        i.text for i in selectors.timeline(actor=world.actor(world.leerplicht_a), case=case)
    ]
    org = world.school_a.organisation.name
    assert any(f"beslist door {org} (Sanne Bakker), uiterlijk 01-12-2025" in t for t in timeline)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("none", "Kies wie van"),
        ("other_organisation", "werkt niet (meer) bij"),  # leerplicht is not the school
        ("inactive_user", "werkt niet (meer) bij"),
        ("inactive_membership", "werkt niet (meer) bij"),
        ("no_permission", "werkt niet (meer) bij"),  # a jeugdarts advises, does not decide
    ],
)
def test_the_decider_must_be_able_to_decide_for_the_deciding_organisation(world, who, message):
    case = world.open_case()
    deciding_organisation = world.school_a.organisation
    if who == "other_organisation":
        user = world.leerplicht_a.user
    elif who == "inactive_user":
        user = second_school_decider(world)
        user.is_active = False
        user.save()
    elif who == "inactive_membership":
        user = second_school_decider(world)
        user.memberships.update(active=False)
    elif who == "no_permission":
        user, deciding_organisation = world.jeugdarts.user, world.ggd
    else:
        user = None
    with pytest.raises(ValidationError) as error:
        escalate_to_school(
            world, case, deciding_organisation=deciding_organisation, deciding_user=user
        )
    assert message in error.value.message_dict["deciding_user"][0]
    assert not EscalationStep.objects.exists()


# -- recording the decision -----------------------------------------------------------------------


def test_the_deciding_organisation_records_its_decision(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    services.escalation_decide(
        actor=world.actor(world.school_staff_a), step=step, decision="plek", on=D(2025, 10, 20)
    )
    step.refresh_from_db()
    assert (step.decided_by, step.decided_on_behalf_of) == (world.school_staff_a.user, None)
    assert step.decider == world.school_staff_a.user
    texts = [i.text for i in selectors.timeline(actor=world.actor(world.leerplicht_a), case=case)]
    assert "Besluit schoolteam: plek – besluit van Sanne Bakker" in texts
    with pytest.raises(ValidationError, match="al besloten"):
        services.escalation_decide(actor=world.actor(world.school_staff_a), step=step, decision="x")


def test_the_lead_does_not_decide_for_another_organisation(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    with pytest.raises(PermissionDenied, match="namens de beslisser"):
        services.escalation_decide(actor=world.actor(world.leerplicht_a), step=step, decision="x")
    step.refresh_from_db()
    assert step.decided_on is None


def test_a_team_member_who_manages_the_case_records_it_namens_the_decider(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    services.escalation_decide(
        actor=world.actor(world.leerplicht_a),
        step=step,
        decision="plek op De Linde",
        on=D(2025, 10, 15),
        on_behalf_of=world.school_staff_a.user,
    )
    step.refresh_from_db()
    assert step.decided_by == world.leerplicht_a.user
    assert step.decided_on_behalf_of == world.school_staff_a.user
    assert step.decided_on == D(2025, 10, 15)
    assert step.decider == world.school_staff_a.user
    items = selectors.timeline(actor=world.actor(world.leerplicht_a), case=case)
    decided = [i for i in items if i.text.startswith("Besluit schoolteam")]
    assert decided[0].on == D(2025, 10, 15)
    assert decided[0].text == (
        "Besluit schoolteam: plek op De Linde – besluit van Sanne Bakker, vastgelegd door "
        "Lotte Vries namens Sanne Bakker"
    )


def test_namens_may_name_another_decider_of_the_deciding_organisation(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    colleague = second_school_decider(world)
    services.escalation_decide(
        actor=world.actor(world.leerplicht_a),
        step=step,
        decision="plek",
        on=D(2025, 10, 15),
        on_behalf_of=colleague,
    )
    step.refresh_from_db()
    assert (step.deciding_user, step.decider) == (world.school_staff_a.user, colleague)


@pytest.mark.parametrize(
    ("on", "field", "message"),
    [
        (None, "decided_on", "Vul de datum van het besluit in"),
        ("future", "decided_on", "in de toekomst"),
        (D(2025, 9, 30), "decided_on", "voor de opschaling"),
        ("not_a_decider", "on_behalf_of", "werkt niet (meer) bij"),
    ],
)
def test_a_decision_namens_needs_a_decider_and_a_valid_date(world, on, field, message):
    case = world.open_case()
    world.add_member(case)
    step = escalate_to_school(world, case)
    on_behalf_of = world.school_staff_a.user
    if on == "future":
        on = timezone.localdate() + dt.timedelta(days=1)
    elif on == "not_a_decider":
        on, on_behalf_of = D(2025, 10, 15), world.jeugdarts.user
    with pytest.raises(ValidationError) as error:
        services.escalation_decide(
            actor=world.actor(world.leerplicht_a),
            step=step,
            decision="plek",
            on=on,
            on_behalf_of=on_behalf_of,
        )
    assert message in error.value.message_dict[field][0]
    step.refresh_from_db()
    assert step.decided_on is None


def test_only_a_team_member_who_may_manage_the_case_records_namens(world):
    case = world.open_case()
    world.add_member(case)
    step = escalate_to_school(world, case)
    kwargs = {
        "step": step,
        "decision": "x",
        "on": D(2025, 10, 15),
        "on_behalf_of": world.school_staff_a.user,
    }
    # the jeugdarts is in the team but may not manage a case
    with pytest.raises(PermissionDenied, match="casusteam zit en de casus mag regisseren"):
        services.escalation_decide(actor=world.actor(world.jeugdarts), **kwargs)
    # the school may manage cases and sees this one (it decides), but is not in its team
    with pytest.raises(PermissionDenied, match="casusteam"):
        services.escalation_decide(actor=world.actor(world.school_staff_a), **kwargs)
    # once the lead's own membership has ended, the lead no longer records namens either
    lead = world.actor(world.leerplicht_a)
    services.team_member_end(actor=lead, member=case.team.get(user=world.leerplicht_a.user))
    with pytest.raises(PermissionDenied, match="casusteam"):
        services.escalation_decide(actor=lead, **kwargs)


# -- decisions owed ("Vandaag") -------------------------------------------------------------------


def test_decisions_owed_to_the_named_decider_and_the_deciding_organisation(world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    colleague = second_school_decider(world)
    on = D(2025, 11, 1)

    owed = list(selectors.decisions_owed(actor=world.actor(world.school_staff_a), on=on))
    assert [(s.pk, s.named, s.overdue, s.deadline) for s in owed] == [
        (step.pk, True, False, DEADLINE)
    ]
    school_colleague = world.actor(colleague.memberships.get())
    assert [(s.pk, s.named) for s in selectors.decisions_owed(actor=school_colleague, on=on)] == [
        (step.pk, False)
    ]
    after = selectors.decisions_owed(actor=world.actor(world.school_staff_a), on=D(2025, 12, 2))
    assert [s.overdue for s in after] == [True]
    # the lead owes no decision, nor does another gemeente (which does not see the case)
    assert not selectors.decisions_owed(actor=world.actor(world.leerplicht_a), on=on).exists()
    assert not selectors.decisions_owed(actor=world.actor(world.leerplicht_b), on=on).exists()
    # once decided it is no longer owed
    services.escalation_decide(
        actor=world.actor(world.school_staff_a), step=step, decision="plek", on=D(2025, 10, 20)
    )
    assert not selectors.decisions_owed(actor=world.actor(world.school_staff_a), on=on).exists()


# -- the page and the API -------------------------------------------------------------------------


def test_the_page_records_a_decision_namens_and_shows_both_names(client, world):
    case = world.open_case()
    step = escalate_to_school(world, case)
    login(client, world.leerplicht_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="decision-on-behalf"' in page
    assert reverse("cases:act", args=[case.pk, "besluit"]) + '"' not in page  # not the decider
    url = reverse("cases:act", args=[case.pk, "besluit_namens"])
    data = {"id": step.pk, "decision": "plek", "on_behalf_of": world.school_staff_a.user.pk}
    missing = client.post(url, data)
    assert missing.status_code == 400
    assert "Datum van het besluit" in missing.content.decode()
    done = client.post(url, {**data, "decided_on": "2025-10-15"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    body = done.content.decode()
    assert "Besluit vastgelegd namens Sanne Bakker." in body
    assert "Besluit van Sanne Bakker, vastgelegd door Lotte Vries namens Sanne Bakker." in body
    assert "besluit van Sanne Bakker, vastgelegd door Lotte Vries namens Sanne Bakker" in body


def test_the_page_refuses_namens_to_a_team_member_who_may_not_manage_the_case(client, world):
    case = world.open_case()
    world.add_member(case)
    step = escalate_to_school(world, case)
    login(client, world.jeugdarts)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="decision-on-behalf"' not in page
    response = client.post(
        reverse("cases:act", args=[case.pk, "besluit_namens"]),
        {
            "id": step.pk,
            "decision": "x",
            "on_behalf_of": world.school_staff_a.user.pk,
            "decided_on": "2025-10-15",
        },
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.decided_on is None


def test_the_page_names_the_decider_when_escalating(client, world):
    case = world.open_case()
    login(client, world.leerplicht_a)
    url = reverse("cases:act", args=[case.pk, "opschalen"])
    data = {
        "step": "school_team",
        "reason": "vast",
        "deciding_organisation": world.school_a.organisation.pk,
        "deadline": "2099-01-01",
    }
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Persoon die beslist" in page
    assert "Sanne Bakker" in page
    wrong = client.post(url, {**data, "deciding_user": world.leerplicht_a.user.pk})
    assert wrong.status_code == 400
    org = world.school_a.organisation.name
    assert f"Lotte Vries werkt niet (meer) bij {org}" in wrong.content.decode()
    assert (
        client.post(url, {**data, "deciding_user": world.school_staff_a.user.pk}).status_code == 302
    )
    assert case.escalations.get().deciding_user == world.school_staff_a.user


def test_the_api_names_the_decider_and_records_namens(world):
    case = world.open_case()
    lead = client_for(world.leerplicht_a)
    url = f"/api/v1/cases/{case.pk}/escalations"
    body = {
        "step": "school_team",
        "reason": "vast",
        "deciding_organisation": world.school_a.organisation.pk,
        "deciding_username": world.jeugdarts.user.username,
        "deadline": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
    }
    refused = lead.post(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["name"] == "deciding_username"
    body["deciding_username"] = world.school_staff_a.user.username
    created = lead.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["deciding_username"] == world.school_staff_a.user.username

    decide = f"/api/v1/cases/{case.pk}/escalations/{created.json()['id']}/decision"
    direct = lead.post(decide, {"decision": "x"}, format="json")
    assert direct.status_code == 403
    assert "namens de beslisser" in direct.json()["detail"]
    unknown = lead.post(decide, {"decision": "x", "on_behalf_of": "niemand"}, format="json")
    assert unknown.json()["invalidParams"][0]["name"] == "on_behalf_of"
    no_date = lead.post(
        decide,
        {"decision": "x", "on_behalf_of": world.school_staff_a.user.username},
        format="json",
    )
    assert no_date.status_code == 400
    assert no_date.json()["invalidParams"][0]["name"] == "decided_on"
    today = timezone.localdate().isoformat()
    namens = lead.post(
        decide,
        {
            "decision": "plek",
            "on_behalf_of": world.school_staff_a.user.username,
            "decided_on": today,
        },
        format="json",
    )
    assert namens.status_code == 200, namens.content
    data = namens.json()
    assert data["decided_by_username"] == world.leerplicht_a.user.username
    assert data["decided_on_behalf_of_username"] == world.school_staff_a.user.username
    assert data["decided_on"] == today


def test_decisions_owed_come_in_order_of_deadline_and_only_of_open_cases(world):
    case = world.open_case()
    first = escalate_to_school(world, case)
    lead = world.actor(world.leerplicht_a)
    second = escalate_to_school(
        world,
        case,
        Step.BOVENSCHOOLS_TEAM,
        reason="nog steeds vast",
        deadline=D(2025, 11, 1),
        on=D(2025, 10, 2),
    )
    school = world.actor(world.school_staff_a)
    assert [s.pk for s in selectors.decisions_owed(actor=school, on=D(2025, 10, 3))] == [
        second.pk,
        first.pk,
    ]
    services.case_close(
        actor=lead, case=case, reason="verhuisd_uitgeschreven", confirmed=True, on=D(2025, 10, 5)
    )
    assert not selectors.decisions_owed(actor=school, on=D(2025, 10, 6)).exists()
