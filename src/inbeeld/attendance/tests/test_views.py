"""Screens: home (thuiszitters, open meldingen, htmx partials), the child's page, search, detection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import DetectionRun, Melding
from inbeeld.attendance.tests.factories import (
    BIRTH_DATE,
    EXEMPT_FROM,
    ON,
    AbsenceFactory,
    ExemptionFactory,
    StudentFactory,
    log_in,
    pupil,
    truant,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.operations.models import BackgroundJob, JobState

D = dt.date


@pytest.fixture(autouse=True)
def screens(world):
    """Aalders truant in the autumn of 2024 and ill on 9 Sep; Dekker and Evers at home in gemeente
    A and B (``world.home_a``, ``world.home_b``); Franssen, exempt (``world.exempt_a``); the
    detection run on ``ON``."""
    truant(world.child)
    AbsenceFactory(student=world.child, start_date=D(2024, 9, 9), reason="ziek")
    at_home = {"birth_date": BIRTH_DATE}
    world.home_a = StudentFactory(municipality_code="GM0001", family_name="Dekker", **at_home)
    world.home_b = StudentFactory(municipality_code="GM0002", family_name="Evers", **at_home)
    world.exempt_a = pupil(world.school_a, family_name="Franssen")
    ExemptionFactory(student=world.exempt_a, start_date=EXEMPT_FROM)
    detection_run(on=ON)


def test_home_shows_thuiszitters_and_meldingen_in_scope(client, world):
    page = log_in(client, world.leerplicht_a).get(reverse("attendance:home")).content.decode()
    assert "Wie zit er thuis?" in page
    assert "Dekker" in page
    assert "Evers" not in page
    assert "Ja, langer dan 3 maanden" in page
    assert "16 uur bereikt op 4 november" in page
    # the handling forms load when a row is opened (htmx), or on a page of their own
    melding = Melding.objects.filter(student__family_name="Dekker").first()
    form_url = reverse("attendance:melding_transition", args=[melding.pk])
    assert f'hx-get="{form_url}"' in page
    fragment = client.get(form_url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="reden"' in fragment
    assert "<html" not in fragment
    standalone = client.get(form_url).content.decode()
    assert 'name="reden"' in standalone
    assert "Melding behandelen" in standalone
    assert "terug naar school" in fragment


def test_home_htmx_returns_the_table_partial(client, world):
    log_in(client, world.leerplicht_a)
    response = client.get(
        reverse("attendance:home"),
        {"categorie": "absoluut_verzuim", "sorteer": "-name"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="thuiszitters",
    )
    body = response.content.decode()
    assert "<h1" not in body
    assert 'data-testid="thuiszitters"' in body
    assert "Dekker" in body
    assert 'aria-sort="descending"' in body


def test_beleidsmedewerker_sees_no_children(client, world):
    response = log_in(client, world.beleid_a).get(reverse("attendance:home"), follow=True)
    # a beleidsmedewerker lands on the monitor: figures only
    assert response.redirect_chain[-1][0] == reverse("monitor:dashboard")
    page = response.content.decode()
    assert "Dekker" not in page
    assert "Aalders" not in page


def test_melding_transition_with_htmx_updates_the_row(client, world):
    log_in(client, world.leerplicht_a)
    melding = Melding.objects.get(student=world.child, rule="16_uur")
    url = reverse("attendance:melding_transition", args=[melding.pk])
    response = client.post(url, {"naar": "in_behandeling"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert "in behandeling" in body
    response = client.post(url, {"naar": "afgesloten", "reden": ""}, HTTP_HX_REQUEST="true")
    assert "Kies een reden van afsluiten" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"naar": "afgesloten", "reden": "terug_naar_school"})
    assert response.status_code == 302
    melding.refresh_from_db()
    assert (melding.state, melding.closing_reason) == ("afgesloten", "terug_naar_school")


def test_melding_transition_outside_the_worklist_is_404(client, world):
    melding = Melding.objects.get(student=world.child, rule="16_uur")
    log_in(client, world.leerplicht_b)
    url = reverse("attendance:melding_transition", args=[melding.pk])
    assert client.post(url, {"naar": "in_behandeling"}).status_code == 404
    assert client.get(url).status_code == 404  # the forms are not shown either


def test_child_page_in_scope_is_shown_and_audited(client, world):
    log_in(client, world.leerplicht_a)
    url = reverse("attendance:student", args=[world.child.pk])
    response = client.get(url, {"schooljaar": "2024"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "De Linde" in page  # enrolment history
    assert (
        "16 uur bereikt op 4 november: 4 uur op 7, 14 en 28 oktober en 4 november; "
        "de herfstvakantie telt niet mee"
    ) in page
    assert "7 oktober: ongeoorloofd afwezig 4 uur" in page  # the calendar's accessible label
    assert "9 september: ziek gemeld 5 uur" in page
    assert "herfstvakantie 2024" in page  # the vacation is shaded and named
    assert 'data-testid="access-history"' in page  # leerplicht may see who looked
    event = AuditEvent.objects.get(action=AuditAction.VIEW, student=world.child)
    assert event.user == world.leerplicht_a.user
    assert event.organisation == world.gemeente_a


def test_child_page_out_of_scope_is_404_and_history_needs_permission(client, world):
    log_in(client, world.leerplicht_b)
    assert client.get(reverse("attendance:student", args=[world.child.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    client.logout()
    log_in(client, world.school_staff_a)
    page = client.get(reverse("attendance:student", args=[world.exempt_a.pk])).content.decode()
    assert "Vrijgesteld sinds 2 september 2024 (artikel 5, onder a, Leerplichtwet 1969)" in page
    # the code 5a is art. 5 onder a (art. 5a is trekkend bestaan), in the table too
    assert '<th scope="row" class="utrecht-table__header-cell">artikel 5, onder a</th>' in page
    assert "artikel 5a" not in page
    assert 'data-testid="access-history"' not in page


def test_search_is_scoped_and_audited(client, world):
    log_in(client, world.leerplicht_a)
    page = client.get(reverse("attendance:search"), {"q": "Aalders"}).content.decode()
    assert "Aalders" in page
    page = client.get(reverse("attendance:search"), {"q": world.home_b.bsn}).content.decode()
    assert "Evers" not in page
    assert 'data-testid="no-results"' in page
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("id")
    assert [e.detail["query"] for e in searches] == ["Aalders", world.home_b.bsn]
    assert [e.detail["found"] for e in searches] == [1, 0]
    assert searches[0].organisation == world.gemeente_a


def test_run_detection_now_needs_the_permission(client, world):
    log_in(client, world.leerplicht_a)
    assert client.get(reverse("attendance:detection")).status_code == 403
    client.logout()
    log_in(client, world.beheer_a)
    assert client.get(reverse("attendance:detection")).status_code == 200
    before = DetectionRun.objects.count()
    response = client.post(reverse("attendance:detection"))
    # queued as a background job (issue 14), here run at once; the job's page shows it done
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("operations:job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert job.started_by == world.beheer_a.user
    run = DetectionRun.objects.order_by("-id").first()
    assert job.result["run"] == run.pk
    assert DetectionRun.objects.count() == before + 1
    assert run.triggered_by == world.beheer_a.user
    assert AuditEvent.objects.filter(action=AuditAction.DETECT, user=world.beheer_a.user).exists()


def test_run_now_requires_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    log_in(client, world.beheer_a)
    assert client.post(reverse("attendance:detection")).status_code == 403


def test_home_htmx_returns_the_meldingen_partial(client, world):
    log_in(client, world.school_staff_a)
    response = client.get(
        reverse("attendance:home"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="meldingen"
    )
    body = response.content.decode()
    assert "<h1" not in body
    assert 'data-testid="meldingen"' in body
    assert "Aalders" in body  # the 16_uur of the school's own pupil
    assert "Dekker" not in body  # absoluut verzuim goes to leerplicht only


def test_home_records_every_child_shown_also_from_the_cache(client, world):
    """Issue 9 finding 7: the worklists name each child in the audit trail, on every request, also
    when the page of thuiszitters comes from the cache."""
    log_in(client, world.leerplicht_a)
    for _ in range(2):
        before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        page = client.get(reverse("attendance:home")).content.decode()
        assert "Dekker" in page
        assert "Aalders" in page
        shown = set(
            AuditEvent.objects.filter(pk__gt=before, action=AuditAction.VIEW).values_list(
                "student_id", flat=True
            )
        )
        assert {world.home_a.pk, world.child.pk} <= shown
        assert world.home_b.pk not in shown


def test_search_results_name_each_child_found(client, world):
    log_in(client, world.leerplicht_a)
    client.get(reverse("attendance:search"), {"q": "Aalders"})
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, summary="zoekresultaat")
    assert list(views.values_list("student_id", flat=True)) == [world.child.pk]
