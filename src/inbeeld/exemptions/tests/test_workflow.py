"""The request for vrijstelling as a state machine (issue 13): every move the table allows is
accepted by the service and recorded in the history, every other one is refused with its reason and
leaves no row; the page offers exactly the allowed moves; the history is appended, never edited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.exemptions import services, workflow
from inbeeld.exemptions.models import ExemptionRequestStateChange
from inbeeld.exemptions.workflow import (
    ADVIES_GEGEVEN,
    ADVIES_GEVRAAGD,
    AFGEWEZEN,
    INGEDIEND,
    TOEGEKEND,
    RequestState,
)
from inbeeld.people.tests.request_history import assert_append_only

D = dt.date
MOVES = (ADVIES_GEVRAAGD, ADVIES_GEGEVEN, TOEGEKEND, AFGEWEZEN)
DECISIONS = {TOEGEKEND: "toekennen", AFGEWEZEN: "afwijzen"}
JUSTIFICATION = "De aanpassingen zijn er pas over een jaar; tot dan kan het kind niet naar school."


def register(w):
    return services.exemption_request_register(
        actor=w.leerplicht,
        student=w.child_a,
        article="5a",
        requested_on=D(2025, 5, 1),
        start_date=D(2025, 8, 1),
        end_date=D(2026, 7, 31),
        statement_date=D(2025, 4, 1),
    )


def who(w, to_state):
    return w.swv if to_state == ADVIES_GEGEVEN else w.leerplicht


def move(w, request, to_state, on=None):
    """Make the move to ``to_state`` through the service that makes it."""
    actor = who(w, to_state)
    if to_state == ADVIES_GEVRAAGD:
        return services.exemption_request_ask_advice(actor=actor, request=request, on=on)
    if to_state == ADVIES_GEGEVEN:
        services.exemption_request_advise(
            actor=actor,
            request=request,
            advice="met_aanpassingen",
            education_still_possible="Twee ochtenden per week.",
            on=on,
        )
        request.refresh_from_db()
        return request
    grant = to_state == TOEGEKEND
    return services.exemption_request_decide(
        actor=actor,
        request=request,
        grant=grant,
        note="reden",
        # the advice above says education is possible: a grant goes against it
        justification=JUSTIFICATION if grant else "",
        on=on,
    )


PATHS = {
    INGEDIEND: (),
    ADVIES_GEVRAAGD: (ADVIES_GEVRAAGD,),
    ADVIES_GEGEVEN: (ADVIES_GEVRAAGD, ADVIES_GEGEVEN),
    TOEGEKEND: (ADVIES_GEVRAAGD, ADVIES_GEGEVEN, TOEGEKEND),
    AFGEWEZEN: (AFGEWEZEN,),
}


def in_state(w, state):
    request = register(w)
    for step in PATHS[state]:
        request = move(w, request, step)
    assert request.state == state
    return request


def history(request) -> list[tuple[str, str]]:
    return list(
        ExemptionRequestStateChange.objects.filter(request=request).values_list(
            "from_state", "to_state"
        )
    )


def test_the_table_holds_every_state_and_only_known_ones():
    assert set(workflow.TRANSITIONS) == {workflow.NEW, *RequestState.values}
    for targets in workflow.TRANSITIONS.values():
        assert set(targets) <= set(RequestState.values)
    assert set(PATHS) == set(RequestState.values)


@pytest.mark.parametrize("from_state", RequestState.values)
@pytest.mark.parametrize("to_state", MOVES)
def test_every_move_the_table_allows_is_made_and_recorded_every_other_refused(
    world, from_state, to_state
):
    request = in_state(world, from_state)
    before = history(request)
    actor = who(world, to_state)
    if to_state in workflow.WORKFLOW.allowed(from_state):
        assert workflow.WORKFLOW.refusal(request, to_state, actor) is None
        request = move(world, request, to_state, on=D(2025, 6, 2))
        assert request.state == to_state
        assert history(request) == [*before, (from_state, to_state)]
        change = ExemptionRequestStateChange.objects.filter(request=request).last()
        assert change.step == workflow.WORKFLOW.allowed(from_state)[to_state]
        assert change.on == D(2025, 6, 2)
        assert (change.user, change.organisation) == (actor.user, actor.organisation)
    else:
        reason = workflow.WORKFLOW.refusal(request, to_state, actor)
        assert reason is not None
        with pytest.raises((ValidationError, PermissionDenied)) as refused:
            move(world, request, to_state)
        error = refused.value
        assert (error.messages if isinstance(error, ValidationError) else [str(error)]) == [reason]
        request.refresh_from_db()
        assert request.state == from_state
        assert history(request) == before


@pytest.mark.parametrize(
    ("state", "to_state", "expected"),
    [
        (ADVIES_GEVRAAGD, ADVIES_GEVRAAGD, "Advies vragen kan alleen bij een ingediende"),
        (ADVIES_GEGEVEN, ADVIES_GEGEVEN, "Er is geen advies gevraagd"),
        (INGEDIEND, TOEGEKEND, "Eerst het advies van het samenwerkingsverband"),
        (ADVIES_GEVRAAGD, TOEGEKEND, "Eerst het advies van het samenwerkingsverband"),
        (TOEGEKEND, AFGEWEZEN, "Over deze aanvraag is al beslist"),
        (AFGEWEZEN, ADVIES_GEVRAAGD, "Advies vragen kan alleen bij een ingediende"),
    ],
)
def test_the_reasons_of_a_refusal(world, state, to_state, expected):
    request = in_state(world, state)
    assert workflow.WORKFLOW.refusal(request, to_state, who(world, to_state)).startswith(expected)


def test_who_may_not_make_a_move_is_refused_with_the_reason(world):
    request = in_state(world, ADVIES_GEVRAAGD)
    for actor, to_state, reason in (
        (world.swv_b_actor, ADVIES_GEGEVEN, "U mag over deze aanvraag geen advies geven."),
        (world.leerplicht_b_actor, AFGEWEZEN, "U mag over deze aanvraag niet beslissen."),
        (world.swv, AFGEWEZEN, "U mag over deze aanvraag niet beslissen."),
    ):
        assert workflow.WORKFLOW.refusal(request, to_state, actor) == reason
        assert to_state not in workflow.WORKFLOW.available_transitions(request, actor)
        with pytest.raises(PermissionDenied, match=reason):
            workflow.WORKFLOW.check_transition(request, to_state, actor)
    assert workflow.WORKFLOW.available_transitions(request, world.swv_b_actor) == {}


def test_the_registration_is_the_first_row_of_the_history(world):
    request = register(world)
    (change,) = ExemptionRequestStateChange.objects.filter(request=request)
    assert (change.from_state, change.to_state, change.on) == ("", INGEDIEND, D(2025, 5, 1))
    assert change.step == workflow.WORKFLOW.allowed(workflow.NEW)[INGEDIEND]
    assert (change.user, change.organisation) == (world.leerplicht.user, world.gemeente_a)


def test_the_whole_life_is_in_the_history(world):
    request = in_state(world, TOEGEKEND)
    assert history(request) == [
        ("", INGEDIEND),
        (INGEDIEND, ADVIES_GEVRAAGD),
        (ADVIES_GEVRAAGD, ADVIES_GEGEVEN),
        (ADVIES_GEGEVEN, TOEGEKEND),
    ]
    organisations = ExemptionRequestStateChange.objects.filter(request=request).values_list(
        "organisation", flat=True
    )
    gemeente, swv = world.gemeente_a.pk, world.swv_a.pk
    assert list(organisations) == [gemeente, gemeente, swv, gemeente]


def test_the_history_is_appended_never_edited(world):
    request = register(world)
    assert_append_only(ExemptionRequestStateChange, request, field="step")


def _page(client, member, request) -> str:
    assert client.login(username=member.user.username, password=PASSWORD)
    response = client.get(reverse("exemptions:detail", args=[request.pk]))
    client.logout()
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize("state", RequestState.values)
def test_the_page_offers_exactly_the_allowed_moves(client, world, state):
    request = in_state(world, state)
    page = _page(client, world.leerplicht_a, request)
    available = workflow.WORKFLOW.available_transitions(request, world.leerplicht)
    ask = reverse("exemptions:ask_advice", args=[request.pk])
    assert (f'action="{ask}"' in page) == (ADVIES_GEVRAAGD in available)
    offered = re.findall(r'name="decision" value="(\w+)"', page)
    assert sorted(offered) == sorted(DECISIONS[to] for to in available if to in DECISIONS)
    assert 'data-testid="exemption-history"' in page
    # the samenwerkingsverband asked sees the request and may advise when the table allows it
    swv_page = _page(client, world.consultant_a, request)
    advise = reverse("exemptions:advise", args=[request.pk])
    may_advise = ADVIES_GEGEVEN in workflow.WORKFLOW.available_transitions(request, world.swv)
    assert (f'action="{advise}"' in swv_page) == may_advise
    assert may_advise == (state == ADVIES_GEVRAAGD)
    assert 'name="decision"' not in swv_page


def test_the_api_detail_holds_the_history_and_the_list_does_not(client, world):
    request = in_state(world, ADVIES_GEGEVEN)
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)
    one = client.get(f"/api/v1/exemption-requests/{request.pk}").json()
    assert [h["to_state"] for h in one["history"]] == [INGEDIEND, ADVIES_GEVRAAGD, ADVIES_GEGEVEN]
    assert one["history"][2]["organisation"] == world.swv_a.code
    listed = client.get("/api/v1/exemption-requests").json()
    assert "history" not in listed["results"][0]
