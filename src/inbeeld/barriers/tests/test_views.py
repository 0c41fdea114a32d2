"""The section "Belemmeringen" of the case page: loaded into it (htmx), a page of its own without
JavaScript, its forms; 404 outside the case's sight; every read audited for the child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbeeld.attendance.tests.factories import PASSWORD
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.barriers import services
from inbeeld.barriers.models import Barrier

D = dt.date
pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def _barrier(world, case, kind="leerlingenvervoer"):
    return services.barrier_add(
        actor=world.actor(world.leerplicht_a), case=case, kind=kind, started_on=D(2025, 9, 25)
    )


def test_the_case_page_loads_the_section(client, world, case):
    page = login(client, world.leerplicht_a).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("barriers:section", args=[case.pk]) in page.content.decode()


def test_the_section_shows_barriers_their_history_and_next_steps(client, world, case):
    barrier = _barrier(world, case)
    services.barrier_change(
        actor=world.actor(world.leerplicht_a), barrier=barrier, to="geweigerd", on=D(2025, 10, 1)
    )
    before = AuditEvent.objects.filter(action=AuditAction.VIEW, student=world.child).count()
    response = login(client, world.leerplicht_a).get(
        reverse("barriers:section", args=[case.pk]), **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page  # the section only
    assert "Leerlingenvervoer" in page
    assert "vervoer geweigerd" in page  # the history
    assert 'value="bezwaar"' in page  # what may follow
    assert 'value="aangevraagd"' in page
    assert 'value="geregeld"' not in page
    after = AuditEvent.objects.filter(action=AuditAction.VIEW, student=world.child).count()
    assert after == before + 1
    full = client.get(reverse("barriers:section", args=[case.pk])).content.decode()
    assert "<html" in full
    assert "Terug naar de casus" in full


def test_recording_and_changing_through_the_forms(client, world, case):
    login(client, world.leerplicht_a)
    response = client.post(
        reverse("barriers:add", args=[case.pk]),
        {"kind": "wachtlijst", "provider": "Accare", "started_on": "2025-09-26"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Belemmering vastgelegd." in response.content.decode()
    barrier = Barrier.objects.get()
    assert (barrier.kind, barrier.provider, barrier.state) == ("wachtlijst", "Accare", "open")
    response = client.post(
        reverse("barriers:change", args=[barrier.pk]),
        {"to": "opgelost", "on": "2025-11-01", "note": "plek gevonden"},
    )
    assert response.status_code == 302  # without htmx: back to the case page
    assert response["Location"].startswith(reverse("cases:detail", args=[case.pk]))
    barrier.refresh_from_db()
    assert (barrier.state, barrier.ended_on) == ("opgelost", D(2025, 11, 1))


def test_a_refused_form_says_why_and_writes_nothing(client, world, case):
    barrier = _barrier(world, case)
    login(client, world.leerplicht_a)
    response = client.post(
        reverse("barriers:change", args=[barrier.pk]), {"to": "geregeld", "on": "2025-10-01"}
    )
    assert response.status_code == 400
    assert "kan niet naar geregeld" in response.content.decode()
    response = client.post(reverse("barriers:add", args=[case.pk]), {"kind": "anders"})
    assert response.status_code == 400
    assert Barrier.objects.count() == 1
    barrier.refresh_from_db()
    assert barrier.state == "aangevraagd"


@pytest.mark.parametrize("who", ["leerplicht_b", "wijkteam_worker", "school_staff_b"])
def test_outside_the_case_everything_is_404(client, world, case, who):
    barrier = _barrier(world, case)
    login(client, getattr(world, who))
    assert client.get(reverse("barriers:section", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("barriers:add", args=[case.pk]), {"kind": "wachtlijst"}).status_code
        == 404
    )
    response = client.post(reverse("barriers:change", args=[barrier.pk]), {"to": "toegekend"})
    assert response.status_code == 404
    assert Barrier.objects.count() == 1


def test_no_casework_no_section(client, world, case):
    login(client, world.beleid_a)
    assert client.get(reverse("barriers:section", args=[case.pk])).status_code == 403
