"""Closing with care (issue 11 §4): closing a case asks the reason and a confirmation, is refused
while an action of the plan is open (each done or handed over, to whom recorded), and ends the
team's memberships ("casus gesloten") visibly in the timeline. The page, the API and the service
follow the one rule of ``workflow.refusal``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inbeeld.audit.models import AuditEvent
from inbeeld.cases import selectors, services
from inbeeld.cases.models import Case, ClosingReason
from inbeeld.cases.tests.test_api import client_for
from inbeeld.cases.tests.test_transitions import (
    WHAT,
    _days_ago,
    _return,
    _today,
    accepted_by_the_services,
    in_progress,
    listed_by_the_api,
    offered_by_the_page,
)
from inbeeld.cases.tests.test_views import login
from inbeeld.cases.workflow import CLOSED, IN_PROGRESS, OPENED, RETURNED, CaseFacts, refusal
from inbeeld.people.models import Involvement

D = dt.date
pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


DUE = D(2025, 10, 1)


def with_action(world, due=DUE) -> Case:
    case = world.open_case()
    world.add_member(case)
    world.add_action(case, description="Huisbezoek", due_date=due)
    return case


def close(world, case, **kwargs):
    kwargs = {"reason": "terug_op_school", "confirmed": True, "on": D(2025, 10, 10), **kwargs}
    return services.case_close(actor=world.actor(world.leerplicht_a), case=case, **kwargs)


# -- the rule -------------------------------------------------------------------------------------


def test_the_workflow_refuses_to_close_with_open_actions():
    on = D(2025, 10, 1)
    one = refusal(CaseFacts(state=IN_PROGRESS, open_actions=1), CLOSED, on)
    assert one.startswith("Er staat nog 1 actie open.")
    two = refusal(CaseFacts(state=RETURNED, open_actions=2), CLOSED, on)
    assert two.startswith("Er staan nog 2 acties open.")
    assert refusal(CaseFacts(state=IN_PROGRESS, open_actions=0), CLOSED, on) is None


def test_closing_is_refused_while_an_action_is_open(world):
    case = with_action(world)
    with pytest.raises(ValidationError, match="Er staat nog 1 actie open") as error:
        close(world, case)
    assert error.value.code == "open_actions"
    case.refresh_from_db()
    assert case.state == IN_PROGRESS
    assert case.team.filter(ended_on__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": ""}, "reason", "Kies de reden van afsluiten"),
        ({"reason": "klaar"}, "reason", "Kies de reden van afsluiten"),
        ({"reason": "anders", "reason_text": "  "}, "reason_text", "Licht toe"),
        ({"reason": "anders", "reason_text": "x" * 301}, "reason_text", "Maximaal 300"),
        ({"confirmed": False}, "confirmed", "Bevestig"),
    ],
)
def test_closing_asks_a_reason_and_a_confirmation(world, kwargs, field, message):
    case = world.open_case()
    with pytest.raises(ValidationError) as error:
        close(world, case, **kwargs)
    assert message in error.value.message_dict[field][0]
    case.refresh_from_db()
    assert (case.state, case.closing_reason) == (OPENED, "")


def test_closing_ends_the_team_and_says_why_in_the_timeline(world):
    case = with_action(world)
    lead = world.actor(world.leerplicht_a)
    services.action_done(actor=lead, action=case.actions.get(), on=D(2025, 10, 1))
    close(world, case, reason="anders", reason_text="naar het buitenland", on=D(2025, 10, 10))
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (CLOSED, D(2025, 10, 10))
    assert (case.closing_reason, case.closing_reason_text) == ("anders", "naar het buitenland")
    change = case.state_changes.order_by("-pk").first()
    assert change.reason == "anders (met toelichting): naar het buitenland"
    members = list(case.team.all())
    assert [(m.ended_on, m.end_reason) for m in members] == [
        (D(2025, 10, 10), "casus gesloten")
    ] * 2
    rows = Involvement.objects.filter(source="case_team", source_id__in=[m.pk for m in members])
    assert [r.until for r in rows] == [D(2025, 10, 10)] * 2
    texts = [i.text for i in selectors.timeline(actor=lead, case=case)]
    assert f"Lotte Vries ({world.gemeente_a.name}) uit het team: casus gesloten" in texts
    assert "Eva Mulder (GGD A) uit het team: casus gesloten" in texts
    assert "afgesloten (afgesloten) – reden: anders (met toelichting): naar het buitenland" in texts
    # the GGD no longer works on the case; the lead still sees it
    assert selectors.case_for(actor=world.actor(world.jeugdarts), pk=case.pk) is None
    assert selectors.case_for(actor=lead, pk=case.pk) is not None


def test_closing_audits_the_end_of_each_membership_in_its_transaction(world):
    """Each membership the closing ends is audited as when the lead ends one (naming the child),
    before the closing's own event; a closing that is refused writes none of them."""
    case = world.open_case()
    world.add_member(case)
    members = list(case.team.filter(ended_on__isnull=True))
    assert len(members) == 2

    def ends():
        return AuditEvent.objects.filter(
            object_type="cases.TeamMember", summary__endswith="uit het team"
        )

    with pytest.raises(ValidationError):
        close(world, case, confirmed=False)
    assert not ends().exists()
    close(world, case)
    events = list(ends().order_by("pk"))
    assert sorted(e.object_id for e in events) == sorted(str(m.pk) for m in members)
    assert {e.summary for e in events} == {
        f"casus {case.pk}: {m.user.username} uit het team" for m in members
    }
    assert all(e.student_id == case.student_id for e in events)
    closed = AuditEvent.objects.get(summary=f"casus {case.pk}: afgesloten (terug_op_school)")
    assert all(e.pk < closed.pk for e in events)


