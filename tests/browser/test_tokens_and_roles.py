"""The token page (scopes and term chosen, shown) and the beheer page's roles waiting for a
second beheerder, in a real browser and without WCAG 2.1 A/AA violations found by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from inbeeld.accounts.models import Membership, PersonalToken, Role, RoleGrantRequest
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_making_a_token_with_scopes_and_a_term(page, log_in, app_url, axe):
    build.person(build.gemeente(), Role.LEERPLICHTAMBTENAAR, "lpa")
    log_in(page, "lpa", PASSWORD)
    page.goto(app_url("accounts:tokens"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw API-tokens")
    axe.assert_clean(page)

    page.get_by_label("Naam van het token").fill("Koppeling LAS")
    page.get_by_label("Geldig (dagen)").fill("30")
    page.get_by_role("group", name="Verzuim").get_by_label("lezen en schrijven").check()
    page.get_by_role("group", name="Casussen").get_by_label("lezen", exact=True).check()
    page.get_by_role("button", name="Token aanmaken").click()

    expect(page.get_by_role("heading", name="Uw nieuwe token")).to_be_visible()
    row = page.get_by_role("row", name="Koppeling LAS")
    expect(row).to_contain_text("Verzuim: lezen en schrijven")
    expect(row).to_contain_text("Casussen: lezen")
    expect(row).to_contain_text("actief")
    assert PersonalToken.objects.get().scopes == {"absences": "write", "cases": "read"}
    axe.assert_clean(page)


def test_a_token_without_scopes_is_refused_with_an_accessible_error(page, log_in, app_url, axe):
    build.person(build.gemeente(), Role.LEERPLICHTAMBTENAAR, "lpa")
    log_in(page, "lpa", PASSWORD)
    page.goto(app_url("accounts:tokens"))
    page.get_by_label("Naam van het token").fill("Niets")
    page.get_by_role("button", name="Token aanmaken").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Kies voor ten minste één soort gegevens wat het token mag."
    )
    axe.assert_clean(page)


def test_a_second_beheerder_approves_a_role_that_sees_children(page, log_in, app_url, axe):
    gemeente = build.gemeente()
    first = build.person(gemeente, Role.FUNCTIONEEL_BEHEERDER, "eerste").user
    build.person(gemeente, Role.FUNCTIONEEL_BEHEERDER, "tweede")
    alice = build.person(gemeente, Role.BELEIDSMEDEWERKER, "alice").user
    RoleGrantRequest.objects.create(
        user=alice, organisation=gemeente, role=Role.LEERPLICHTAMBTENAAR, requested_by=first
    )
    log_in(page, "tweede", PASSWORD)
    page.goto(app_url("beheer:index"))
    waiting = page.get_by_test_id("pending-roles")
    expect(waiting).to_contain_text("alice")
    axe.assert_clean(page)
    waiting.get_by_role("button", name="Goedkeuren rol leerplichtambtenaar voor alice").click()
    expect(page.get_by_role("status")).to_contain_text("is goedgekeurd en toegekend")
    expect(page.get_by_test_id("pending-roles")).to_contain_text("Er wachten geen rollen")
    assert Membership.objects.get(user=alice, role=Role.LEERPLICHTAMBTENAAR).active
    axe.assert_clean(page)
