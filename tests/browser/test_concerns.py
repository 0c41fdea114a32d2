"""Concerns and notifications in a real browser: a GGD registers a concern by BSN, the school that
already had one sees the match and the message; the GGD learns who else is involved and how to
reach them, never the child's data (issue 9); each page without WCAG 2.1 A/AA violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, Role, User
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.concerns.services import concern_register
from inbeeld.people.models import Enrolment, School, Student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"


def _member(username: str, organisation: Organisation, role: str) -> Membership:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name="Fleur",
        last_name=username.title(),
        email=f"{username}@example.org",
    )
    return Membership.objects.create(user=user, organisation=organisation, role=role)


def test_a_match_between_school_and_ggd(page, log_in, app_url, axe):
    school_org = Organisation.objects.create(
        type=OrganisationType.SCHOOL, name="De Linde", code="12AB", municipality_code="GM0014"
    )
    school = School.objects.create(
        brin="12AB",
        name="De Linde",
        sector="po",
        region="noord",
        municipality_code="GM0014",
        organisation=school_org,
    )
    ggd = Organisation.objects.create(
        type=OrganisationType.GGD, name="GGD Groningen", code="GGD1", municipality_code="GM0014"
    )
    pupil = Student.objects.create(
        external_id="P1",
        bsn="111222333",
        given_names="Sanne",
        family_name="Bakker",
        birth_date=dt.date(2012, 5, 1),
        municipality_code="GM0014",
    )
    Enrolment.objects.create(student=pupil, school=school, start_date=dt.date(2020, 8, 1))
    zorg = _member("zorg", school_org, Role.SCHOOL_ZORGCOORDINATOR)
    _member("jeugdarts", ggd, Role.JEUGDARTS)
    concern_register(
        actor=actor_for(zorg),
        student_id=pupil.pk,
        domain="school",
        contact_name="Meester Piet",
        contact_phone="050 111 11 11",
    )

    # the GGD cannot see the child: it names it by BSN and birth date
    log_in(page, "jeugdarts", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Zorgen en matches"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgen en matches")
    axe.assert_clean(page)
    page.get_by_role("link", name="Zorg melden").click()
    axe.assert_clean(page)
    page.get_by_label("BSN van de leerling").fill("111222333")
    page.get_by_label("Geboortedatum van de leerling").fill("2012-05-01")
    page.get_by_label("Levensdomein").select_option("health")
    page.get_by_label("Urgent").check()
    page.get_by_label("Telefoonnummer").fill("050 222 22 22")
    page.get_by_role("button", name="Zorg registreren").click()
    expect(page.get_by_text("Er is een match")).to_be_visible()
    matches = page.get_by_test_id("matches")
    expect(matches).to_contain_text("De Linde")
    expect(matches).to_contain_text("Meester Piet")
    # what the GGD entered, not the child's name: the concern gave no sight (issue 9)
    expect(matches).to_contain_text("BSN 111222333, geboren 1 mei 2012")
    expect(page.get_by_role("main")).not_to_contain_text("Sanne")
    axe.assert_clean(page)
    page.get_by_role("link", name="Brief aan ouders over BSN 111222333, geboren 1 mei 2012").click()
    expect(page.get_by_test_id("letter")).to_contain_text("bezwaar")
    expect(page.get_by_test_id("letter")).not_to_contain_text("Sanne")
    axe.assert_clean(page)
    page.goto(app_url("attendance:student", pupil.pk))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Sanne")

    # the school was told; opening the message leads to the match
    page.goto(app_url("/"))
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "zorg", PASSWORD)
    link = page.get_by_test_id("notifications-link")
    expect(link).to_contain_text("1")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten")
    axe.assert_clean(page)
    page.get_by_role("link", name="Match: een andere organisatie is ook betrokken").click()
    expect(page.get_by_test_id("matches")).to_contain_text("GGD Groningen")
    expect(page.get_by_test_id("notifications-link")).not_to_contain_text("1")
    page.goto(app_url("notifications:settings"))
    axe.assert_clean(page)
    page.get_by_label("Match op een zorg").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label("Match op een zorg")).not_to_be_checked()
