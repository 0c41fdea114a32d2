"""The life of a case, as the people who work on it meet it: for a case in every state (and a
relapse inside and outside the twelve months), what the case page offers, what the services
accept and what the API's ``409`` lists are the same; refusals say why in Dutch.

(These replace tests that repeated the workflow's table: they ask the services, the page and the
API instead.)"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.cases import services
from inbeeld.cases.models import Case
from inbeeld.cases.tests.test_api import client_for
from inbeeld.cases.workflow import CLOSED, IN_PROGRESS, OPENED, RETURNED
from inbeeld.rules.calendar import add_months_clipped

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def _days_ago(days: int) -> dt.date:
    return _today() - dt.timedelta(days=days)


def _return(world, case: Case, *, on: dt.date) -> None:
    services.outcome_record(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind="volledig",
        returned_on=on,
        school=world.school_a,
    )


def _close(world, case: Case, *, on: dt.date) -> None:
    """Close the case as the lead does: its open actions done first, with a reason."""
    actor = world.actor(world.leerplicht_a)
    for action in case.actions.filter(done_on__isnull=True):
        services.action_done(actor=actor, action=action, on=on)
    services.case_close(actor=actor, case=case, reason="terug_op_school", confirmed=True, on=on)


def opened(world) -> Case:
    return world.open_case(on=_days_ago(800))


def in_progress(world) -> Case:
    case = opened(world)
    world.add_action(
        case,
        description="gesprek met ouders",
        due_date=_today() + dt.timedelta(days=7),
        agreed_on=None,
    )
    return case


def returned_recently(world) -> Case:
    case = in_progress(world)
    _return(world, case, on=_days_ago(30))
    return case


def returned_long_ago(world) -> Case:
    case = in_progress(world)
    _return(world, case, on=_days_ago(400))
    return case


def closed_after_a_recent_return(world) -> Case:
    case = returned_recently(world)
    _close(world, case, on=_days_ago(10))
    return case


def closed_after_a_return_long_ago(world) -> Case:
    case = returned_long_ago(world)
    _close(world, case, on=_days_ago(380))
    return case


def closed_without_a_return(world) -> Case:
    case = in_progress(world)
    _close(world, case, on=_days_ago(100))
    return case


def closed_with_a_new_case_open(world) -> Case:
    case = closed_after_a_recent_return(world)
    world.open_case(on=_days_ago(5))
    return case


#: scenario → (its state, what can be done: "outcome", "close", "reopen")
#: (an open action keeps a case from closing: ``test_closing`` has these with the actions done)
SCENARIOS: dict[Callable[[object], Case], tuple[str, set[str]]] = {
    opened: (OPENED, {"outcome", "close"}),
    in_progress: (IN_PROGRESS, {"outcome"}),
    returned_recently: (RETURNED, {"reopen"}),
    returned_long_ago: (RETURNED, set()),
    closed_after_a_recent_return: (CLOSED, {"reopen"}),
    closed_after_a_return_long_ago: (CLOSED, set()),
    closed_without_a_return: (CLOSED, set()),
    closed_with_a_new_case_open: (CLOSED, set()),
}

#: what the page posts to for each
WHAT = {"outcome": "uitkomst", "close": "afsluiten", "reopen": "heropenen"}


def offered_by_the_page(client, case: Case) -> set[str]:
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    return {
        move
        for move, what in WHAT.items()
        if re.search(rf'action="{re.escape(reverse("cases:act", args=[case.pk, what]))}"', page)
    }


class _UndoError(Exception):
    pass


def accepted_by_the_services(world, case: Case) -> set[str]:
    """What the services do when asked (each tried, then undone)."""
    actor = world.actor(world.leerplicht_a)
    writes = {
        "outcome": lambda: services.outcome_record(
            actor=actor, case=case, kind="volledig", returned_on=_today(), school=world.school_a
        ),
        "close": lambda: services.case_close(
            actor=actor, case=case, reason="terug_op_school", confirmed=True
        ),
        "reopen": lambda: services.case_reopen(actor=actor, case=case, reason="weer thuis"),
    }
    accepted = set()
    for move, write in writes.items():
        try:
            with transaction.atomic():
                write()
                raise _UndoError
        except _UndoError:
            accepted.add(move)
        except ValidationError:
            pass
        case.refresh_from_db()
    return accepted


def listed_by_the_api(case: Case, lead_api) -> tuple[set[str], str]:
    response = lead_api.post(
        f"/api/v1/cases/{case.pk}/transitions", {"to": "geopend"}, format="json"
    )
    assert response.status_code == 409, response.content
    problem = response.json()
    moves = {{CLOSED: "close", IN_PROGRESS: "reopen"}[s] for s in problem["allowedStates"]}
    return moves, problem["detail"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_page_offers_what_the_services_accept_and_the_api_lists(client, world, scenario):
    state, expected = SCENARIOS[scenario]
    case = scenario(world)
    case.refresh_from_db()
    assert case.state == state
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)

    offered = offered_by_the_page(client, case)
    accepted = accepted_by_the_services(world, case)
    listed, detail = listed_by_the_api(case, client_for(world.leerplicht_a))

    assert offered == expected
    assert accepted == offered
    assert listed == offered - {"outcome"}  # the API records the return with POST …/outcomes
    assert "kan niet naar" in detail


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (returned_long_ago, "langer dan 12 maanden"),
        (closed_after_a_return_long_ago, "langer dan 12 maanden"),
        (closed_without_a_return, "terugkeer naar school is vastgelegd"),
        (closed_with_a_new_case_open, "andere open casus"),
        (in_progress, "Alleen een casus die terug op school of afgesloten is"),
        (opened, "Alleen een casus die terug op school of afgesloten is"),
    ],
    ids=lambda p: getattr(p, "__name__", ""),
)
def test_a_refused_reopening_says_why_on_the_page_in_the_service_and_in_the_api(
    client, world, scenario, message
):
    case = scenario(world)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        services.case_reopen(actor=world.actor(world.leerplicht_a), case=case, reason="thuis")
    response = client_for(world.leerplicht_a).post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"to": IN_PROGRESS, "reason": "thuis"},
        format="json",
    )
    assert response.status_code == 409
    if case.state == OPENED:  # the plan starts with the first action
        assert "actions" in response.json()["detail"]
    elif case.state != IN_PROGRESS:
        assert message in response.json()["detail"]
    assert client.login(username=world.leerplicht_a.user.username, password=PASSWORD)
    posted = client.post(reverse("cases:act", args=[case.pk, "heropenen"]), {"reason": "thuis"})
    assert posted.status_code == 400
    assert message in posted.content.decode()


def test_a_relapse_counts_up_to_twelve_months_after_the_return(world):
    actor = world.actor(world.leerplicht_a)
    case = in_progress(world)
    returned_on = _days_ago(365)
    _return(world, case, on=returned_on)
    with pytest.raises(ValidationError, match="vóór de terugkeer"):
        services.case_reopen(
            actor=actor, case=case, reason="x", on=returned_on - dt.timedelta(days=1)
        )
    limit = add_months_clipped(returned_on, 12)
    with pytest.raises(ValidationError, match="langer dan 12 maanden"):
        services.case_reopen(actor=actor, case=case, reason="x", on=limit + dt.timedelta(days=1))
    relapse = services.case_reopen(actor=actor, case=case, reason="x", on=limit)
    assert relapse.after_return_on == returned_on
    case.refresh_from_db()
    assert (case.state, case.relapse_count) == (IN_PROGRESS, 1)
    assert case.state_changes.order_by("-pk").first().step == "terugval: casus heropend"


def test_the_steps_are_named_in_the_history(world):
    case = closed_after_a_recent_return(world)
    steps = list(case.state_changes.order_by("pk").values_list("from_state", "to_state", "step"))
    assert steps == [
        ("", OPENED, "casus geopend"),
        (OPENED, IN_PROGRESS, "plan van aanpak vastgesteld"),
        (IN_PROGRESS, RETURNED, "terug op school"),
        (RETURNED, CLOSED, "afgesloten na monitoring"),
    ]


def test_a_refused_transition_names_what_is_possible(world):
    case = closed_after_a_recent_return(world)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=world.actor(world.leerplicht_a),
            case=case,
            kind="volledig",
            returned_on=_today(),
            school=world.school_a,
        )
    assert "kan niet naar terug op school" in error.value.messages[0]
    assert "Mogelijk: plan in uitvoering" in error.value.messages[0]


def test_a_team_member_who_does_not_lead_is_offered_no_transition(client, world):
    case = returned_recently(world)
    world.add_member(case)
    assert client.login(username=world.jeugdarts.user.username, password=PASSWORD)
    assert offered_by_the_page(client, case) == set()
    actor = world.actor(world.jeugdarts)
    for write in (
        lambda: services.case_close(actor=actor, case=case),
        lambda: services.case_reopen(actor=actor, case=case, reason="weer thuis"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    response = client_for(world.jeugdarts).post(
        f"/api/v1/cases/{case.pk}/transitions", {"to": CLOSED}, format="json"
    )
    assert response.status_code == 403
