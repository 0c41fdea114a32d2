"""The writes of a case over the API (/api/v1/cases/{id}/…) and the notifications endpoints: each
write works for who may do it, is 404 for an organisation outside the case and 403 for a team
member without the lead's right, goes through the service (audited), and errors are problem+json.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.utils import timezone

from inbeeld.accounts.models import PersonalToken
from inbeeld.api.tests.fuzzing import fuzz, wsgi_application
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.cases import services
from inbeeld.cases.models import Case, Note
from inbeeld.cases.tests.test_api import client_for
from inbeeld.notifications.models import Notification

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(world) -> Case:
    """Led by gemeente A (leerplicht_a), with the jeugdarts (GGD) and the school's
    zorgcoördinator in the team; opened a month ago."""
    case = world.open_case(on=_today() - dt.timedelta(days=30))
    for membership, organisation, role in (
        (world.jeugdarts, world.ggd, "jeugdarts"),
        (world.school_staff_a, world.school_a.organisation, "zorgcoördinator"),
    ):
        world.add_member(
            case,
            membership,
            organisation=organisation,
            role_in_case=role,
            reason="doet mee",
            on=_today() - dt.timedelta(days=29),
        )
    return case


@pytest.fixture
def lead(world):
    return client_for(world.leerplicht_a)


@pytest.fixture
def member(world):
    """A team member without the lead's right (the GGD cannot lead a case)."""
    return client_for(world.jeugdarts)


@pytest.fixture
def outsider(world):
    """Another gemeente: does not see the case at all."""
    return client_for(world.leerplicht_b)


def audits(case: Case) -> int:
    return AuditEvent.objects.filter(
        student=case.student, summary__startswith=f"casus {case.pk}:"
    ).count()


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status
    return problem


def post(client, path: str, body: dict | None = None):
    return client.post(path, body or {}, format="json")


# -- the team -------------------------------------------------------------------------------------