def test_a_member_who_left_earlier_keeps_their_own_end(world):
    case = world.open_case()
    member = world.add_member(case)
    lead = world.actor(world.leerplicht_a)
    services.team_member_end(actor=lead, member=member, reason="advies gegeven", on=D(2025, 9, 30))
    close(world, case)
    member.refresh_from_db()
    assert (member.ended_on, member.end_reason) == (D(2025, 9, 30), "advies gegeven")


def test_reopening_clears_the_closing_reason_and_the_history_keeps_it(world):
    case = world.open_case(on=_days_ago(100))
    lead = world.actor(world.leerplicht_a)
    _return(world, case, on=_days_ago(30))
    close(world, case, reason=ClosingReason.BACK_AT_SCHOOL, on=_days_ago(10))
    services.case_reopen(actor=lead, case=case, reason="weer thuis")
    case.refresh_from_db()
    assert (case.state, case.closing_reason) == (IN_PROGRESS, "")
    assert case.state_changes.filter(to_state=CLOSED).get().reason == "terug op school"


# -- handing an action over -----------------------------------------------------------------------


def test_an_action_handed_over_no_longer_keeps_the_case_open(world):
    case = with_action(world)
    action = case.actions.get()
    ggd = world.actor(world.jeugdarts)
    services.action_hand_over(actor=ggd, action=action, to="Gemeente Zwolle", on=D(2025, 10, 2))
    action.refresh_from_db()
    assert (action.handed_over_on, action.handed_over_to) == (D(2025, 10, 2), "Gemeente Zwolle")
    assert action.handed_over_by == world.jeugdarts.user
    assert not action.is_open
    assert not selectors.overdue_actions_for(actor=ggd, on=D(2025, 10, 5)).exists()
    texts = [i.text for i in selectors.timeline(actor=ggd, case=case)]
    assert "Overgedragen: Huisbezoek aan Gemeente Zwolle" in texts
    with pytest.raises(ValidationError, match="al overgedragen aan Gemeente Zwolle"):
        services.action_done(actor=ggd, action=action)
    with pytest.raises(ValidationError, match="al overgedragen"):
        services.action_hand_over(actor=ggd, action=action, to="iemand anders")
    close(world, case, reason="overgedragen_gemeente")
    case.refresh_from_db()
    assert case.state == CLOSED


def test_handing_over_says_what_is_wrong(world):
    case = with_action(world)
    action = case.actions.get()
    lead = world.actor(world.leerplicht_a)
    with pytest.raises(ValidationError) as error:
        services.action_hand_over(actor=lead, action=action, to=" ")
    assert "aan wie" in error.value.message_dict["to"][0]
    with pytest.raises(ValidationError) as error:
        services.action_hand_over(actor=lead, action=action, to="x", on=D(2025, 9, 1))
    assert "voor de datum van afspraak" in error.value.message_dict["on"][0]
    with pytest.raises(PermissionDenied):
        services.action_hand_over(actor=world.actor(world.leerplicht_b), action=action, to="x")
    services.action_done(actor=lead, action=action)
    with pytest.raises(ValidationError, match="al afgerond"):
        services.action_hand_over(actor=lead, action=action, to="x")


# -- the page -------------------------------------------------------------------------------------


