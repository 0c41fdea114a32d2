"""Logs (issue 14): one JSON object per line with the request's id, user and organisation; the id
comes back in X-Request-ID; nine-digit numbers are masked; and representative work on the demo
municipality (its import, detection, the child's page, a search, a page not found) logs no BSN and
no name of any child."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inbeeld.accounts.tests.factories import MembershipFactory
from inbeeld.attendance.detection import detection_run
from inbeeld.conf import logs
from inbeeld.demo.tests.world import ON, demo_files, load_demo  # noqa: F401 (fixture)
from inbeeld.people.models import Student


@pytest.fixture
def captured():
    """Everything logged at DEBUG and above, through the configured handler's filters, as the
    JSON lines production writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestContext())
    handler.addFilter(logs.Redact())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_nine_digits_are_masked_and_longer_numbers_kept():
    assert logs.redact("bsn 123456782, id 1234567890, 12345678") == (
        "bsn *********, id 1234567890, 12345678"
    )


@pytest.mark.parametrize(
    ("header", "kept"),
    [("abc-123_x.y", True), ("a" * 64, True), ("a" * 65, False), ("x\ny", False), ("", False)],
)
def test_the_request_id_is_taken_only_when_it_is_a_plain_token(header, kept):
    assert (logs.request_id_from(header) == header) is kept


def test_a_record_becomes_one_json_line_with_its_context_and_without_the_bsn(captured):
    logger = logging.getLogger("elsewhere.test")  # not Inbeeld: the session watch allows it
    logger.warning("student %s not found", "123456782")
    try:
        raise ValueError("BSN 111222333 refused")
    except ValueError:
        logger.exception("failed")
    first, second = _lines(captured)
    assert set(first) == {
        "time", "level", "logger", "message", "request_id", "user_id", "organisation",
    }  # fmt: skip
    assert first["message"] == "student ********* not found"
    assert first["level"] == "WARNING"
    assert first["logger"] == "elsewhere.test"
    assert "111222333" not in second["exception"]
    assert "ValueError: BSN ********* refused" in second["exception"]


@pytest.mark.django_db
def test_a_request_gets_an_id_and_its_logs_name_user_and_organisation(client, captured):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.get("/bestaat-niet/", headers={"X-Request-ID": "proxy-42"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-42"
    entry = next(e for e in _lines(captured) if e["logger"] == "django.request")
    assert entry["request_id"] == "proxy-42"
    assert entry["user_id"] == member.user.pk
    assert entry["organisation"] == member.organisation.pk
    fresh = client.get("/bestaat-niet/", headers={"X-Request-ID": "not valid!"})
    assert re.fullmatch(r"[0-9a-f]{32}", fresh["X-Request-ID"])


@pytest.mark.django_db
def test_the_demo_work_logs_no_bsn_and_no_name(client, captured, demo_files):  # noqa: F811
    load_demo(demo_files)
    detection_run(on=ON)
    children = list(Student.objects.exclude(status__isnull=True).order_by("pk")[:5])
    client.force_login(_user("demo-leerplicht"))
    for child in children:
        client.get(reverse("attendance:student", args=[child.pk]))
        client.get(reverse("attendance:search"), {"q": child.bsn})
        client.get(reverse("attendance:search"), {"q": child.family_name})
        client.get(f"/leerling/{child.bsn}/")  # not found: Django logs the path
    client.get(reverse("attendance:home"))
    written = captured.getvalue()
    assert written  # the work did log (at least the pages not found)
    assert "*********" in written  # and the BSN in the path was masked
    students = Student.objects.values_list("bsn", "given_names", "family_name")
    bsns = {bsn for bsn, _, _ in students if bsn}
    names = {n for _, given, family in students for n in (*given.split(), family) if len(n) > 3}
    assert not [bsn for bsn in bsns if bsn in written]
    leaked = [n for n in names if re.search(rf"\b{re.escape(n)}\b", written)]
    assert not leaked, leaked


def _user(username: str):
    return get_user_model().objects.get(username=username)
