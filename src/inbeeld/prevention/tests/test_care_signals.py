"""The care signals gathered from the database per child, only for a child the actor may see and
only from what the actor may see of it, and their section "Zorgsignalen" on the child's page."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.tests.factories import actor_for
from inbeeld.attendance.models import DetectionRun, Melding
from inbeeld.attendance.tests.factories import (
    AbsenceFactory,
    consultant_of_partnership,
    log_in,
    pupil,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.barriers.models import Barrier
from inbeeld.cases.models import Case
from inbeeld.monitor.models import Episode, FiguresRefresh
from inbeeld.prevention.care_signals import care_signals_for, care_signals_of_pupils, child_facts
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK

D = dt.date


def _rising(student) -> None:
    """2 hours away on 14 October 2024, then 4 hours on 4, 5 and 6 November (a school week)."""
    AbsenceFactory(student=student, start_date=D(2024, 10, 14), hours_per_day=Decimal("2"))
    for day in (D(2024, 11, 4), D(2024, 11, 5), D(2024, 11, 6)):
        AbsenceFactory(student=student, start_date=day, hours_per_day=Decimal("4"))


def test_rising_unexcused_hours_from_the_absences(world):
    _rising(world.child)
    actor = actor_for(world.leerplicht_a)
    signals = care_signals_for(actor=actor, student=world.child, on=D(2024, 11, 8))
    assert [(s.code, s.sentence) for s in signals] == [
        (
            "oplopend_ongeoorloofd",
            "12 uur ongeoorloofd in de laatste 3 weken, was 2 in de 3 weken daarvoor.",
        )
    ]
    # on 5 November the 8 hours of the threshold are reached; on 4 November only 4
    assert care_signals_for(actor=actor, student=world.child, on=D(2024, 11, 5))[0].sentence == (
        "8 uur ongeoorloofd in de laatste 3 weken, was 2 in de 3 weken daarvoor."
    )
    assert care_signals_for(actor=actor, student=world.child, on=D(2024, 11, 4)) == []


def test_a_child_the_actor_may_not_see_gets_no_signals(world):
    _rising(world.child)
    outsider = actor_for(world.leerplicht_b)
    assert care_signals_for(actor=outsider, student=world.child, on=D(2024, 11, 8)) == []


def test_the_facts_hold_no_forbidden_fields(world):
    facts = child_facts(actor=actor_for(world.leerplicht_a), student=world.child, on=D(2024, 11, 8))
    names = {f.name for f in dataclasses.fields(facts)}
    assert names == {"school_days", "enrolments", "episodes", "waiting_lists", "meldingen"}


@pytest.fixture
def history(world):
    """For Aalders, as of today: an earlier thuiszitter episode, a waiting list on a case led by
    gemeente A, and a melding to gemeente A that nobody took in handling for 5 weeks."""
    today = timezone.localdate()
    refresh = FiguresRefresh.objects.create(on_date=today)
    Episode.objects.create(
        student=world.child,
        category="absoluut_verzuim",
        start_date=D(2025, 2, 3),
        end_date=today - dt.timedelta(days=100),
        municipality_code="GM0001",
        refresh=refresh,
    )
    case = Case.objects.create(
        student=world.child,
        lead_organisation=world.gemeente_a,
        opened_on=today - dt.timedelta(days=200),
        opened_from="anders",
    )
    Barrier.objects.create(
        case=case,
        kind="wachtlijst",
        state="open",
        started_on=today - dt.timedelta(weeks=10),
        state_since=today - dt.timedelta(weeks=10),
    )
    run = DetectionRun.objects.create(on_date=today - dt.timedelta(weeks=5))
    melding = Melding.objects.create(
        student=world.child,
        rule="16_uur",
        start_date=today - dt.timedelta(weeks=9),
        end_date=today - dt.timedelta(weeks=5),
        first_run=run,
    )
    melding.organisations.add(world.gemeente_a)
    Melding.objects.filter(pk=melding.pk).update(created_at=timezone.now() - dt.timedelta(weeks=5))
    return today


def test_an_unread_report_of_long_sickness_is_no_unhandled_melding(world):
    """Issue 12 §2: the report to the samenwerkingsverband is for information; one left unread
    for 5 weeks is no verzuimmelding that nobody took in handling."""
    consultant = consultant_of_partnership(world.school_a, "SWV9001")
    today = timezone.localdate()
    run = DetectionRun.objects.create(on_date=today - dt.timedelta(weeks=5))
    report = Melding.objects.create(
        student=world.child,
        rule=REPORT_LANGDURIG_ZIEK,
        start_date=today - dt.timedelta(weeks=9),
        end_date=today - dt.timedelta(weeks=5),
        first_run=run,
    )
    report.organisations.add(consultant.organisation)
    Melding.objects.filter(pk=report.pk).update(created_at=timezone.now() - dt.timedelta(weeks=5))
    actor = actor_for(consultant)
    assert child_facts(actor=actor, student=world.child, on=today).meldingen == ()
    assert care_signals_for(actor=actor, student=world.child, on=today) == []


def test_the_pupils_at_once_get_what_each_gets(world, history):
    """The sweep's path (every pupil in one run of the conditions, school days from the bulk
    engine) gives each child what the child's page gives it; a child the actor may not see, or
    without signals, gets no entry."""
    _rising(world.child)
    other = pupil(world.school_a, family_name="Bakker")
    AbsenceFactory(student=other, start_date=D(2024, 11, 4), hours_per_day=Decimal("4"))
    elsewhere = pupil(world.school_b, family_name="Claes")
    _rising(elsewhere)
    actor = actor_for(world.leerplicht_a)
    children = [world.child, other, elsewhere]
    for on in (D(2024, 11, 8), history):
        each = care_signals_for(actor=actor, student=world.child, on=on)
        assert each
        assert care_signals_of_pupils(actor=actor, students=children, on=on) == {
            world.child.pk: each
        }
    assert care_signals_of_pupils(actor=actor, students=[other], on=D(2024, 11, 8)) == {}


def _signals(page: str) -> str:
    start = page.index('data-testid="care-signals"')
    return page[start : page.index("</section>", start)]


def test_the_page_shows_the_signals_and_why(client, world, history):
    log_in(client, world.leerplicht_a)
    response = client.get(reverse("attendance:student", args=[world.child.pk]))
    assert response.status_code == 200
    section = _signals(response.content.decode())
    assert "Zorgsignalen" in section
    assert (
        "<strong>Eerder thuiszitter</strong>: Eerder thuiszitter (absoluut verzuim) van 3 februari 2025"
        in section
    )
    assert "<strong>Op een wachtlijst</strong>: Op een wachtlijst sinds" in section
    assert "(10 weken)." in section
    assert (
        "<strong>Melding niet in behandeling</strong>: Melding 16 uur ongeoorloofd verzuim in 4 "
        "lesweken van"
    ) in section
    assert "is na 5 weken nog niet in behandeling genomen." in section
    assert section.count('data-testid="care-signal"') == 3
    # the view of the page is recorded, as before
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, student_id=world.child.pk, user=world.leerplicht_a.user
    ).exists()


def test_the_page_shows_only_what_the_viewer_may_see(client, world, history):
    # the school sees the child, not gemeente A's case nor its meldingen
    log_in(client, world.school_staff_a)
    section = _signals(
        client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    )
    assert "Eerder thuiszitter" in section
    assert "wachtlijst" not in section
    assert "Melding niet in behandeling" not in section


def test_who_may_not_see_the_child_sees_no_signals(client, world, history):
    log_in(client, world.leerplicht_b)
    response = client.get(reverse("attendance:student", args=[world.child.pk]))
    assert response.status_code == 404
    assert b"Zorgsignalen" not in response.content
    assert b"wachtlijst" not in response.content


def test_a_child_without_signals_says_so(client, world):
    log_in(client, world.leerplicht_a)
    page = client.get(reverse("attendance:student", args=[world.child.pk])).content.decode()
    assert 'data-testid="no-care-signals"' in _signals(page)