def test_the_page_says_why_it_cannot_close_and_offers_to_hand_over(client, world):
    case = with_action(world, due=_today() + dt.timedelta(days=3))
    login(client, world.leerplicht_a)
    detail = reverse("cases:detail", args=[case.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="close-refused"' in page
    assert "Er staat nog 1 actie open." in page
    assert reverse("cases:act", args=[case.pk, "afsluiten"]) not in page
    posted = client.post(
        reverse("cases:act", args=[case.pk, "afsluiten"]),
        {"reason": "vrijstelling", "confirmed": "on"},
    )
    assert posted.status_code == 400
    assert "Er staat nog 1 actie open." in posted.content.decode()

    handed = client.post(
        reverse("cases:act", args=[case.pk, "actie_overdragen"]),
        {"id": case.actions.get().pk, "to": "Gemeente Zwolle"},
        **HTMX,
    )
    assert handed.status_code == 200
    body = handed.content.decode()
    assert "Actie overgedragen aan Gemeente Zwolle." in body
    assert "overgedragen aan Gemeente Zwolle op" in body
    assert 'data-testid="close-refused"' not in body
    assert reverse("cases:act", args=[case.pk, "afsluiten"]) in body
    for label in ClosingReason.labels:
        assert str(label) in body


def test_the_page_closes_only_with_a_reason_and_a_confirmation(client, world):
    case = world.open_case()
    world.add_member(case)
    login(client, world.leerplicht_a)
    url = reverse("cases:act", args=[case.pk, "afsluiten"])
    unconfirmed = client.post(url, {"reason": "vrijstelling"})
    assert unconfirmed.status_code == 400
    assert "Bevestig dat u de casus afsluit" in unconfirmed.content.decode()
    no_text = client.post(url, {"reason": "anders", "confirmed": "on"})
    assert "Licht toe waarom de casus wordt afgesloten." in no_text.content.decode()
    case.refresh_from_db()
    assert case.state == OPENED
    done = client.post(url, {"reason": "vrijstelling", "confirmed": "on"}, **HTMX)
    assert done.status_code == 200
    body = done.content.decode()
    assert "Casus afgesloten; het team is beëindigd." in body
    assert "uit het team: casus gesloten" in body
    assert "reden: vrijstelling van de leerplicht" in body
    case.refresh_from_db()
    assert (case.state, case.closing_reason) == (CLOSED, "vrijstelling")


# -- the API --------------------------------------------------------------------------------------


def test_the_api_refuses_to_close_with_open_actions_and_hands_over(world):
    case = with_action(world)
    lead = client_for(world.leerplicht_a)
    transitions = f"/api/v1/cases/{case.pk}/transitions"
    body = {"to": "afgesloten", "closing_reason": "verhuisd_uitgeschreven", "confirmed": True}
    refused = lead.post(transitions, body, format="json")
    assert refused.status_code == 409
    assert "Er staat nog 1 actie open." in refused.json()["detail"]
    assert refused.json()["allowedStates"] == []

    action = case.actions.get()
    hand_over = f"/api/v1/cases/{case.pk}/actions/{action.pk}/hand-over"
    assert lead.post(hand_over, {}, format="json").status_code == 400
    assert (
        client_for(world.leerplicht_b).post(hand_over, {"to": "x"}, format="json").status_code
        == 404
    )
    handed = lead.post(hand_over, {"to": "Gemeente Zwolle", "on": "2025-10-02"}, format="json")
    assert handed.status_code == 200, handed.content
    assert (handed.json()["handed_over_on"], handed.json()["handed_over_to"]) == (
        "2025-10-02",
        "Gemeente Zwolle",
    )
    assert lead.post(hand_over, {"to": "x"}, format="json").status_code == 400

    unconfirmed = lead.post(transitions, {**body, "confirmed": False}, format="json")
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["invalidParams"][0]["name"] == "confirmed"
    other = lead.post(transitions, {**body, "closing_reason": "anders"}, format="json")
    assert other.json()["invalidParams"][0]["name"] == "closing_reason_text"
    no_reason = lead.post(transitions, {"to": "afgesloten", "confirmed": True}, format="json")
    assert no_reason.json()["invalidParams"][0]["name"] == "closing_reason"
    closed = lead.post(transitions, body, format="json")
    assert closed.status_code == 201, closed.content
    assert closed.json()["reason"] == "verhuisd of uitgeschreven"
    detail = lead.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["closing_reason"] == "verhuisd_uitgeschreven"
    assert {m["ended_on"] is not None for m in detail["team"]} == {True}
    # the GGD's membership ended with the case: it no longer sees it
    assert client_for(world.jeugdarts).get(f"/api/v1/cases/{case.pk}").status_code == 404


# -- the page, the services and the API agree (with the actions of the plan done) -----------------


def _actions_done(world, case: Case) -> Case:
    actor = world.actor(world.leerplicht_a)
    for action in case.actions.filter(done_on__isnull=True):
        services.action_done(actor=actor, action=action)
    return case


def in_progress_actions_done(world) -> Case:
    return _actions_done(world, in_progress(world))


def returned_recently_actions_done(world) -> Case:
    case = in_progress_actions_done(world)
    _return(world, case, on=_days_ago(30))
    return case


def returned_long_ago_actions_done(world) -> Case:
    case = in_progress_actions_done(world)
    _return(world, case, on=_days_ago(400))
    return case


SCENARIOS = {
    in_progress_actions_done: (IN_PROGRESS, {"outcome", "close"}),
    returned_recently_actions_done: (RETURNED, {"close", "reopen"}),
    returned_long_ago_actions_done: (RETURNED, {"close"}),
}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_with_the_actions_done_the_page_the_services_and_the_api_agree(client, world, scenario):
    state, expected = SCENARIOS[scenario]
    case = scenario(world)
    case.refresh_from_db()
    assert case.state == state
    login(client, world.leerplicht_a)
    offered = offered_by_the_page(client, case)
    accepted = accepted_by_the_services(world, case)
    listed, _detail = listed_by_the_api(case, client_for(world.leerplicht_a))
    assert offered == expected
    assert accepted == offered
    assert listed == offered - {"outcome"}
    assert set(WHAT) >= offered
