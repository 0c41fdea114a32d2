"""The API: scoping per organisation, authentication and permissions, problem+json errors."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.api.tests.conftest import make_member, make_token, token_client
from inbeeld.attendance.models import DetectionRun, Melding
from inbeeld.attendance.selectors import students_matching
from inbeeld.audit.models import AuditEvent
from inbeeld.people.models import Enrolment, Student
from inbeeld.people.selectors import search_students, students_visible_to

pytestmark = pytest.mark.django_db

CHILD_LISTS = ["students", "enrolments", "absences", "exemptions", "findings"]
PROBLEM = "application/problem+json"


def student_ids(body: dict, endpoint: str) -> set[int]:
    rows = body["results"]
    return {row["id"] if endpoint == "students" else row["student"] for row in rows}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize("endpoint", CHILD_LISTS)
def test_each_organisation_sees_only_its_own_children(sides, endpoint):
    a, b = sides
    for mine, theirs in ((a, b), (b, a)):
        response = mine.client().get(f"/api/v1/{endpoint}")
        assert response.status_code == 200, response.content
        assert response["API-Version"] == "1.0.0"
        seen = student_ids(response.json(), endpoint)
        assert seen == {mine.student.pk}
        assert theirs.student.pk not in seen


@pytest.mark.parametrize("endpoint", CHILD_LISTS)
def test_a_gemeente_sees_the_children_living_in_it(sides, endpoint):
    a, _ = sides
    membership = make_member("lpa", a.gemeente, Role.LEERPLICHTAMBTENAAR)
    response = token_client(make_token(membership)).get(f"/api/v1/{endpoint}")
    assert response.status_code == 200
    assert student_ids(response.json(), endpoint) == {a.student.pk}


def test_a_student_of_another_organisation_is_not_found(sides):
    a, b = sides
    assert a.client().get(f"/api/v1/students/{a.student.pk}").status_code == 200
    body = assert_problem(a.client().get(f"/api/v1/students/{b.student.pk}"), 404)
    assert body["instance"] == f"/api/v1/students/{b.student.pk}"
    assert_problem(a.client().get("/api/v1/students/abc"), 404)
    assert_problem(a.client().get(f"/api/v1/students/{2**70}"), 404)


def test_viewing_a_student_is_audited(side_a):
    side_a.client().get(f"/api/v1/students/{side_a.student.pk}")
    event = AuditEvent.objects.filter(student=side_a.student).first()
    assert event is not None
    assert event.action == "view"
    assert event.organisation == side_a.school_org
    assert event.user == side_a.user


def test_lists_of_children_are_audited(side_a):
    side_a.client().get("/api/v1/students", {"search": "Kind"})
    event = AuditEvent.objects.filter(action="search").first()
    assert event.detail["filters"]["search"] == "Kind"
    assert event.detail["count"] == 1


def test_student_filters(sides):
    a, b = sides
    client = a.client()
    assert client.get("/api/v1/students", {"search": "kind a"}).json()["count"] == 1
    assert client.get("/api/v1/students", {"search": "S-A"}).json()["count"] == 1
    assert client.get("/api/v1/students", {"student_id": "S-B"}).json()["count"] == 0
    assert client.get("/api/v1/students", {"brin": a.school.brin}).json()["count"] == 1
    assert client.get("/api/v1/students", {"brin": b.school.brin}).json()["count"] == 0
    assert client.get("/api/v1/students", {"category": "thuiszitter"}).json()["count"] == 1
    assert client.get("/api/v1/students", {"municipality": "GM0002"}).json()["count"] == 0


def test_findings_hold_status_and_meldingen(side_a):
    body = side_a.client().get("/api/v1/findings").json()
    (finding,) = body["results"]
    assert finding["student_id"] == "S-A"
    assert finding["status"]["category"] == "thuiszitter"
    assert [m["rule"] for m in finding["meldingen"]] == ["16_uur"]
    assert finding["meldingen"][0]["brin"] == side_a.school.brin
    closed = side_a.client().get("/api/v1/findings", {"state": "afgesloten"}).json()
    assert closed["count"] == 0


def test_findings_hold_only_the_meldingen_routed_to_the_acting_organisation(side_a):
    """Need-to-know as on the screens: a melding routed elsewhere stays out of the answer."""
    elsewhere = Melding.objects.create(
        student=side_a.student,
        rule="lrv",
        start_date=dt.date(2025, 9, 1),
        end_date=dt.date(2025, 9, 26),
        school=side_a.school,
        first_run=DetectionRun.objects.get(),
    )
    elsewhere.organisations.add(side_a.gemeente)
    (finding,) = side_a.client().get("/api/v1/findings").json()["results"]
    assert [m["rule"] for m in finding["meldingen"]] == ["16_uur"]
    assert side_a.client().get("/api/v1/findings", {"rule": "lrv"}).json()["count"] == 0


def test_organisations_are_the_own_and_those_it_works_with(sides):
    a, _ = sides
    body = a.client().get("/api/v1/organisations").json()
    ids = {row["id"]: row for row in body["results"]}
    assert set(ids) == {a.school_org.pk, a.gemeente.pk}
    assert ids[a.school_org.pk]["acting"] is True
    assert ids[a.gemeente.pk]["acting"] is False


def test_session_login_works(client, side_a):
    client.force_login(side_a.user)
    response = client.get("/api/v1/students")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_without_chosen_organisation_is_refused(client, side_a, side_b):
    Membership.objects.create(
        user=side_a.user, organisation=side_b.school_org, role=Role.SCHOOL_ZORGCOORDINATOR
    )
    client.force_login(side_a.user)
    assert_problem(client.get("/api/v1/students"), 403)


def test_no_credentials_is_401(db):
    body = assert_problem(APIClient().get("/api/v1/students"), 401)
    assert body["type"] == "about:blank"


def test_revoked_token_is_refused(side_a):
    client = token_client(make_token(side_a.membership, revoked=True))
    assert_problem(client.get("/api/v1/students"), 401)
    client.credentials(HTTP_AUTHORIZATION="Bearer ib_unknown")
    assert_problem(client.get("/api/v1/students"), 401)


def test_token_of_a_deactivated_membership_is_refused(side_a):
    Membership.objects.filter(pk=side_a.membership.pk).update(active=False)
    assert_problem(side_a.client().get("/api/v1/students"), 401)


def test_token_without_use_api_is_refused(side_a):
    membership = make_member("beleid", side_a.school_org, Role.BELEIDSMEDEWERKER)
    client = token_client(make_token(membership))
    body = assert_problem(client.get("/api/v1/organisations"), 403)
    assert "API" in body["detail"]


def test_use_api_without_view_student_sees_no_child_data(side_a):
    membership = make_member("beheer", side_a.school_org, Role.FUNCTIONEEL_BEHEERDER)
    client = token_client(make_token(membership))
    assert client.get("/api/v1/organisations").status_code == 200
    for endpoint in CHILD_LISTS:
        assert_problem(client.get(f"/api/v1/{endpoint}"), 403)


def test_bad_query_parameters_are_problems(side_a):
    body = assert_problem(side_a.client().get("/api/v1/absences", {"date_from": "gisteren"}), 400)
    assert body["invalidParams"][0]["name"] == "date_from"
    body = assert_problem(side_a.client().get("/api/v1/enrolments", {"student": "x"}), 400)
    assert body["invalidParams"][0]["name"] == "student"


def test_paging_is_bounded(side_a):
    body = side_a.client().get("/api/v1/students", {"limit": 100000}).json()
    assert body["count"] == 1


def test_other_organisation_types_see_no_children_until_cases_exist(sides):
    a, _ = sides
    ggd = Organisation.objects.create(
        type=OrganisationType.GGD, name="GGD", code="GGD1", municipality_code="GM0001"
    )
    client = token_client(make_token(make_member("arts", ggd, Role.JEUGDARTS)))
    for endpoint in CHILD_LISTS:
        assert client.get(f"/api/v1/{endpoint}").json()["count"] == 0
    organisations = {row["id"] for row in client.get("/api/v1/organisations").json()["results"]}
    assert organisations == {ggd.pk, a.gemeente.pk}


@pytest.mark.parametrize("path", ["/api/v1/students/", "/api/v1/leerlingen", "/api/v1/"])
def test_unknown_paths_are_problems_too(side_a, path):
    body = assert_problem(side_a.client().get(path), 404)
    assert body["instance"] == path


def test_the_api_search_is_the_screens_search(side_a):
    """``?search=`` gives the pupils the search of the screens gives (one selector for both)."""
    for n, (given, family, bsn, onr) in enumerate(
        [
            ("Anna Maria", "de Vries", "111222333", None),
            ("Bram", "Vries-Jansen", None, "100000004"),
            ("Chris", "Bakker", "123456782", None),
        ]
    ):
        student = Student.objects.create(
            external_id=f"EXTRA-{n}",
            given_names=given,
            family_name=family,
            bsn=bsn,
            onderwijsnummer=onr,
            birth_date=dt.date(2013, 1, 1),
            municipality_code="GM0001",
        )
        Enrolment.objects.create(
            student=student, school=side_a.school, start_date=dt.date(2024, 8, 1)
        )
    actor = actor_for(side_a.membership)
    client = side_a.client()
    for query in [
        "vries",
        "anna vries",
        "Maria de",
        "jansen",
        "extra-1",
        "EXTRA-2",
        "111222333",
        "111.222.333",
        "100000004",
        "s-a",
        "kind a",
        "nobody",
        "a",
    ]:
        api = [
            row["id"] for row in client.get("/api/v1/students", {"search": query}).json()["results"]
        ]
        screen = [s.pk for s in search_students(students_visible_to(actor=actor), query)]
        assert api == screen, query
        if actor.can(Permission.SEARCH_STUDENTS):
            assert [s.pk for s in students_matching(actor=actor, query=query)] == screen, query
