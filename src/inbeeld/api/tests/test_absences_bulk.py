"""POST /api/v1/absences: bulk, idempotent by client_id, all or nothing, only own pupils."""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
from django.utils import translation
from hypothesis import strategies as st
from rest_framework.fields import Field
from rest_framework.test import APIClient

from inbeeld.accounts.models import Role
from inbeeld.api.tests.conftest import make_member, make_token, token_client
from inbeeld.attendance.models import AbsenceRecord
from inbeeld.audit.models import AuditEvent
from inbeeld.people.tests.fuzz import fuzz

pytestmark = pytest.mark.django_db


def _null_messages() -> set[str]:
    """Django REST framework's message for a null value, in each language of the site."""
    messages = set()
    for language in ("en", "nl"):
        with translation.override(language):
            messages.add(str(Field.default_error_messages["null"]))
    return messages


#: a null reason is named by the framework's own message, in the language of the request
NULL = _null_messages()


def row(client_id: str, student_id: str = "S-A", **changes) -> dict:
    return {
        "client_id": client_id,
        "student_id": student_id,
        "start_date": "2025-11-10",
        "end_date": "2025-11-12",
        "reason": "ziek",
        "hours_per_day": 5,
    } | changes


def post(client, rows):
    return client.post("/api/v1/absences", rows, format="json")


def test_create_then_same_again_is_unchanged(side_a):
    client = side_a.client()
    batch = [row("c1"), row("c2", start_date="2025-11-17", end_date="2025-11-17")]
    first = post(client, batch)
    assert first.status_code == 201, first.content
    assert first.json()["created"] == 2
    assert [r["result"] for r in first.json()["results"]] == ["created", "created"]
    stored = AbsenceRecord.objects.filter(organisation=side_a.school_org).count()
    events = AuditEvent.objects.count()

    again = post(client, batch)
    assert again.status_code == 200
    assert again.json() | {"results": None} == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "results": None,
    }
    assert [r["id"] for r in again.json()["results"]] == [r["id"] for r in first.json()["results"]]
    assert AbsenceRecord.objects.filter(organisation=side_a.school_org).count() == stored
    # only the receipt of the batch is recorded, no change
    assert AuditEvent.objects.count() == events + 1


def test_same_client_id_with_other_data_updates(side_a):
    client = side_a.client()
    post(client, [row("c1")])
    response = post(client, [row("c1", end_date="2025-11-14", hours_per_day="2.5")])
    assert response.status_code == 200
    assert response.json()["updated"] == 1
    record = AbsenceRecord.objects.get(organisation=side_a.school_org, client_id="c1")
    assert record.end_date == dt.date(2025, 11, 14)
    assert float(record.hours_per_day) == 2.5
    assert AuditEvent.objects.filter(action="update", student=side_a.student).exists()


def test_an_imported_absence_is_taken_over_by_its_client_id(side_a):
    # the fixture stored an absence on 2025-10-06 without client_id (as a file import does)
    imported = AbsenceRecord.objects.get(student=side_a.student, client_id__isnull=True)
    response = post(
        side_a.client(),
        [row("c9", start_date="2025-10-06", end_date="2025-10-07", reason="ongeoorloofd")],
    )
    assert response.json()["results"][0] == {
        "index": 0,
        "client_id": "c9",
        "id": imported.pk,
        "result": "updated",
    }
    imported.refresh_from_db()
    assert (imported.client_id, imported.end_date) == ("c9", dt.date(2025, 10, 7))


