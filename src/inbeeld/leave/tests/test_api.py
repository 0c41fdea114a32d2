"""/api/v1/leave-requests: list within scope, register with the assessment, one request."""

from __future__ import annotations

from inbeeld.audit.models import AuditEvent
from inbeeld.leave.models import LeaveRequest
from inbeeld.people.tests.factories import login
from inbeeld.rules.leave import HOLIDAY, WEIGHTY

URL = "/api/v1/leave-requests"


def body(w, **kw):
    return {
        "student": w.child_a.pk,
        "kind": HOLIDAY,
        "start_date": "2024-08-26",
        "end_date": "2024-08-30",
        "employer_statement": True,
        **kw,
    }


def test_register_list_and_retrieve_with_the_assessment(client, world):
    login(client, world.school_staff_a)
    response = client.post(URL, body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    # the law does not allow it (the first two lesweken): stored as niet-ontvankelijk
    assert data["state"] == "niet_ontvankelijk"
    assert data["assessment"]["school_days"] == 5
    assert data["assessment"]["decided_by"] == "school"
    assert data["assessment"]["may_be_granted"] is False
    assert "eerste 2 lesweken" in data["assessment"]["refusals"][0]
    forwarded = client.post(
        URL,
        body(world, kind=WEIGHTY, start_date="2025-03-10", end_date="2025-03-24"),
        content_type="application/json",
    ).json()
    assert forwarded["state"] == "doorgestuurd"
    assert forwarded["assessment"]["decided_by"] == "leerplichtambtenaar"
    listed = client.get(URL).json()
    assert {row["id"] for row in listed["results"]} == {data["id"], forwarded["id"]}
    one = client.get(f"{URL}/{data['id']}")
    assert one.status_code == 200
    assert one.json()["brin"] == "11AA"
    assert AuditEvent.objects.filter(action="view", object_id=str(data["id"])).exists()
    assert AuditEvent.objects.filter(action="search", summary__contains=URL).exists()


def test_scope_and_permissions(client, world):
    login(client, world.school_staff_a)
    made = client.post(URL, body(world), content_type="application/json").json()
    # another school's pupil is unknown here
    refused = client.post(
        URL, body(world, student=world.child_b.pk), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["name"] == "student"
    bad = client.post(URL, body(world, end_date="2024-08-01"), content_type="application/json")
    assert bad.status_code == 400
    assert "einddatum" in bad.json()["invalidParams"][0]["reason"]
    client.logout()
    login(client, world.school_staff_b)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}/{made['id']}").status_code == 404
    client.logout()
    login(client, world.leerplicht_a)
    assert [row["id"] for row in client.get(URL).json()["results"]] == [made["id"]]
    assert client.post(URL, body(world), content_type="application/json").status_code == 403
    client.logout()
    login(client, world.beleid_a)
    assert client.get(URL).status_code == 403
    assert LeaveRequest.objects.count() == 1
