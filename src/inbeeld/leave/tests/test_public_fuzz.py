"""The public leave form fuzzed (issue 11 §8): anyone may send anything. Any mix of good and bad
values, uploads of any bytes and missing fields answers either the receipt (302, one request stored
with its file) or the form again (400) with one clear Dutch message per wrong field and nothing
stored: never a traceback, never half a request, never a file left behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import hypothesis
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import strategies as st

from inbeeld.audit.models import AuditEvent
from inbeeld.leave import public
from inbeeld.leave.public_models import OnlineLeaveRequest
from inbeeld.rules.leave import HOLIDAY, WEIGHTY

TODAY = timezone.localdate()
MONDAY = TODAY + dt.timedelta(days=91 - TODAY.weekday())
FIELDS = (
    "child_given_names",
    "child_family_name",
    "child_birth_date",
    "parent_name",
    "parent_email",
    "kind",
    "start_date",
    "end_date",
    "reason",
    "statement",
)
#: Django's own (English) messages must never reach the parent
ENGLISH = ("This field", "Enter a valid", "Ensure this value", "Select a valid", "Null characters")

FUZZ = hypothesis.settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

weird_text = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(min_size=190, max_size=400),
    st.sampled_from(["\x00", "  ", "\n\t", "<script>alert(1)</script>", "' OR 1=1 --", "é" * 301]),
)
date_text = st.one_of(
    st.just(MONDAY.isoformat()),
    st.just((MONDAY + dt.timedelta(days=2)).isoformat()),
    st.just(MONDAY.strftime("%d-%m-%Y")),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(
        ["2026-02-30", "31-31-2026", "morgen", "0000-00-00", "9" * 40, "", "٢٠٢٦-٠١-٠١"]
    ),
    st.text(max_size=12),
)
uploads = st.one_of(
    st.none(),
    st.binary(max_size=64),
    st.sampled_from([b"%PDF-1.7\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"GIF89a"]),
    st.binary(max_size=16).map(lambda b: b"%PDF-" + b * 200),  # over the limit of the test
)


def good(world) -> dict:
    child = world.child_a
    return {
        "child_given_names": child.given_names,
        "child_family_name": child.family_name,
        "child_birth_date": child.birth_date.isoformat(),
        "parent_name": "Petra Aalders",
        "parent_email": "petra@example.org",
        "kind": WEIGHTY,
        "start_date": MONDAY.isoformat(),
        "end_date": (MONDAY + dt.timedelta(days=2)).isoformat(),
        "reason": "huwelijk van een familielid",
        "statement": b"%PDF-1.4\n%%EOF\n",
    }


bad_values = {
    "child_given_names": weird_text,
    "child_family_name": weird_text,
    "child_birth_date": date_text,
    "parent_name": weird_text,
    "parent_email": st.one_of(weird_text, st.emails().map(str)),
    "kind": st.one_of(st.sampled_from([HOLIDAY, WEIGHTY, "", "ander", "13a"]), st.text(max_size=8)),
    "start_date": date_text,
    "end_date": date_text,
    "reason": weird_text,
    "statement": uploads,
}


@st.composite
def submissions(draw, base):
    data = dict(base)
    for name in draw(st.sets(st.sampled_from(FIELDS), min_size=1, max_size=len(FIELDS))):
        if draw(st.booleans()) and name != "statement":
            data.pop(name)  # missing altogether
        else:
            data[name] = draw(bad_values[name])
    return data


def _files(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.django_db
def test_any_mix_of_values_gives_a_message_per_field_or_one_whole_request(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.INBEELD_LEAVE_STATEMENT_MAX_BYTES = 1024
    settings.INBEELD_PUBLIC_LEAVE_PER_HOUR = 10_000
    cache.clear()
    link = public.public_link_enable(actor=world.school)
    url = reverse("leave:public_form", kwargs={"token": link.token})
    base = good(world)
    outcomes = {"stored": 0, "refused": 0}

    @FUZZ
    @hypothesis.given(data=submissions(base))
    def run(data):
        before_rows = OnlineLeaveRequest.objects.count()
        before_events = AuditEvent.objects.count()
        before_files = _files(tmp_path)
        body = {k: v for k, v in data.items() if k != "statement"}
        if data.get("statement") is not None:
            body["statement"] = SimpleUploadedFile("v.pdf", data["statement"], "application/pdf")
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(raise_request_exception=True).post(url, body)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 302:
            outcomes["stored"] += 1
            assert OnlineLeaveRequest.objects.count() == before_rows + 1
            assert AuditEvent.objects.count() == before_events + 1
            stored = OnlineLeaveRequest.objects.latest("pk")
            assert bool(stored.statement) == (data.get("statement") is not None)
            return
        outcomes["refused"] += 1
        errors = response.context["form"].errors
        assert errors, "a refusal says why"
        for field, messages in errors.items():
            assert field in FIELDS, field
            assert len(messages) == 1, (field, messages)
            assert messages[0].strip()
            assert not any(english in messages[0] for english in ENGLISH), messages[0]
        page = response.content.decode()
        assert "Traceback" not in page
        assert OnlineLeaveRequest.objects.count() == before_rows
        assert AuditEvent.objects.count() == before_events
        assert _files(tmp_path) == before_files

    run()
    assert outcomes["refused"] > 0
