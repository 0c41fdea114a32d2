"""/api/v1/concerns and /api/v1/matches: the same scoping, checks and audit as the screens."""

from __future__ import annotations

import pytest

from inbeeld.accounts.tests.factories import token_client
from inbeeld.audit.models import AuditEvent
from inbeeld.concerns.models import Concern
from inbeeld.concerns.tests.conftest import register

BODY = {"domain": "social", "urgent": True, "contact_name": "W. Team", "contact_phone": "06 2"}


def test_create_by_bsn_and_list_with_matches(world):
    register(world, "zorg", domain="school", contact_name="Meester Piet")
    client = token_client(world.wijkteam_member)
    response = client.post(
        "/api/v1/concerns",
        {**BODY, "bsn": world.pupil.bsn, "birth_date": "2012-05-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organisation"] == "WIJ Groningen"
    # what the wijkteam entered, never the registry's data of the child (issue 9)
    assert (data["bsn"], data["birth_date"]) == (world.pupil.bsn, "2012-05-01")
    assert (data["student"], data["student_id"]) == (None, None)
    assert (data["domain"], data["urgent"], data["system"]) == ("social", True, False)

    listed = client.get("/api/v1/concerns").json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == data["id"]

    matches = client.get("/api/v1/matches").json()["results"]
    assert len(matches) == 1
    assert matches[0]["concern"] == data["id"]
    assert matches[0]["student"] is None  # the wijkteam does not see the child
    assert token_client(world.zorg).get("/api/v1/matches").json()["results"][0]["student"] == (
        world.pupil.pk
    )
    assert matches[0]["other"] == {
        "organisation": "De Linde",
        "domain": "school",
        "urgent": False,
        "contact_name": "Meester Piet",
        "contact_phone": "050 123 45 67",
        "contact_email": f"{world.zorg.user.username}@example.org",
    }
    assert AuditEvent.objects.filter(action="search", summary__contains="/api/v1/matches").exists()


def test_create_by_student_id_only_for_a_child_in_sight(world):
    ggd = token_client(world.jeugdarts)
    response = ggd.post("/api/v1/concerns", {**BODY, "student": world.pupil.pk}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["invalidParams"][0]["name"] == "student"
    school = token_client(world.zorg)
    response = school.post("/api/v1/concerns", {**BODY, "student": world.pupil.pk}, format="json")
    assert response.status_code == 201
    assert Concern.objects.get().organisation == world.school.organisation


@pytest.mark.parametrize(
    "body",
    [
        {**BODY},  # no student
        {**BODY, "student": 1, "bsn": "123456782", "birth_date": "2012-05-01"},  # both
        {**BODY, "bsn": "123456782"},  # bsn without birth date
        {**BODY, "bsn": "12", "birth_date": "2012-05-01"},
        {**BODY, "student": 1, "contact_phone": ""},  # no way to reach
        {**BODY, "student": 1, "domain": "finance"},
    ],
)
def test_create_refuses_bad_input(world, body):
    response = token_client(world.zorg).post("/api/v1/concerns", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Concern.objects.exists()


def test_wrong_birth_date_says_no_more(world):
    """Stored as entered, like any registration: not linked to the pupil, nothing said of it."""
    response = token_client(world.jeugdarts).post(
        "/api/v1/concerns",
        {**BODY, "bsn": world.pupil.bsn, "birth_date": "2011-01-01"},
        format="json",
    )
    assert response.status_code == 201
    assert "Sanne" not in response.content.decode()
    assert Concern.objects.get().student is None


def test_no_permission_no_concerns(world):
    client = token_client(world.beheer)  # functioneel beheerder: USE_API but no REGISTER_CONCERN
    assert client.get("/api/v1/concerns").status_code == 403
    assert client.get("/api/v1/matches").status_code == 403
    assert client.post("/api/v1/concerns", {**BODY, "student": 1}, format="json").status_code == 403


def test_other_organisations_concerns_are_not_listed(world):
    register(world, "jeugdarts")
    assert token_client(world.zorg).get("/api/v1/concerns").json()["count"] == 0
    assert token_client(world.zorg).get("/api/v1/matches").json()["count"] == 0
