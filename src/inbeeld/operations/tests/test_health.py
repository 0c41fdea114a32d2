"""``/gezondheid/`` (issue 14): 200 when database, cache, worker and migrations are ok, else 503;
JSON without login and without personal data."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from inbeeld.operations import health
from inbeeld.operations.heartbeat import Beating, beat
from inbeeld.operations.models import WorkerHeartbeat

URL = "/gezondheid/"


def _get(client):
    response = client.get(URL)
    return response.status_code, json.loads(response.content)


def test_all_ok_without_login(client, db):
    status, body = _get(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "worker", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.usefixtures("database_backend")
def test_the_worker_is_alive_while_its_heartbeat_is_young(client, db, settings):
    settings.INBEELD_WORKER_HEARTBEAT_MAX_AGE = 120
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}
    beat("worker-1")
    status, body = _get(client)
    assert status == 200, body
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=121))
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_a_failing_check_answers_503_with_its_name(client, db, monkeypatch):
    def broken():
        raise ConnectionError("redis://secret@host unreachable")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    status, body = _get(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False, "detail": "ConnectionError"}  # no address


def test_unapplied_migrations_fail(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)

    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            return [("operations", "0002_new")]

    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    status, body = _get(client)
    assert status == 503
    assert body["checks"]["migrations"] == {"ok": False, "detail": "1 not applied"}


def test_the_answer_names_no_person(client, db, django_user_model):
    django_user_model.objects.create(username="jansen", first_name="Piet")
    content = client.get(URL).content.decode()
    assert "jansen" not in content
    assert "Piet" not in content


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_beats_until_stopped():
    beating = Beating("worker-thread", interval=0.05)
    beating.start()
    try:
        for _ in range(100):
            if WorkerHeartbeat.objects.filter(worker_id="worker-thread").exists():
                break
            beating.stop.wait(0.05)
    finally:
        beating.stop.set()
        beating.join(5)
    assert WorkerHeartbeat.objects.filter(worker_id="worker-thread").exists()
    assert not beating.is_alive()


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_does_the_housekeeping_at_its_start_and_then_now_and_then():
    from inbeeld.accounts.permissions import Permission
    from inbeeld.operations import registry

    tidied = threading.Event()
    calls: list[int] = []

    def tidy() -> None:
        calls.append(1)
        if len(calls) >= 2:
            tidied.set()

    def broken() -> None:
        raise OSError("a file in use")

    kinds = {
        kind: registry.JobType(
            kind=kind,
            label="Opruimen",
            permission=Permission.IMPORT_DATA,
            run=lambda params, actor, progress: {},
            housekeeping=housekeeping,
        )
        for kind, housekeeping in (("test-broken", broken), ("test-tidy", tidy))
    }
    with mock.patch.dict(registry._TYPES, kinds):
        beating = Beating("worker-tidy", interval=0.02, housekeeping_interval=0.1)
        beating.start()
        try:
            assert tidied.wait(10), calls  # a failing kind stops neither the others nor the beat
        finally:
            beating.stop.set()
            beating.join(5)
    assert WorkerHeartbeat.objects.filter(worker_id="worker-tidy").exists()
