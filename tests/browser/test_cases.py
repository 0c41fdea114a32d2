"""The case page in a real browser: without WCAG 2.1 A/AA violations (axe-core), and an action
added through htmx appears in the plan and is announced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.cases import services
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case_world():
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    ggd = build.ggd()
    jeugdarts = build.person(ggd, Role.JEUGDARTS, first_name="Eva", last_name="Mulder")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    lead = build.actor_for(w.leerplicht_a)
    case = services.case_open(actor=lead, student=child, opened_from="bevinding")
    services.team_member_add(
        actor=lead,
        case=case,
        user=jeugdarts.user,
        organisation=ggd,
        role_in_case="jeugdarts",
        reason="advies over ziekteverzuim",
        consent_basis="toestemming_ouders",
    )
    services.referral_request(
        actor=lead,
        case=case,
        kind="jeugd_ggz",
        requested_on=timezone.localdate() - dt.timedelta(weeks=12),
    )
    return w, case


def test_the_case_page_is_accessible_and_adds_an_action_with_htmx(page, log_in, app_url, axe):
    w, case = _case_world()
    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("cases:detail", case.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
    expect(page.get_by_test_id("referral-wait")).to_contain_text("langer dan de norm")
    axe.assert_clean(page)
    # every folded form, opened, is accessible too
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    axe.assert_clean(page)
    page.reload()

    page.get_by_text("Actie afspreken").click()
    page.get_by_label("Wat wordt er gedaan?").fill("Huisbezoek bij de ouders")
    page.get_by_label("Door wie").select_option(label="GGD A")
    page.get_by_label("Uiterlijk op", exact=True).fill(
        (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Actie toevoegen").click()

    expect(page.get_by_test_id("actions")).to_contain_text("Huisbezoek bij de ouders")
    expect(page.get_by_test_id("announce")).to_have_text("Actie toegevoegd aan het plan.")
    expect(page.get_by_test_id("case-state")).to_contain_text("plan in uitvoering")
    axe.assert_clean(page)

    page.goto(app_url("cases:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Casussen")
    axe.assert_clean(page)


def test_the_case_page_fits_a_390_px_phone(page, log_in, app_url, axe):
    """On a phone (390 × 844) the case page never scrolls sideways: wide tables scroll within
    themselves or stack."""
    w, case = _case_world()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("cases:detail", case.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .filter(e => !e.closest('.inbeeld-table-scroll'))
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 391))
            .slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert width <= 390, f"the page is {width} px wide: {wide}"
    axe.assert_clean(page)
