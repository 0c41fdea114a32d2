"""Concerns and notifications in a real browser: a GGD registers a concern by BSN, the school that
already had one sees the match and the message; the GGD learns who else is involved and how to
reach them, never the child's data (issue 9); each page without WCAG 2.1 A/AA violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.concerns.services import concern_register
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_match_between_school_and_ggd(page, log_in, app_url, axe):
    school = build.school("12AB", "De Linde", municipality_code="GM0014")
    ggd = build.ggd("GGD Groningen", "GGD1", municipality_code="GM0014")
    pupil = build.pupil(
        school,
        external_id="P1",
        bsn="111222333",
        given_names="Sanne",
        family_name="Bakker",
        birth_date=dt.date(2012, 5, 1),
    )
    zorg = build.person(school.organisation, Role.SCHOOL_ZORGCOORDINATOR, "zorg")
    build.person(ggd, Role.JEUGDARTS, "jeugdarts")
    concern_register(
        actor=build.actor_for(zorg),
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