def test_add_and_end_a_team_member(world, case, lead, member, outsider):
    url = f"/api/v1/cases/{case.pk}/team-members"
    body = {
        "username": world.wijkteam_worker.user.username,
        "organisation": world.wijkteam.pk,
        "role_in_case": "gezinscoach",
        "reason": "gezinsproblemen",
        "consent_basis": "toestemming_ouders",
    }
    refused(post(outsider, url, body), 404)
    # the school's zorgcoördinator may open cases, but this one is led by the gemeente
    school = client_for(world.school_staff_a)
    own = {
        **body,
        "username": world.leerplicht_a.user.username,
        "organisation": world.gemeente_a.pk,
    }
    assert "leidt" in refused(post(school, url, own), 403)["detail"]
    before = audits(case)
    response = post(lead, url, body)
    assert response.status_code == 201, response.content
    assert response.json()["username"] == world.wijkteam_worker.user.username
    assert audits(case) == before + 1
    assert Notification.objects.filter(user=world.wijkteam_worker.user, kind="team").exists()
    again = refused(post(lead, url, body), 400)
    assert again["invalidParams"][0]["name"] == "username"
    unknown = refused(post(lead, url, {**body, "username": world.leerplicht_b.user.username}), 400)
    assert unknown["invalidParams"][0]["name"] == "username"

    member_id = response.json()["id"]
    end = f"/api/v1/cases/{case.pk}/team-members/{member_id}/end"
    refused(post(outsider, end), 404)
    refused(post(member, end, {"reason": "klaar"}), 403)
    refused(post(lead, f"/api/v1/cases/{case.pk}/team-members/999999/end"), 404)
    refused(post(lead, f"/api/v1/cases/{case.pk}/team-members/{2**64}/end"), 404)
    ended = post(lead, end, {"reason": "klaar"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["ended_on"] == _today().isoformat()
    assert audits(case) == before + 2
    refused(post(lead, end), 400)


# -- the plan, meetings, referrals, interventions (every team member) ------------------------------


def test_actions_add_and_done(world, case, lead, member, outsider):
    url = f"/api/v1/cases/{case.pk}/actions"
    due = (_today() + dt.timedelta(days=7)).isoformat()
    body = {"description": "gesprek met ouders", "due_date": due}
    refused(post(outsider, url, body), 404)
    refused(post(client_for(world.wijkteam_worker), url, body), 404)
    before = audits(case)
    response = post(member, url, {**body, "owner_username": world.leerplicht_a.user.username})
    assert response.status_code == 201, response.content
    assert response.json()["owner_organisation"] == world.gemeente_a.pk
    assert audits(case) == before + 1
    case.refresh_from_db()
    assert case.state == "in_uitvoering"  # the first action sets the plan in motion
    late = refused(post(lead, url, {**body, "due_date": "2020-01-01"}), 400)
    assert late["invalidParams"][0]["name"] == "due_date"
    stranger = refused(post(lead, url, {**body, "owner_organisation": world.gemeente_b.pk}), 400)
    assert stranger["invalidParams"][0]["name"] == "owner_organisation"

    done = f"/api/v1/cases/{case.pk}/actions/{response.json()['id']}/done"
    refused(post(outsider, done), 404)
    finished = post(member, done)
    assert finished.status_code == 200, finished.content
    assert finished.json()["done_on"] == _today().isoformat()
    assert audits(case) == before + 2
    refused(post(lead, done), 400)


def test_record_a_meeting(world, case, member, outsider):
    url = f"/api/v1/cases/{case.pk}/meetings"
    body = {
        "kind": "school_team",
        "held_on": _today().isoformat(),
        "attendees": [world.jeugdarts.user.username, world.leerplicht_a.user.username],
        "child_view": "wil terug naar school",
        "decisions": "rooster aanpassen",
    }
    refused(post(outsider, url, body), 404)
    before = audits(case)
    response = post(member, url, body)
    assert response.status_code == 201, response.content
    assert set(response.json()["attendees"]) == set(body["attendees"])
    assert audits(case) == before + 1
    bad = refused(post(member, url, {**body, "attendees": [world.leerplicht_b.user.username]}), 400)
    assert bad["invalidParams"][0]["name"] == "attendees"
    early = refused(post(member, url, {**body, "next_date": body["held_on"]}), 400)
    assert early["invalidParams"][0]["name"] == "next_date"


def test_referral_and_its_start(world, case, member, outsider):
    url = f"/api/v1/cases/{case.pk}/referrals"
    requested = (_today() - dt.timedelta(days=14)).isoformat()
    body = {"kind": "jeugd_ggz", "requested_on": requested, "provider": "Karakter"}
    refused(post(outsider, url, body), 404)
    before = audits(case)
    response = post(member, url, body)
    assert response.status_code == 201, response.content
    assert response.json()["blocks_return"] is True
    start = f"/api/v1/cases/{case.pk}/referrals/{response.json()['id']}/start"
    refused(post(outsider, start), 404)
    too_early = refused(post(member, start, {"on": "2020-01-01"}), 400)
    assert too_early["invalidParams"][0]["name"] == "on"
    started = post(member, start, {"on": _today().isoformat()})
    assert started.status_code == 200, started.content
    assert started.json()["started_on"] == _today().isoformat()
    assert audits(case) == before + 2


def test_intervention(world, case, member, outsider):
    url = f"/api/v1/cases/{case.pk}/interventions"
    body = {"kind": "aangepast_rooster", "start_date": _today().isoformat()}
    refused(post(outsider, url, body), 404)
    before = audits(case)
    response = post(member, url, body)
    assert response.status_code == 201, response.content
    assert audits(case) == before + 1
    backwards = {**body, "end_date": (_today() - dt.timedelta(days=1)).isoformat()}
    assert refused(post(member, url, backwards), 400)["invalidParams"][0]["name"] == "end_date"


# -- escalation -----------------------------------------------------------------------------------


def test_escalate_and_decide(world, case, lead, member, outsider):
    url = f"/api/v1/cases/{case.pk}/escalations"
    body = {
        "step": "school_team",
        "reason": "geen passend aanbod",
        "deciding_organisation": world.wijkteam.pk,
        "deciding_username": world.wijkteam_worker.user.username,
        "deadline": (_today() + dt.timedelta(days=14)).isoformat(),
    }
    refused(post(outsider, url, body), 404)
    refused(post(member, url, body), 403)
    before = audits(case)
    response = post(lead, url, body)
    assert response.status_code == 201, response.content
    assert response.json()["deciding_organisation"] == world.wijkteam.pk
    assert audits(case) == before + 1
    assert Notification.objects.filter(user=world.wijkteam_worker.user, kind="escalation").exists()
    down = refused(post(lead, url, body), 400)  # the ladder only goes up
    assert down["invalidParams"][0]["name"] == "step"

    decide = f"/api/v1/cases/{case.pk}/escalations/{response.json()['id']}/decision"
    refused(post(outsider, decide, {"decision": "x"}), 404)
    refused(post(member, decide, {"decision": "x"}), 403)  # neither the decider nor the lead
    decider = client_for(world.wijkteam_worker)  # sees the case now: it decides
    decided = post(decider, decide, {"decision": "plek bij dagbehandeling"})
    assert decided.status_code == 200, decided.content
    assert decided.json()["decided_on"] == _today().isoformat()
    assert audits(case) == before + 2
    refused(post(decider, decide, {"decision": "nog eens"}), 400)


# -- outcome and transitions ----------------------------------------------------------------------


def test_outcome_close_and_relapse(world, case, lead, member, outsider):
    transitions = f"/api/v1/cases/{case.pk}/transitions"
    # a fresh case cannot be "reopened": the plan starts with its first action
    problem = refused(post(lead, transitions, {"to": "in_uitvoering"}), 409)
    assert problem["allowedStates"] == ["afgesloten"]
    assert "actions" in problem["detail"]
    assert refused(post(lead, transitions, {"to": "open"}), 400)["invalidParams"][0]["name"] == "to"

    url = f"/api/v1/cases/{case.pk}/outcomes"
    body = {
        "kind": "volledig",
        "returned_on": (_today() - dt.timedelta(days=5)).isoformat(),
        "school": world.school_a.pk,
    }
    refused(post(outsider, url, body), 404)
    refused(post(member, url, body), 403)
    before = audits(case)
    response = post(lead, url, body)
    assert response.status_code == 201, response.content
    assert audits(case) == before + 1
    case.refresh_from_db()
    assert case.state == "terug_op_school"
    problem = refused(post(lead, transitions, {"to": "terug_op_school"}), 409)
    assert set(problem["allowedStates"]) == {"afgesloten", "in_uitvoering"}

    close = {"to": "afgesloten", "closing_reason": "terug_op_school", "confirmed": True}
    refused(post(outsider, transitions, close), 404)
    refused(post(member, transitions, close), 403)
    team = case.team.filter(ended_on__isnull=True).count()  # each end audited, then the closing
    assert team >= 3
    closed = post(lead, transitions, close)
    assert closed.status_code == 201, closed.content
    assert closed.json()["to_state"] == "afgesloten"
    assert audits(case) == before + 2 + team
    problem = refused(post(lead, transitions, {"to": "afgesloten"}), 409)
    assert problem["allowedStates"] == ["in_uitvoering"]
    assert "in_uitvoering" in problem["detail"]

    no_reason = refused(post(lead, transitions, {"to": "in_uitvoering"}), 400)
    assert no_reason["invalidParams"][0]["name"] == "reason"
    reopened = post(lead, transitions, {"to": "in_uitvoering", "reason": "weer thuis"})
    assert reopened.status_code == 201, reopened.content
    case.refresh_from_db()
    assert (case.state, case.relapse_count) == ("in_uitvoering", 1)
    assert audits(case) == before + 3 + team


# -- disputes and notes ---------------------------------------------------------------------------


def test_dispute_and_ruling(world, case, member, outsider):
    url = f"/api/v1/cases/{case.pk}/disputes"
    refused(post(outsider, url, {"subject": "ondersteuning"}), 404)
    before = audits(case)
    response = post(member, url, {"subject": "ondersteuning"})
    assert response.status_code == 201, response.content
    assert response.json()["lodged_on"] == _today().isoformat()
    ruling = f"/api/v1/cases/{case.pk}/disputes/{response.json()['id']}/ruling"
    refused(post(outsider, ruling, {"ruling": "x"}), 404)
    assert refused(post(member, ruling, {"ruling": " ", "outcome": "gegrond"}), 400)[
        "invalidParams"
    ]
    ruled = post(
        member, ruling, {"ruling": "de school biedt extra ondersteuning", "outcome": "gegrond"}
    )
    assert ruled.status_code == 200, ruled.content
    assert audits(case) == before + 2
    refused(post(member, ruling, {"ruling": "nog eens", "outcome": "ongegrond"}), 400)


def test_notes_are_read_as_far_as_the_actor_may(world, case, lead, member, outsider):
    url = f"/api/v1/cases/{case.pk}/notes"
    refused(post(outsider, url, {"text": "x"}), 404)
    refused(outsider.get(url), 404)
    before = audits(case)
    medical = post(member, url, {"text": "medische notitie"})  # a GGD note stays with the GGD
    assert medical.status_code == 201, medical.content
    assert medical.json()["visibility"] == Note.Visibility.OWN_ORGANISATION
    team = post(lead, url, {"text": "voor het team"})
    assert team.json()["visibility"] == Note.Visibility.TEAM
    assert audits(case) == before + 2
    assert not AuditEvent.objects.filter(summary__contains="medische").exists()

    seen_by_lead = lead.get(url)
    assert seen_by_lead.status_code == 200
    assert [n["text"] for n in seen_by_lead.json()["results"]] == ["voor het team"]
    assert {n["text"] for n in member.get(url).json()["results"]} == {
        "voor het team",
        "medische notitie",
    }
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, student=world.child, summary=f"API GET {url}"
    ).exists()


def test_closed_case_refuses_contributions_with_a_problem(world, case, lead, member):
    services.case_close(
        actor=world.actor(world.leerplicht_a),
        case=case,
        reason="anders",
        reason_text="x",
        confirmed=True,
    )
    url = f"/api/v1/cases/{case.pk}/actions"
    body = {"description": "x", "due_date": _today().isoformat()}
    # closing ended the team: the lead (who still sees the case) is told why
    problem = refused(post(lead, url, body), 400)
    assert problem["invalidParams"][0]["name"] == "request"
    assert "afgesloten" in problem["invalidParams"][0]["reason"]


# -- notifications --------------------------------------------------------------------------------


def test_notifications_are_ones_own(world, case):
    jeugdarts = client_for(world.jeugdarts)
    mine = jeugdarts.get("/api/v1/notifications")
    assert mine.status_code == 200
    results = mine.json()["results"]
    assert [n["kind"] for n in results] == ["team"]
    assert results[0]["read"] is False
    notification_id = results[0]["id"]
    other = client_for(world.leerplicht_b)
    assert other.get("/api/v1/notifications").json()["results"] == []
    refused(post(other, f"/api/v1/notifications/{notification_id}/read"), 404)
    read = post(jeugdarts, f"/api/v1/notifications/{notification_id}/read")
    assert read.status_code == 200, read.content
    assert read.json()["read"] is True
    assert Notification.objects.get(pk=notification_id).read_at is not None
    refused(post(jeugdarts, "/api/v1/notifications/999999999/read"), 404)


# -- a fuzz run aimed at a real case --------------------------------------------------------------


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzz_of_the_case_writes_finds_no_server_error(world, case, mode):
    """Generated requests at an open case the token's organisation leads (the general fuzz run of
    api/tests/test_openapi.py has no case to aim at)."""
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=world.leerplicht_a, name="f", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    headers = {"Authorization": f"Bearer {key}"}
    failures: list[str] = []
    tried = 0
    before = audits(case)

    def aim(generated):
        if generated.path_parameters and "id" in generated.path_parameters:
            generated.path_parameters["id"] = case.pk
        return generated

    with wsgi_application() as app:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            if not operation.path.startswith("/api/v1/cases/{id}/"):
                continue
            strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
            tried += fuzz(strategy.map(aim), headers, failures)
    assert tried >= 16
    assert not failures, "\n".join(failures[:10])
    if mode == "positive":
        assert audits(case) > before  # it reached the services
