"""Causes of thuiszitten on a case (issue 12 §6): recorded and ended through the services (scope
check, audit in the same transaction, history kept), over the API (the case's representation, a
write, problem+json, a fuzz run of the two writes), and on the case page."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import PersonalToken
from inbeeld.api.tests.fuzzing import fuzz, wsgi_application
from inbeeld.audit.models import AuditEvent
from inbeeld.cases import services
from inbeeld.cases.causes import Cause
from inbeeld.cases.models import CaseCause
from inbeeld.cases.tests.test_api import client_for

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(world):
    case = world.open_case(on=_today() - dt.timedelta(days=30))
    world.add_member(case, world.jeugdarts, on=_today() - dt.timedelta(days=29))
    return case


def audits(case) -> int:
    return AuditEvent.objects.filter(student=case.student, summary__contains="oorzaak").count()


# -- the services ---------------------------------------------------------------------------------


def test_more_than_one_cause_per_case_each_audited(world, case):
    lead = world.actor(world.leerplicht_a)
    member = world.actor(world.jeugdarts)
    services.cause_add(actor=lead, case=case, cause=Cause.BULLYING)
    services.cause_add(actor=member, case=case, cause=Cause.CARE_WAITING_LIST, description="GGZ")
    services.cause_add(actor=lead, case=case, cause=Cause.OTHER, description="mantelzorg")
    services.cause_add(actor=lead, case=case, cause=Cause.OTHER, description="schulden")
    assert sorted(case.causes.values_list("cause", flat=True)) == [
        "anders",
        "anders",
        "pesten",
        "wachtlijst_zorg",
    ]
    assert audits(case) == 4
    row = case.causes.get(cause=Cause.CARE_WAITING_LIST)
    assert row.noted_by == world.jeugdarts.user
    assert row.noted_by_organisation == world.ggd


def test_refusals_write_nothing(world, case):
    lead = world.actor(world.leerplicht_a)
    with pytest.raises(ValidationError) as refused:
        services.cause_add(actor=lead, case=case, cause="luiheid")
    assert "cause" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.cause_add(actor=lead, case=case, cause=Cause.OTHER, description="  ")
    assert "description" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.cause_add(
            actor=lead, case=case, cause=Cause.GRIEF, noted_on=_today() + dt.timedelta(days=1)
        )
    assert "noted_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.cause_add(actor=lead, case=case, cause=Cause.GRIEF, description="x" * 301)
    services.cause_add(actor=lead, case=case, cause=Cause.GRIEF)
    with pytest.raises(ValidationError) as refused:
        services.cause_add(actor=lead, case=case, cause=Cause.GRIEF)
    assert "al open" in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.cause_add(actor=world.actor(world.leerplicht_b), case=case, cause=Cause.DIVORCE)
    assert case.causes.count() == 1
    assert audits(case) == 1


def test_ending_keeps_the_history_and_a_cause_may_come_back(world, case):
    lead = world.actor(world.leerplicht_a)
    cause = services.cause_add(
        actor=lead, case=case, cause=Cause.TRANSPORT, noted_on=_today() - dt.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as refused:
        services.cause_end(actor=lead, cause=cause, on=_today() - dt.timedelta(days=11))
    assert "on" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.cause_end(actor=world.actor(world.leerplicht_b), cause=cause)
    services.cause_end(actor=lead, cause=cause, reason="vervoer geregeld")
    cause.refresh_from_db()
    assert (cause.ended_on, cause.end_reason, cause.ended_by) == (
        _today(),
        "vervoer geregeld",
        world.leerplicht_a.user,
    )
    with pytest.raises(ValidationError):
        services.cause_end(actor=lead, cause=cause)
    again = services.cause_add(actor=lead, case=case, cause=Cause.TRANSPORT)
    assert case.causes.count() == 2
    assert again.is_open
    assert not CaseCause.objects.get(pk=cause.pk).is_open
    assert audits(case) == 3


# -- the API --------------------------------------------------------------------------------------


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def test_api_records_shows_and_ends_causes(world, case):
    lead, member = client_for(world.leerplicht_a), client_for(world.jeugdarts)
    outsider = client_for(world.leerplicht_b)
    url = f"/api/v1/cases/{case.pk}/causes"
    refused(outsider.post(url, {"cause": "pesten"}, format="json"), 404)
    made = member.post(url, {"cause": "pesten", "description": "in de klas"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["cause_label"] == "pesten"
    problem = refused(lead.post(url, {"cause": "anders"}, format="json"), 400)
    assert problem["invalidParams"][0]["name"] == "description"
    problem = refused(lead.post(url, {"cause": "pesten"}, format="json"), 400)
    assert problem["invalidParams"][0]["name"] == "cause"
    refused(lead.post(url, {"cause": "iets"}, format="json"), 400)
    shown = lead.get(f"/api/v1/cases/{case.pk}").json()["causes"]
    assert [(c["cause"], c["ended_on"]) for c in shown] == [("pesten", None)]
    end = f"{url}/{made.json()['id']}/end"
    refused(outsider.post(end, {}, format="json"), 404)
    ended = lead.post(end, {"reason": "opgelost"}, format="json")
    assert ended.status_code == 200, ended.content
    assert ended.json()["ended_on"] == _today().isoformat()
    refused(lead.post(end, {}, format="json"), 400)
    refused(lead.post(f"{url}/999999999/end", {}, format="json"), 404)
    assert lead.get(f"/api/v1/cases/{case.pk}").json()["causes"][0]["end_reason"] == "opgelost"


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzz_of_the_cause_writes(world, case, mode):
    """Generated bodies for the two writes: a problem, never a server error; nothing half-written
    (every cause row has its audit event)."""
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=world.leerplicht_a, name="f", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    first = services.cause_add(actor=world.actor(world.leerplicht_a), case=case, cause="rouw")
    headers = {"Authorization": f"Bearer {key}"}
    failures: list[str] = []
    tried = 0

    def aim(generated):
        if generated.path_parameters:
            generated.path_parameters["id"] = case.pk
            if "cause_id" in generated.path_parameters:
                generated.path_parameters["cause_id"] = first.pk
        return generated

    with wsgi_application() as app:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            if not operation.path.startswith("/api/v1/cases/{id}/causes"):
                continue
            strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
            tried += fuzz(strategy.map(aim), headers, failures)
    assert tried >= 2
    assert not failures, "\n".join(failures[:10])
    rows = CaseCause.objects.filter(case=case).count()
    created = AuditEvent.objects.filter(
        student=case.student,
        summary__contains="vastgelegd",
        summary__startswith=f"casus {case.pk}: oorzaak",
    ).count()
    assert rows == created


# -- the case page --------------------------------------------------------------------------------


def test_the_case_page_shows_records_and_ends_causes(client, world, case):
    client.force_login(world.jeugdarts.user)
    act = lambda what, data: client.post(reverse("cases:act", args=[case.pk, what]), data)  # noqa: E731
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Oorzaken van het thuiszitten" in page
    assert "Nog geen oorzaak vastgelegd." in page
    assert act("oorzaak", {"cause": "pesten", "description": "op het plein"}).status_code == 302
    refused = act("oorzaak", {"cause": "anders", "description": ""})
    assert refused.status_code == 400
    assert "Omschrijf de oorzaak" in refused.content.decode()
    cause = case.causes.get()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="causes"' in page
    assert "op het plein" in page
    assert act("oorzaak_einde", {"id": cause.pk}).status_code == 302
    cause.refresh_from_db()
    assert cause.ended_on == _today()
    assert act("oorzaak_einde", {"id": 999999999}).status_code == 404
    client.force_login(world.leerplicht_b.user)
    assert act("oorzaak", {"cause": "rouw"}).status_code == 404
    assert case.causes.count() == 1
