"""The pupil's own timetable by hand (RULES.md §7): the school's zorgcoördinator sets it on the
enrolment from the child's page; a bad number is named at the field and nothing is written; the
page is a read of the child (audited); others do not get the link or the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from inbeeld.attendance.tests.factories import log_in
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.people.models import Enrolment


@pytest.fixture(autouse=True)
def enrolment(world):
    world.enrolment = Enrolment.objects.get(student=world.child)


def _url(enrolment):
    return reverse("people:enrolment_hours", args=[enrolment.pk])


def test_the_zorgcoordinator_sets_and_clears_the_own_timetable(client, world):
    log_in(client, world.school_staff_a)
    child_page = client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    assert f'href="{_url(world.enrolment)}" data-testid="edit-enrolment-hours"' in child_page
    views = AuditEvent.objects.filter(student=world.child, action=AuditAction.VIEW).count()
    form = client.get(_url(world.enrolment))
    assert form.status_code == 200
    assert "Eigen rooster van" in form.content.decode()
    assert (
        AuditEvent.objects.filter(student=world.child, action=AuditAction.VIEW).count() == views + 1
    )
    saved = client.post(_url(world.enrolment), {"hours_per_day": "2,5"})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("attendance:student", args=[world.child.pk])
    world.enrolment.refresh_from_db()
    assert world.enrolment.hours_per_day == Decimal("2.50")
    update = AuditEvent.objects.get(student=world.child, action=AuditAction.UPDATE)
    assert update.user_id == world.school_staff_a.user_id
    assert update.detail == {"hours_per_day": ["", "2.50"]}
    assert 'value="2,5"' in client.get(_url(world.enrolment)).content.decode()
    assert client.post(_url(world.enrolment), {"hours_per_day": ""}).status_code == 302
    world.enrolment.refresh_from_db()
    assert world.enrolment.hours_per_day is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Uren per dag moet meer dan 0 en ten hoogste 24 zijn (nu 0)."),
        ("25", "Uren per dag moet meer dan 0 en ten hoogste 24 zijn (nu 25)."),
        ("twee", "Uren per dag: vul een getal in, zoals 2 of 2,5."),
    ],
)
def test_a_bad_number_is_named_and_nothing_written(client, world, value, message):
    log_in(client, world.school_staff_a)
    response = client.post(_url(world.enrolment), {"hours_per_day": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    world.enrolment.refresh_from_db()
    assert world.enrolment.hours_per_day is None
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_others_get_no_link_and_no_page(client, world):
    # leerplicht sees the child but keeps no school data
    log_in(client, world.leerplicht_a)
    page = client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    assert "edit-enrolment-hours" not in page
    assert client.get(_url(world.enrolment)).status_code == 403
    client.logout()
    # the zorgcoördinator of another school: the child is out of scope
    log_in(client, world.school_staff_b)
    assert client.get(_url(world.enrolment)).status_code == 404
    assert client.post(_url(world.enrolment), {"hours_per_day": "2"}).status_code == 404
    world.enrolment.refresh_from_db()
    assert world.enrolment.hours_per_day is None
