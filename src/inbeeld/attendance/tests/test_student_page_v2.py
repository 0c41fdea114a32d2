"""RULES.md §7 on the child's page: the child's own timetable, vervangende leerplicht apart from
the vrijstellingen, a 5a without end date that lapses on 31 July, and the reasons luxe and 11a
in the absence calendar; the page is a read and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from inbeeld.attendance.selectors import absence_calendar
from inbeeld.attendance.tests.factories import AbsenceFactory, ExemptionFactory, log_in
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.people.models import Enrolment

D = dt.date
ON = D(2024, 11, 8)


def _page(client, world) -> str:
    response = log_in(client, world.leerplicht_a).get(
        reverse("attendance:student", args=[world.child.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def _day(calendar, date):
    return next(d for m in calendar.months for w in m.weeks for d in w if d.day == date)


def test_the_own_timetable_is_shown_and_caps_the_calendar(client, world):
    enrolment = Enrolment.objects.get(student=world.child)
    page = _page(client, world)
    assert 'data-testid="enrolment-hours">rooster van de school<' in page
    enrolment.hours_per_day = Decimal("2.50")
    enrolment.save()
    page = _page(client, world)
    assert 'data-testid="enrolment-hours">2,5 uur (eigen rooster)<' in page
    # a whole day absent is the child's own 2.5 hours, not the school's
    AbsenceFactory(student=world.child, start_date=D(2024, 10, 7), hours_per_day=None)
    calendar = absence_calendar(student=world.child, year_start=D(2024, 8, 1), today=ON)
    assert calendar.totals["ongeoorloofd"] == 2.5
    assert _day(calendar, D(2024, 10, 7)).label == "7 oktober: ongeoorloofd afwezig 2,5 uur"


def test_vervangende_leerplicht_is_not_listed_as_a_vrijstelling(client, world):
    ExemptionFactory(student=world.child, article="3a", start_date=D(2024, 9, 2))
    page = _page(client, world)
    assert "Geen vrijstellingen." in page
    section = page.split('data-testid="vervangende-leerplicht"')[1].split("</table>")[0]
    assert '<th scope="row" class="utrecht-table__header-cell">artikel 3a</th>' in section
    assert 'data-testid="exemption-description">vervangende leerplicht (vanaf 14 jaar)<' in section
    assert "is geen vrijstelling" in page


@pytest.mark.parametrize(
    ("article", "end", "permanent", "shown"),
    [
        ("5a", None, False, "31 juli 2025 (geen einddatum: vervalt op 31 juli van het schooljaar)"),
        ("5a", None, True, "geen einddatum"),
        ("5a", D(2025, 1, 31), False, "31 januari 2025"),
        ("5a_trekkend", None, False, "geen einddatum"),
    ],
)
def test_how_long_an_exemption_runs(client, world, article, end, permanent, shown):
    ExemptionFactory(
        student=world.child,
        article=article,
        start_date=D(2024, 9, 2),
        end_date=end,
        permanent=permanent,
    )
    page = _page(client, world)
    table = page.split('data-testid="exemptions"')[1].split("</table>")[0]
    assert f'data-testid="exemption-end">{shown}<' in table
    assert ('data-testid="exemption-permanent"' in table) is permanent
    if article == "5a_trekkend":
        assert '<th scope="row" class="utrecht-table__header-cell">artikel 5a</th>' in table
        assert "trekkend bestaan (ouders met een reizend beroep)" in table
    assert 'data-testid="vervangende-leerplicht"' not in page


@pytest.mark.parametrize(
    ("reason", "mark", "text"),
    [("luxe", "L", "luxe verzuim"), ("11a", "A", "vijfjarige thuis (art. 11a)")],
)
def test_luxe_and_11a_in_the_calendar(client, world, reason, mark, text):
    AbsenceFactory(
        student=world.child,
        start_date=D(2024, 10, 7),
        end_date=D(2024, 10, 8),
        reason=reason,
        hours_per_day=Decimal("3"),
    )
    calendar = absence_calendar(student=world.child, year_start=D(2024, 8, 1), today=ON)
    day = _day(calendar, D(2024, 10, 7))
    assert (day.reason, day.mark, day.label) == (reason, mark, f"7 oktober: {text} 3 uur")
    assert calendar.totals[reason] == 6
    assert calendar.totals["ongeoorloofd"] == 0
    events = AuditEvent.objects.filter(student=world.child, action=AuditAction.VIEW).count()
    page = _page(client, world)
    assert (
        f"{mark} = {'luxe verzuim' if reason == 'luxe' else 'vijfjarige thuis, art. 11a'}" in page
    )
    luxe, eleven_a = (6, 0) if reason == "luxe" else (0, 6)
    assert (
        f"Daarnaast {luxe} uur luxe verzuim en {eleven_a} uur vijfjarige thuis (art. 11a)." in page
    )
    assert (
        AuditEvent.objects.filter(student=world.child, action=AuditAction.VIEW).count()
        == events + 1
    )
