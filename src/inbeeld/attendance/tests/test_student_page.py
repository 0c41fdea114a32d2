"""The child's page: which school year the absence calendar shows and how one moves between years;
nothing after today shown as empty history; the access history includes the view being made."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import StudentStatus
from inbeeld.attendance.selectors import absence_calendar, school_years_of
from inbeeld.attendance.tests.factories import (
    ON,
    AbsenceFactory,
    StudentFactory,
    log_in,
    pupil,
    truant,
)
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.rules.calendar import school_year_label, school_year_start

D = dt.date


@pytest.fixture(autouse=True)
def history(world):
    """Aalders truant in the autumn of 2024 and ill in 2022; Dekker (``world.home_a``) of
    gemeente A at home; the detection run on ``ON``."""
    truant(world.child)
    AbsenceFactory(student=world.child, start_date=D(2022, 9, 12), reason="ziek")
    world.home_a = StudentFactory(municipality_code="GM0001", family_name="Dekker")
    detection_run(on=ON)


def _current_year() -> dt.date:
    return school_year_start(timezone.localdate())


def _heading(page: str) -> str:
    match = re.search(r'<h2 class="utrecht-heading-2" id="kalender-kop">([^<]*)</h2>', page)
    assert match, "no calendar heading"
    return match.group(1)


# -- the school years ------------------------------------------------------------------------------


def test_school_years_are_those_with_data_and_the_current_one(world):
    status = StudentStatus.objects.get(student=world.child)
    years, default = school_years_of(student=world.child, status=status, today=D(2026, 11, 23))
    # 2023/24 and 2025/26 hold nothing: no way to go there
    assert years == [D(2026, 8, 1), D(2024, 8, 1), D(2022, 8, 1)]
    # the most recent absence is in 2024/25, not in the (empty) current year
    assert default == D(2024, 8, 1)


def test_the_default_year_follows_the_status_since_date_of_a_thuiszitter(world):
    status = StudentStatus.objects.get(student=world.home_a)
    assert status.category == "absoluut_verzuim"
    assert status.since is not None
    years, default = school_years_of(student=world.home_a, status=status, today=D(2026, 11, 23))
    assert default == school_year_start(status.since)
    assert years[0] == D(2026, 8, 1)
    assert default in years


def test_absences_after_today_do_not_open_a_future_year(world):
    AbsenceFactory(student=world.child, start_date=D(2027, 9, 6))
    years, default = school_years_of(student=world.child, status=None, today=D(2026, 11, 23))
    assert max(years) == D(2026, 8, 1)
    assert default == D(2024, 8, 1)


def test_no_data_shows_the_current_year(world):
    child = pupil(world.school_a, family_name="Zonder")
    years, default = school_years_of(student=child, status=None, today=D(2026, 11, 23))
    assert years == [D(2026, 8, 1)]
    assert default == D(2026, 8, 1)


def test_months_after_today_are_not_shown_as_history(world):
    calendar = absence_calendar(student=world.child, year_start=D(2024, 8, 1), today=ON)
    assert [m.name for m in calendar.months] == ["augustus", "september", "oktober", "november"]
    assert [m.name for m in calendar.months_to_come][:2] == ["december", "januari"]
    assert len(calendar.months_to_come) == 8
    november = [d for week in calendar.months[-1].weeks for d in week if d.day.month == 11]
    after = [d for d in november if d.day > ON]
    assert after
    assert all(d.kind == "toekomst" and d.label.endswith("nog niet") for d in after)
    assert all(d.kind != "toekomst" for d in november if d.day <= ON)
    assert calendar.totals["ongeoorloofd"] == 16  # 4 days × 4 hours, all on or before today

    past = absence_calendar(student=world.child, year_start=D(2024, 8, 1), today=D(2026, 1, 1))
    assert len(past.months) == 12
    assert past.months_to_come == []


# -- the page --------------------------------------------------------------------------------------


def test_the_child_page_opens_on_the_year_of_the_latest_absence_and_links_to_the_others(
    client, world
):
    log_in(client, world.leerplicht_a)
    url = reverse("attendance:student", args=[world.child.pk])
    page = client.get(url).content.decode()

    assert _heading(page) == "Verzuim in schooljaar 2024/25"
    assert "7 oktober: ongeoorloofd afwezig 4 uur" in page
    assert 'rel="prev"' in page
    assert "?schooljaar=2022#kalender-kop" in page
    assert "Vorig schooljaar (2022/23)" in page
    current = _current_year()
    if current > D(2024, 8, 1):
        assert "Volgend schooljaar (" + school_year_label(current) + ")" in page
        assert f"?schooljaar={current.year}#kalender-kop" in page
    for empty in (2023, 2025):  # no data and not the current year: no link
        if empty != current.year:
            assert f"schooljaar={empty}" not in page

    older = client.get(url, {"schooljaar": "2022"}).content.decode()
    assert _heading(older) == "Verzuim in schooljaar 2022/23"
    assert "12 september: ziek gemeld" in older
    assert 'rel="prev"' not in older
    assert "Volgend schooljaar (2024/25)" in older

    # a year without data falls back to the default
    empty = client.get(url, {"schooljaar": "2023"}).content.decode()
    assert _heading(empty) == "Verzuim in schooljaar 2024/25"


def test_the_current_year_leaves_out_the_months_to_come(client, world):
    log_in(client, world.leerplicht_a)
    current = _current_year()
    page = client.get(
        reverse("attendance:student", args=[world.child.pk]), {"schooljaar": current.year}
    ).content.decode()
    assert _heading(page) == f"Verzuim in schooljaar {school_year_label(current)}"
    today = timezone.localdate()
    if today.month != 7:  # in July no month of the school year is still to come
        assert 'data-testid="months-to-come"' in page
        assert "nog niet begonnen" in page


def test_the_access_history_includes_the_view_being_made(client, world):
    membership = world.leerplicht_a
    log_in(client, membership)
    url = reverse("attendance:student", args=[world.child.pk])

    page = client.get(url).content.decode()
    history = page[page.index('data-testid="access-history"') :]
    rows = history.count('<tr class="utrecht-table__row">') - 1  # minus the header row
    assert rows == 1
    assert f"Leerlingpagina bekeken: {world.child.external_id}" in history
    assert membership.user.username in history

    page = client.get(url).content.decode()
    history = page[page.index('data-testid="access-history"') :]
    assert history.count("Leerlingpagina bekeken") == 2
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, student=world.child).count() == 2


def test_a_child_out_of_scope_is_404_and_no_view_is_recorded(client, world):
    log_in(client, world.leerplicht_b)
    response = client.get(reverse("attendance:student", args=[world.child.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    assert not AuditEvent.objects.filter(student=world.child, user=world.leerplicht_b.user)


def test_school_days_without_an_enrolment_say_so(world):
    def day(calendar, date):
        return next(d for m in calendar.months for w in m.weeks for d in w if d.day == date)

    home = absence_calendar(student=world.home_a, year_start=D(2024, 8, 1), today=ON)
    tuesday = day(home, D(2024, 10, 8))
    assert (tuesday.kind, tuesday.mark) == ("uitgeschreven", "N")
    assert tuesday.label == "8 oktober: niet ingeschreven"
    assert home.has_unenrolled_days
    enrolled = absence_calendar(student=world.child, year_start=D(2024, 8, 1), today=ON)
    assert day(enrolled, D(2024, 10, 8)).kind == "school"
    assert not enrolled.has_unenrolled_days
