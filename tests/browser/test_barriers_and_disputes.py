"""Issue 11 §6 and §7 on the case page, in a real browser: the section "Belemmeringen" loads into
the page (htmx), a transport barrier is recorded and refused, then re-requested; a dispute gets its
hearing and ruling. The live region announces each step; axe-core finds no WCAG 2.1 A/AA
violation on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.barriers.models import Barrier
from inbeeld.cases import services
from tests import build
from tests.browser.test_chain import _open_form
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_barriers_and_a_dispute_on_the_case_page(page, log_in, app_url, axe):
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    today = timezone.localdate()
    lead = build.actor_for(w.leerplicht_a)
    case = services.case_open(
        actor=lead, student=child, opened_from="bevinding", on=today - dt.timedelta(days=20)
    )
    services.dispute_lodge(
        actor=lead,
        case=case,
        subject="Vervoer",
        body="bezwaar_gemeente",
        applicant="ouders",
        respondent="Gemeente A",
        lodged_on=today - dt.timedelta(days=3),
    )
    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("cases:detail", case.pk))
    announce = page.get_by_test_id("announce")
    section = page.get_by_test_id("barriers")
    expect(section).to_contain_text("Geen belemmeringen vastgelegd.")

    form = _open_form(page, "Belemmering vastleggen")
    form.get_by_label("Wat houdt het kind thuis?").select_option("leerlingenvervoer")
    form.get_by_label("Bij wie (aanbieder, gemeente)").fill("Gemeente A")
    form.get_by_label("Sinds (aanvraag of begin van de wachttijd)").fill(
        (today - dt.timedelta(days=10)).isoformat()
    )
    form.get_by_role("button", name="Belemmering opslaan").click()
    expect(announce).to_have_text("Belemmering vastgelegd.")
    barrier = page.get_by_test_id("barrier")
    expect(barrier.get_by_test_id("barrier-state")).to_have_text("aangevraagd")
    axe.assert_clean(page)

    barrier.get_by_label("Nieuwe status").select_option("geweigerd")
    barrier.get_by_role("button", name="Status opslaan").click()
    expect(page.get_by_test_id("barrier-state")).to_have_text("geweigerd")
    expect(announce).to_have_text("Status van de belemmering bijgewerkt.")
    page.get_by_test_id("barrier").get_by_label("Nieuwe status").select_option("aangevraagd")
    page.get_by_test_id("barrier").get_by_role("button", name="Status opslaan").click()
    expect(page.get_by_test_id("barrier-state")).to_have_text("aangevraagd")
    expect(page.get_by_test_id("barrier")).to_contain_text("opnieuw aangevraagd")
    assert Barrier.objects.get().changes.count() == 3

    dispute = page.get_by_test_id("dispute")
    expect(dispute).to_contain_text("bezwaar bij de gemeente")
    dispute.get_by_label("Datum zitting").fill(today.isoformat())
    dispute.get_by_role("button", name="Zitting vastleggen").click()
    expect(announce).to_have_text("Zitting vastgelegd.")
    dispute = page.get_by_test_id("dispute")
    dispute.get_by_label("Uitspraak", exact=True).fill("Vervoer wordt toegekend.")
    dispute.get_by_label("Uitkomst").select_option("gegrond")
    dispute.get_by_role("button", name="Uitspraak vastleggen").click()
    expect(announce).to_have_text("Uitspraak vastgelegd.")
    expect(page.get_by_test_id("dispute-ruling")).to_contain_text("gegrond")
    axe.assert_clean(page)
