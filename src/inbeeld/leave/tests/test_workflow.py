"""The leave request as a state machine (issue 13): every move the table allows is accepted by the
service and recorded in the history, every other one is refused with its reason and leaves no row;
the page offers exactly the allowed decisions; the history is appended, never edited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.leave import services, workflow
from inbeeld.leave.models import LeaveRequest, LeaveRequestStateChange
from inbeeld.leave.tests.test_services import register
from inbeeld.leave.workflow import (
    AFGEWEZEN,
    DOORGESTUURD,
    INGEDIEND,
    NIET_ONTVANKELIJK,
    TOEGEKEND,
    LeaveState,
)
from inbeeld.people.tests.request_history import assert_append_only
from inbeeld.rules.leave import WEIGHTY

D = dt.date
DECISIONS = {TOEGEKEND: "toekennen", AFGEWEZEN: "afwijzen"}


def in_state(w, state: str) -> tuple[LeaveRequest, object]:
    """A request in ``state`` through the services, and who decides it."""
    if state == DOORGESTUURD:
        return register(w, kind=WEIGHTY, end_date=D(2025, 3, 24), reason="huwelijk"), w.leerplicht
    if state == NIET_ONTVANKELIJK:
        return register(w, employer_statement=False), w.school
    leave = register(w)
    if state != INGEDIEND:
        leave = services.leave_request_decide(
            actor=w.school, leave=leave, grant=state == TOEGEKEND, note="besluit"
        )
    return leave, w.school


def history(leave) -> list[tuple[str, str]]:
    return list(
        LeaveRequestStateChange.objects.filter(request=leave).values_list("from_state", "to_state")
    )


def test_the_table_holds_every_state_and_only_known_ones():
    assert set(workflow.TRANSITIONS) == {workflow.NEW, *LeaveState.values}
    for targets in workflow.TRANSITIONS.values():
        assert set(targets) <= set(LeaveState.values)
    assert workflow.WORKFLOW.allowed(TOEGEKEND) == workflow.WORKFLOW.allowed(AFGEWEZEN) == {}


@pytest.mark.parametrize("from_state", LeaveState.values)
@pytest.mark.parametrize("to_state", [TOEGEKEND, AFGEWEZEN])
def test_every_decision_the_table_allows_is_made_and_recorded_every_other_refused(
    world, from_state, to_state
):
    leave, decider = in_state(world, from_state)
    assert leave.state == from_state
    before = history(leave)
    grant = to_state == TOEGEKEND
    if to_state in workflow.WORKFLOW.allowed(from_state):
        assert workflow.WORKFLOW.refusal(leave, to_state, decider) is None
        leave = services.leave_request_decide(
            actor=decider, leave=leave, grant=grant, note="reden", on=D(2025, 2, 1)
        )
        assert leave.state == to_state
        change = LeaveRequestStateChange.objects.filter(request=leave).last()
        assert history(leave) == [*before, (from_state, to_state)]
        assert (change.step, change.on, change.note) == (
            workflow.WORKFLOW.allowed(from_state)[to_state],
            D(2025, 2, 1),
            "reden",
        )
        assert (change.user, change.organisation) == (decider.user, decider.organisation)
    else:
        reason = workflow.WORKFLOW.refusal(leave, to_state, decider)
        assert reason is not None
        with pytest.raises(ValidationError) as refused:
            services.leave_request_decide(actor=decider, leave=leave, grant=grant, note="reden")
        assert refused.value.messages == [reason]
        assert ("niet-ontvankelijk" if from_state == NIET_ONTVANKELIJK else "al beslist") in reason
        leave.refresh_from_db()
        assert leave.state == from_state
        assert history(leave) == before


def test_who_may_not_decide_is_refused_with_the_reason_before_the_state(world):
    leave = register(world)
    reason = workflow.WORKFLOW.refusal(leave, TOEGEKEND, world.leerplicht)
    assert reason == "U mag over deze verlofaanvraag niet beslissen."
    assert workflow.WORKFLOW.available_transitions(leave, world.leerplicht) == {}
    with pytest.raises(PermissionDenied, match=reason):
        services.leave_request_decide(actor=world.leerplicht, leave=leave, grant=True)
    assert history(leave) == [("", INGEDIEND)]


@pytest.mark.parametrize(
    ("kw", "first"),
    [
        ({}, INGEDIEND),
        ({"kind": WEIGHTY, "end_date": D(2025, 3, 24), "reason": "huwelijk"}, DOORGESTUURD),
        ({"employer_statement": False, "record_refused": True}, AFGEWEZEN),
        ({"employer_statement": False}, NIET_ONTVANKELIJK),
    ],
)
def test_the_registration_is_the_first_row_of_the_history(world, kw, first):
    leave = register(world, requested_on=D(2025, 1, 20), **kw)
    (change,) = LeaveRequestStateChange.objects.filter(request=leave)
    assert (change.from_state, change.to_state) == ("", first)
    assert change.step == workflow.WORKFLOW.allowed(workflow.NEW)[first]
    assert change.organisation == world.school_a.organisation
    assert change.user == world.school_staff_a.user
    assert change.on == (leave.decided_on if first == AFGEWEZEN else D(2025, 1, 20))


def test_the_registration_checks_the_table(world):
    with pytest.raises(ValidationError, match="kan niet naar"):
        workflow.WORKFLOW.check_step(workflow.NEW, TOEGEKEND)


def test_the_history_is_appended_never_edited(world):
    leave = register(world)
    assert_append_only(LeaveRequestStateChange, leave, field="note")
    assert LeaveRequestStateChange.objects.get(request=leave).note == ""
    # the request itself going (a child's data removed) takes its history along
    leave.delete()
    assert not LeaveRequestStateChange.objects.exists()


def _offered(client, leave) -> list[str]:
    page = client.get(reverse("leave:detail", args=[leave.pk])).content.decode()
    return re.findall(r'name="decision" value="(\w+)"', page)


@pytest.mark.parametrize("state", LeaveState.values)
def test_the_page_offers_exactly_the_allowed_decisions(client, world, state):
    leave, decider = in_state(world, state)
    member = world.leerplicht_a if decider is world.leerplicht else world.school_staff_a
    assert client.login(username=member.user.username, password=PASSWORD)
    expected = [DECISIONS[to] for to in workflow.WORKFLOW.available_transitions(leave, decider)]
    assert sorted(expected) == sorted(DECISIONS[to] for to in workflow.WORKFLOW.allowed(state))
    assert sorted(_offered(client, leave)) == sorted(expected)
    page = client.get(reverse("leave:detail", args=[leave.pk])).content.decode()
    assert ("Besluit vastleggen" in page) == bool(expected)
    assert 'data-testid="leave-history"' in page
    for change in LeaveRequestStateChange.objects.filter(request=leave):
        assert change.step in page


def test_the_page_offers_nothing_to_who_may_not_decide(client, world):
    leave = register(world)
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)
    assert _offered(client, leave) == []


def test_the_api_detail_holds_the_history_and_the_list_does_not(client, world):
    leave, _decider = in_state(world, TOEGEKEND)
    assert client.login(username=world.school_staff_a.user.username, password=PASSWORD)
    one = client.get(f"/api/v1/leave-requests/{leave.pk}").json()
    assert [(h["from_state"], h["to_state"]) for h in one["history"]] == [
        ("", INGEDIEND),
        (INGEDIEND, TOEGEKEND),
    ]
    assert one["history"][1]["organisation"] == world.school_a.organisation.code
    listed = client.get("/api/v1/leave-requests").json()
    assert "history" not in listed["results"][0]
