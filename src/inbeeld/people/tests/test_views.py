"""The free-days page of a school: only its own people, only its own days; calendar.csv import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.people.models import SchoolFreePeriod
from inbeeld.people.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    SchoolFreePeriodFactory,
)


def _login(client, organisation, role=Role.SCHOOL_ZORGCOORDINATOR):
    membership = MembershipFactory(organisation=organisation, role=role)
    assert client.login(username=membership.user.username, password=PASSWORD)


@pytest.mark.django_db
def test_a_school_sees_and_adds_only_its_own_free_days(client):
    school, other = SchoolFactory(), SchoolFactory()
    SchoolFreePeriodFactory(school=other, name="Andermans studiedag")
    _login(client, school.organisation)
    page = client.get(reverse("people:free_days"))
    assert page.status_code == 200
    assert "Andermans studiedag" not in page.content.decode()
    response = client.post(
        reverse("people:free_days"),
        {"start_date": "2025-04-18", "end_date": "2025-04-18", "name": "Goede Vrijdag"},
    )
    assert response.status_code == 302
    period = SchoolFreePeriod.objects.get(school=school)
    assert (period.start_date, period.name) == (dt.date(2025, 4, 18), "Goede Vrijdag")
    assert "Goede Vrijdag" in client.get(reverse("people:free_days")).content.decode()


@pytest.mark.django_db
def test_form_errors_are_shown_with_the_field(client):
    school = SchoolFactory()
    _login(client, school.organisation, Role.FUNCTIONEEL_BEHEERDER)
    response = client.post(
        reverse("people:free_days"), {"start_date": "2025-04-18", "end_date": "2025-04-17"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not SchoolFreePeriod.objects.exists()


@pytest.mark.django_db
def test_another_school_cannot_remove_a_schools_free_day(client):
    school, other = SchoolFactory(), SchoolFactory()
    period = SchoolFreePeriodFactory(school=school)
    _login(client, other.organisation)
    response = client.post(reverse("people:free_day_remove", args=[period.pk]))
    assert response.status_code == 404
    assert SchoolFreePeriod.objects.filter(pk=period.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganisationType.GEMEENTE, Role.LEERPLICHTAMBTENAAR),
        (OrganisationType.GEMEENTE, Role.FUNCTIONEEL_BEHEERDER),
    ],
)
def test_only_school_staff_keep_free_days(client, kind, role):
    _login(client, OrganisationFactory(type=kind, code="GM0014"), role)
    assert client.get(reverse("people:free_days")).status_code == 403


@pytest.mark.django_db
def test_a_swv_consultant_of_a_school_organisation_without_the_right_is_refused(client):
    school = SchoolFactory()
    _login(client, school.organisation, Role.SWV_CONSULTANT)
    assert client.get(reverse("people:free_days")).status_code == 403


@pytest.mark.django_db
def test_calendar_csv_import_for_the_acting_school(client):
    school = SchoolFactory()
    _login(client, school.organisation)
    good = SimpleUploadedFile(
        "calendar.csv", b"start_date,end_date,name\n2025-03-14,2025-03-14,Studiedag\n"
    )
    response = client.post(reverse("people:free_days_import"), {"file": good})
    assert response.status_code == 302
    assert SchoolFreePeriod.objects.get(school=school).name == "Studiedag"
    bad = SimpleUploadedFile("calendar.csv", b"start_date,end_date\n2025-03-40,2025-03-14\n")
    response = client.post(reverse("people:free_days_import"), {"file": bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert "<caption>" in text
    assert "2025-03-40" in text
    assert SchoolFreePeriod.objects.count() == 1