def test_a_bad_batch_is_refused_whole_naming_index_and_field(side_a):
    client = side_a.client()
    before = AbsenceRecord.objects.count()
    response = post(
        client,
        [
            row("ok-1"),
            row("bad-1", start_date="2025-11-20", end_date="2025-11-19"),
            row("bad-2", reason="spijbelen", start_date="2025-12-01", end_date="2025-12-01"),
            row("bad-3", student_id="S-B", start_date="2025-12-02", end_date="2025-12-02"),
            row("ok-1", start_date="2025-12-03", end_date="2025-12-03"),
            row("bad-5"),  # same student, start and reason as row 0
        ],
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400
    assert body["title"]
    assert body["detail"]
    names = {p["name"] for p in body["invalidParams"]}
    assert names == {
        "[1].end_date",
        "[2].reason",
        "[3].student_id",
        "[4].client_id",
        "[5].start_date",
    }
    assert AbsenceRecord.objects.count() == before
    assert not AuditEvent.objects.filter(action__in=["create", "import"]).exists()


def test_conflict_with_another_client_id_is_refused(side_a):
    client = side_a.client()
    post(client, [row("c1")])
    response = post(client, [row("c2")])  # same absence, other client id
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "[0].start_date"


def test_client_ids_are_per_organisation(sides):
    a, b = sides
    assert post(a.client(), [row("same")]).status_code == 201
    assert post(b.client(), [row("same", student_id="S-B")]).status_code == 201
    assert AbsenceRecord.objects.filter(client_id="same").count() == 2


def test_only_students_the_organisation_may_see(sides):
    a, b = sides
    response = post(a.client(), [row("x", student_id=b.student.external_id)])
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "[0].student_id"
    assert not AbsenceRecord.objects.filter(client_id="x").exists()


@pytest.mark.parametrize("body", [{}, [], "text", [1], [None]])
def test_not_an_array_of_rows(side_a, body):
    response = post(side_a.client(), body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_too_many_rows(side_a):
    rows = [row(f"c{i}", start_date="2025-11-10") for i in range(1001)]
    response = post(side_a.client(), rows)
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "request"


def test_sending_needs_import_permission(side_a):
    # a gemeente's leerplichtambtenaar sees the pupil but does not send absences
    membership = make_member("swv", side_a.gemeente, Role.LEERPLICHTAMBTENAAR)
    client = token_client(make_token(membership))
    response = post(client, [row("c1")])
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


def test_session_post_needs_csrf(side_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(side_a.user)
    response = post(client, [row("c1")])
    assert response.status_code == 403
    assert not AbsenceRecord.objects.filter(client_id="c1").exists()


def test_hours_are_rounded_to_hundredths_and_bounded(side_a):
    client = side_a.client()
    assert post(client, [row("h1", hours_per_day=4.126)]).status_code == 201
    record = AbsenceRecord.objects.get(client_id="h1")
    assert str(record.hours_per_day) == "4.13"
    for bad in (0, 24.5, 1e300, "veel"):
        response = post(client, [row("h2", hours_per_day=bad)])
        assert response.status_code == 400, bad
        assert response.json()["invalidParams"][0]["name"] == "[0].hours_per_day"


# -- RULES.md §7: the reasons luxe and 11a -----------------------------------------------------


@pytest.mark.parametrize("reason", ["luxe", "11a"])
def test_luxe_and_11a_are_stored_and_listed(side_a, reason):
    client = side_a.client()
    response = post(client, [row("r1", reason=reason)])
    assert response.status_code == 201, response.content
    assert AbsenceRecord.objects.get(client_id="r1").reason == reason
    listed = client.get("/api/v1/absences", {"reason": reason}).json()["results"]
    assert [r["client_id"] for r in listed] == ["r1"]


def test_an_unknown_reason_names_the_value_and_the_choices(side_a):
    response = post(side_a.client(), [row("r1", reason="luxe-verzuim")])
    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert param["name"] == "[0].reason"
    assert param["reason"] == (
        'onbekende reason "luxe-verzuim": kies uit ongeoorloofd, ziek, geoorloofd, '
        "luxe (luxe verzuim), 11a (vijfjarige thuis, art. 11a)"
    )


FUZZ = fuzz(40)
GOOD_REASONS = ("ongeoorloofd", "ziek", "geoorloofd", "luxe", "11a")


def test_fuzz_bad_reasons_and_hours_are_named_per_row_and_nothing_written(side_a):
    """Any mix of good rows and rows with a bad reason and/or bad hours: one 400 naming exactly
    each bad row's bad fields, no absence stored, no audit row."""
    client = side_a.client()
    stored = AbsenceRecord.objects.count()
    events = AuditEvent.objects.count()
    bad_reason = st.one_of(
        st.text(max_size=12).filter(lambda t: t not in GOOD_REASONS),
        st.sampled_from(["Luxe", "11A", "luxe ", "5a", None]),
        st.integers(),
    )
    bad_hours = st.one_of(st.sampled_from([0, -1, 24.5, "veel", 1e300]), st.integers(min_value=25))
    a_row = st.tuples(
        st.one_of(st.sampled_from(GOOD_REASONS), bad_reason),
        st.one_of(st.none(), st.sampled_from([1, 2.5, 6]), bad_hours),
    )

    @FUZZ
    @hypothesis.given(rows=st.lists(a_row, min_size=1, max_size=6))
    def run(rows):
        batch, expected = [], set()
        for i, (reason, hours) in enumerate(rows):
            day = (dt.date(2025, 11, 10) + dt.timedelta(days=7 * i)).isoformat()
            batch.append(
                row(f"f{i}", reason=reason, hours_per_day=hours, start_date=day, end_date=day)
            )
            if reason not in GOOD_REASONS:
                expected.add(f"[{i}].reason")
            if hours is not None and not (isinstance(hours, (int, float)) and 0 < hours <= 24):
                expected.add(f"[{i}].hours_per_day")
        hypothesis.assume(expected)
        response = post(client, batch)
        assert response.status_code == 400, response.content
        params = response.json()["invalidParams"]
        assert {p["name"] for p in params} == expected
        for p in params:
            if p["name"].endswith(".reason"):
                assert p["reason"].startswith("onbekende reason") or p["reason"] in NULL, p
        assert AbsenceRecord.objects.count() == stored
        assert AuditEvent.objects.count() == events

    run()
