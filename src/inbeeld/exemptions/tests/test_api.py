"""/api/v1/exemption-requests: list within scope, register with the problems, one request; the
register (/api/v1/exemptions) stays as it was."""

from __future__ import annotations

from inbeeld.audit.models import AuditEvent
from inbeeld.exemptions.models import ExemptionRequest
from inbeeld.people.tests.factories import login

URL = "/api/v1/exemption-requests"


def body(w, **kw):
    return {
        "student": w.child_a.pk,
        "article": "5a",
        "requested_on": "2025-05-01",
        "start_date": "2025-08-01",
        "statement_date": "2025-01-15",
        **kw,
    }


def test_register_list_and_retrieve_with_the_problems(client, world):
    login(client, world.leerplicht_a)
    response = client.post(URL, body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "ingediend"
    assert "ouder dan 3 maanden" in data["problems"][0]
    assert data["advices"] == []
    assert [row["id"] for row in client.get(URL).json()["results"]] == [data["id"]]
    assert client.get(f"{URL}/{data['id']}").json()["article"] == "5a"
    assert AuditEvent.objects.filter(action="view", object_id=str(data["id"])).exists()
    # the register is another endpoint, and a request is not in it
    assert client.get("/api/v1/exemptions").json()["results"] == []


def test_scope_and_permissions(client, world):
    login(client, world.leerplicht_a)
    made = client.post(URL, body(world), content_type="application/json").json()
    other = client.post(URL, body(world, student=world.child_b.pk), content_type="application/json")
    assert other.status_code == 400  # not a child this gemeente sees
    bad = client.post(URL, body(world, article="9z"), content_type="application/json")
    assert bad.status_code == 400
    client.logout()
    login(client, world.leerplicht_b)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}/{made['id']}").status_code == 404
    client.logout()
    login(client, world.consultant_a)
    assert client.post(URL, body(world), content_type="application/json").status_code == 403
    assert client.get(URL).json()["results"] == []  # not asked for advice
    client.logout()
    login(client, world.school_staff_a)
    assert client.get(URL).status_code == 403
    assert ExemptionRequest.objects.count() == 1
