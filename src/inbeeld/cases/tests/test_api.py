"""Cases over the API: scoped lists and detail, opening (and refusing a second), audit."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from inbeeld.accounts.models import PersonalToken
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.cases.models import Case

D = dt.date
pytestmark = pytest.mark.django_db


def client_for(membership) -> APIClient:
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=membership, name="t", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_list_and_detail_within_scope(world):
    case = world.open_case()
    world.add_member(case)
    response = client_for(world.leerplicht_a).get("/api/v1/cases")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [case.pk]
    detail = client_for(world.jeugdarts).get(f"/api/v1/cases/{case.pk}").json()
    assert {m["username"] for m in detail["team"]} == {
        world.leerplicht_a.user.username,
        world.jeugdarts.user.username,
    }
    assert detail["state"] == "geopend"
    assert "proposal" in detail
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="cases.Case", student=world.child
    ).exists()
    assert client_for(world.leerplicht_b).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert client_for(world.leerplicht_b).get("/api/v1/cases").json()["results"] == []
    assert client_for(world.wijkteam_worker).get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_open_a_case_over_the_api(world):
    client = client_for(world.leerplicht_a)
    body = {"student": world.child.pk, "opened_from": "melding", "melding": world.melding.pk}
    response = client.post("/api/v1/cases", body, format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert response.json()["id"] == case.pk
    assert case.source_melding == world.melding
    again = client.post("/api/v1/cases", body, format="json")
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert f"casus {case.pk}" in again.json()["detail"]


def test_opening_is_refused_outside_scope_or_without_permission(world):
    body = {"student": world.child.pk, "opened_from": "bevinding"}
    refused = client_for(world.leerplicht_b).post("/api/v1/cases", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["name"] == "student"
    assert client_for(world.jeugdarts).post("/api/v1/cases", body, format="json").status_code == 403
    missing_melding = client_for(world.leerplicht_a).post(
        "/api/v1/cases", {"student": world.child.pk, "opened_from": "melding"}, format="json"
    )
    assert missing_melding.status_code == 400
    assert not Case.objects.exists()
