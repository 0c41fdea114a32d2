"""The pages everyone sees first, in a real browser: login, home, choosing an organisation; each
without WCAG 2.1 A/AA violations found by axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_has_no_accessibility_violations(page, app_url, axe):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(app_url("accounts:login"))

    # the NL Design System CSS, our own and htmx all come from the static files (node_modules)
    assert missing == []
    assert page.evaluate("() => typeof window.htmx") == "object"

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe.assert_clean(page)


def test_logging_in_lands_on_vandaag(page, log_in, axe):
    gemeente = build.gemeente("Gemeente Utrecht", "GM0344")
    build.person(gemeente, username="leerplicht", last_name="de Vries")

    log_in(page, "leerplicht", PASSWORD)

    # the home page of everyone with work with children: what they have to do (issue 11)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Fleur de Vries")
    expect(header).to_contain_text("Gemeente Utrecht")
    # one organisation: nothing to switch between
    expect(page.get_by_role("link", name="Andere organisatie kiezen")).to_have_count(0)
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    expect(navigation.get_by_role("link", name="Vandaag")).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("link", name="Wie zit er thuis?")).to_be_visible()
    axe.assert_clean(page)


def test_the_login_error_is_announced_and_accessible(page, app_url, axe):
    page.goto(app_url("accounts:login"))
    page.get_by_label("Gebruikersnaam").fill("niemand")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    axe.assert_clean(page)


def test_a_user_of_two_organisations_chooses_and_sees_the_choice_in_the_header(
    page, log_in, app_url, axe
):
    utrecht = build.gemeente("Gemeente Utrecht", "GM0344")
    zeist = build.gemeente("Gemeente Zeist", "GM0355")
    build.person(utrecht, username="twee", last_name="de Vries")
    build.person(zeist, username="twee", last_name="de Vries")

    log_in(page, "twee", PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/organisatie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Voor welke organisatie werkt u nu?")
    axe.assert_clean(page)

    page.get_by_label("Gemeente Zeist").check()
    page.get_by_role("button", name="Verder").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    acting = page.get_by_test_id("acting-organisation")
    expect(acting).to_have_text("Gemeente Zeist")
    # two organisations: the header offers to switch, and switching works
    page.get_by_role("link", name="Andere organisatie kiezen").click()
    page.get_by_label("Gemeente Utrecht").check()
    page.get_by_role("button", name="Verder").click()
    expect(acting).to_have_text("Gemeente Utrecht")
    axe.assert_clean(page)


def test_logging_out_returns_to_the_login_page(page, log_in):
    build.person(build.gemeente(), username="uit")
    log_in(page, "uit", PASSWORD)

    page.get_by_role("button", name="Uitloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
