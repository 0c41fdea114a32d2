"""Barriers over the API: scoped list with filters, create, one with its history, changes;
problem+json refusals; out of scope 404 (path) or 400 (body); hypothesis fuzzing of the inputs."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis

from inbeeld.api.tests.fuzzing import fuzz, wsgi_application
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.barriers import services
from inbeeld.barriers.models import Barrier, BarrierChange
from inbeeld.cases.tests.test_api import client_for

D = dt.date
pytestmark = pytest.mark.django_db


def _barrier(world, case, kind="leerlingenvervoer", **data):
    return services.barrier_add(
        actor=world.actor(world.leerplicht_a),
        case=case,
        kind=kind,
        **{"started_on": D(2025, 9, 25), **data},
    )


def test_list_filters_and_audits(world, case):
    transport = _barrier(world, case)
    waiting = _barrier(world, case, kind="wachtlijst", provider="Accare")
    services.barrier_change(
        actor=world.actor(world.leerplicht_a), barrier=waiting, to="opgelost", on=D(2025, 10, 1)
    )
    api = client_for(world.leerplicht_a)
    rows = api.get("/api/v1/barriers").json()["results"]
    assert [r["id"] for r in rows] == [transport.pk, waiting.pk]
    assert rows[0]["student"] == world.child.pk
    assert rows[0]["case"] == case.pk
    for query, ids in (
        (f"case={case.pk}", [transport.pk, waiting.pk]),
        (f"case={case.pk + 1000}", []),
        ("kind=wachtlijst", [waiting.pk]),
        ("state=aangevraagd", [transport.pk]),
        ("open=true", [transport.pk]),
        ("open=false", [waiting.pk]),
    ):
        got = [r["id"] for r in api.get(f"/api/v1/barriers?{query}").json()["results"]]
        assert got == ids, query
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, student=world.child, summary__contains="/api/v1/barriers"
    ).exists()


@pytest.mark.parametrize("query", ["kind=taxi", "open=misschien", "case=0", "case=x"])
def test_bad_filters_are_problems(world, case, query):
    response = client_for(world.leerplicht_a).get(f"/api/v1/barriers?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_create_retrieve_and_change(world, case):
    api = client_for(world.leerplicht_a)
    response = api.post(
        "/api/v1/barriers",
        {"case": case.pk, "kind": "leerlingenvervoer", "provider": "Gemeente A"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "aangevraagd"
    assert set(body["next_states"]) == {"toegekend", "geweigerd", "vervallen"}
    pk = body["id"]
    response = api.post(
        f"/api/v1/barriers/{pk}/changes", {"to": "toegekend", "note": "ok"}, format="json"
    )
    assert response.status_code == 200, response.content
    detail = api.get(f"/api/v1/barriers/{pk}").json()
    assert [h["to_state"] for h in detail["history"]] == ["aangevraagd", "toegekend"]
    assert detail["history"][1]["user"] == world.leerplicht_a.user.get_full_name()
    assert detail["next_states"] == ["geregeld", "vervallen"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, student=world.child, summary__contains=f"/barriers/{pk}"
    ).exists()


def test_refusals_are_problems_and_write_nothing(world, case):
    barrier = _barrier(world, case)
    api = client_for(world.leerplicht_a)
    response = api.post(f"/api/v1/barriers/{barrier.pk}/changes", {"to": "geregeld"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "to" in str(response.json())
    response = api.post("/api/v1/barriers", {"case": case.pk, "kind": "anders"}, format="json")
    assert response.status_code == 400
    assert "description" in str(response.json())
    assert Barrier.objects.count() == 1
    assert BarrierChange.objects.count() == 1


@pytest.mark.parametrize("who", ["leerplicht_b", "wijkteam_worker", "school_staff_b"])
def test_out_of_scope_sees_nothing(world, case, who):
    barrier = _barrier(world, case)
    api = client_for(getattr(world, who))
    assert api.get("/api/v1/barriers").json()["results"] == []
    assert api.get(f"/api/v1/barriers?case={case.pk}").json()["results"] == []
    assert api.get(f"/api/v1/barriers/{barrier.pk}").status_code == 404
    response = api.post(
        f"/api/v1/barriers/{barrier.pk}/changes", {"to": "toegekend"}, format="json"
    )
    assert response.status_code == 404
    response = api.post("/api/v1/barriers", {"case": case.pk, "kind": "wachtlijst"}, format="json")
    assert response.status_code == 400
    assert "case" in str(response.json())
    assert Barrier.objects.count() == 1
    barrier.refresh_from_db()
    assert barrier.state == "aangevraagd"


@pytest.fixture
def wsgi_app():
    with wsgi_application() as app:
        yield app


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_fuzzing_the_barriers_api_finds_no_server_error_nor_half_writes(
    world, case, mode, wsgi_app
):
    """Generated inputs (valid and invalid) for every barriers operation, aimed at a case and a
    barrier in scope: never a 5xx, and every barrier keeps a history row per state it reached."""
    from inbeeld.accounts.models import PersonalToken

    barrier = _barrier(world, case)
    key = PersonalToken.generate()
    PersonalToken.objects.create(
        membership=world.leerplicht_a, name="f", key_hash=PersonalToken.hash(key), prefix=key[:8]
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)

    def aim(call):
        if call.path_parameters and "id" in call.path_parameters:
            call.path_parameters["id"] = barrier.pk
        if mode == "positive" and isinstance(call.body, dict) and "case" in call.body:
            call.body["case"] = case.pk
        return call

    failures: list[str] = []
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/barriers"):
            continue
        strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
        tried += fuzz(strategy.map(aim), {"Authorization": f"Bearer {key}"}, failures)
    assert tried >= 4
    assert not failures, "\n".join(failures[:10])
    for row in Barrier.objects.all():
        assert row.changes.exists()
        assert row.changes.order_by("-on", "-id").first().to_state == row.state
