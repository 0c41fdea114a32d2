"""The decision on a leave request a parent sent online, e-mailed to that parent (issue 11 §8):
the school links what came in to its pupil, decides it as any leave request, makes the beschikking
and sends it from the online request's page as a PDF attachment; never before there is one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from inbeeld.attendance.tests.factories import actor_for, pupil, two_organisations
from inbeeld.audit.models import AuditEvent
from inbeeld.correspondence.parent_mail import decision_send_to_parent
from inbeeld.correspondence.services import letter_generate
from inbeeld.leave import public, services
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.leave.public_models import OnlineLeaveRequest, OnlineState
from inbeeld.leave.tests.test_public import MONDAY, _sent
from inbeeld.people.tests.factories import login


@pytest.fixture
def leave_world(db):
    """The leave tests' world: two schools with a pupil each, the acting school A."""
    w = two_organisations()
    w.child_a = pupil(w.school_a, family_name="Aalders")
    w.child_b = pupil(w.school_b, family_name="Bakker")
    w.school = actor_for(w.school_staff_a)
    return w


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.INBEELD_PUBLIC_LEAVE_PER_HOUR = 10
    cache.clear()
    yield
    cache.clear()


def test_the_school_links_it_to_its_pupil_and_decides_and_the_parent_gets_the_letter(
    leave_world, django_capture_on_commit_callbacks
):
    online = _sent(Client(), leave_world)
    school = login(Client(), leave_world.school_staff_a)
    listing = school.get(reverse("leave:online_index")).content.decode()
    assert online.reference in listing
    page = school.get(reverse("leave:online_detail", args=[online.pk]))
    assert page.context["candidates"] == [leave_world.child_a]
    viewed = AuditEvent.objects.filter(student=leave_world.child_a, action="view")
    assert viewed.filter(summary__contains=online.reference).exists()
    response = school.post(
        reverse("leave:online_link_pupil", args=[online.pk]), {"student": leave_world.child_a.pk}
    )
    leave = LeaveRequest.objects.get(student=leave_world.child_a)
    assert response["Location"] == reverse("leave:detail", args=[leave.pk])
    online.refresh_from_db()
    assert online.state == OnlineState.GEKOPPELD
    assert online.leave_request == leave
    assert leave.state == LeaveState.INGEDIEND
    assert leave.reason == "huwelijk van een familielid"
    services.leave_request_decide(actor=leave_world.school, leave=leave, grant=True)
    leave.refresh_from_db()
    letter = letter_generate(
        actor=leave_world.school,
        student=leave_world.child_a,
        kind="beschikking_verlof",
        fields={
            "leave_request": leave.pk,
            "recipient": "Petra Aalders\nDorpsstraat 1\n1234 AB Dorp",
            "objection_address": "De Linde, Schoolstraat 1, 1234 AB Dorp",
        },
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = school.post(reverse("correspondence:decision_to_parent", args=[leave.pk]))
    assert sent["Location"] == reverse("leave:online_detail", args=[online.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petra@example.org"]
    assert message.attachments[0][0] == letter.filename
    assert message.attachments[0][1] == bytes(letter.pdf)
    online.refresh_from_db()
    assert online.letter_sent == letter.pk


def test_no_letter_is_sent_before_there_is_one(leave_world):
    online = _sent(Client(), leave_world)
    leave = public.online_request_link(
        actor=leave_world.school, online=online, student=leave_world.child_a
    )
    services.leave_request_decide(actor=leave_world.school, leave=leave, grant=False, note="nee")
    with pytest.raises(ValidationError, match="Maak eerst de beschikking"):
        decision_send_to_parent(actor=leave_world.school, leave=leave)
    assert not OnlineLeaveRequest.objects.get().letter_sent_at


def test_leerplicht_sends_its_own_decision_beyond_ten_days(
    leave_world, django_capture_on_commit_callbacks
):
    """More than ten school days: leerplicht decides, makes the beschikking and sends it from the
    leave request's page (it never sees the school's online request page)."""
    w = leave_world
    w.leerplicht = actor_for(w.leerplicht_a)
    online = _sent(
        Client(),
        w,
        start_date=MONDAY.isoformat(),
        end_date=(MONDAY + dt.timedelta(days=20)).isoformat(),
    )
    leave = public.online_request_link(actor=w.school, online=online, student=w.child_a)
    assert leave.state == LeaveState.DOORGESTUURD
    with pytest.raises(ValidationError):  # not decided yet
        decision_send_to_parent(actor=w.leerplicht, leave=leave)
    services.leave_request_decide(actor=w.leerplicht, leave=leave, grant=False, note="Te lang.")
    letter_generate(
        actor=w.leerplicht,
        student=w.child_a,
        kind="beschikking_verlof",
        fields={"leave_request": leave.pk, "recipient": "Petra Aalders\nDorpsstraat 1"},
    )
    client = login(Client(), w.leerplicht_a)
    page = client.get(reverse("leave:detail", args=[leave.pk])).content.decode()
    assert reverse("correspondence:decision_to_parent", args=[leave.pk]) in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("correspondence:decision_to_parent", args=[leave.pk]))
    assert sent["Location"] == reverse("leave:detail", args=[leave.pk])
    assert [m.to for m in mail.outbox] == [["petra@example.org"]]
    # the other gemeente's leerplicht does not see the request
    with pytest.raises(PermissionDenied):
        public.online_request_send_decision(
            actor=actor_for(w.leerplicht_b), leave=leave, letter_id=1, pdf=b"", filename="x.pdf"
        )
