"""Issue 11 §3 and §4 on the case page, in a real browser: leerplicht records the school's decision
"namens" the named decider (both names in the timeline); closing is refused while an action is
open, the action is handed over, and the case is closed with a reason and a confirmation, which
ends the team. axe-core finds no WCAG 2.1 A/AA violation on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.cases import services
from inbeeld.cases.models import Step
from tests import build
from tests.browser.test_chain import _open_form
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    build.named(w.school_staff_a, "Sanne", "Bakker")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    today = timezone.localdate()
    lead = build.actor_for(w.leerplicht_a)
    case = services.case_open(
        actor=lead, student=child, opened_from="bevinding", on=today - dt.timedelta(days=20)
    )
    services.action_add(
        actor=lead,
        case=case,
        description="Huisbezoek",
        due_date=today + dt.timedelta(days=7),
        agreed_on=today - dt.timedelta(days=19),
    )
    services.escalate(
        actor=lead,
        case=case,
        step=Step.SCHOOL_TEAM,
        reason="Geen passend aanbod op school.",
        deciding_organisation=w.school_a.organisation,
        deciding_user=w.school_staff_a.user,
        deadline=today + dt.timedelta(days=14),
        on=today - dt.timedelta(days=5),
    )
    return w, case


def test_a_decision_namens_the_decider_and_closing_with_care(page, log_in, app_url, axe):
    w, case = _world()
    today = timezone.localdate()
    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("cases:detail", case.pk))
    announce = page.get_by_test_id("announce")
    school = w.school_a.organisation.name
    expect(page.get_by_test_id("decider")).to_have_text(f"Sanne Bakker, {school}")
    # leerplicht does not decide for the school: only "namens" is offered
    expect(page.get_by_role("button", name="Besluit vastleggen", exact=True)).to_have_count(0)

    # -- the school's decision, recorded by leerplicht namens Sanne Bakker -------------------
    form = _open_form(page, "Besluit vastleggen namens de beslisser")
    form.get_by_label("Besluit van").select_option(label="Sanne Bakker")
    form.get_by_label("Datum van het besluit").fill(today.isoformat())
    form.get_by_label("Besluit", exact=True).fill("Plek op De Linde met een aangepast rooster.")
    form.get_by_role("button", name="Besluit namens de beslisser vastleggen").click()
    expect(announce).to_have_text("Besluit vastgelegd namens Sanne Bakker.")
    expect(page.get_by_test_id("decision")).to_contain_text(
        "Besluit van Sanne Bakker, vastgelegd door Lotte de Vries namens Sanne Bakker."
    )
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "besluit van Sanne Bakker, vastgelegd door Lotte de Vries namens Sanne Bakker"
    )
    axe.assert_clean(page)

    # -- closing is refused while the action is open -----------------------------------------
    refused = page.get_by_test_id("close-refused")
    expect(refused).to_contain_text("Er staat nog 1 actie open.")
    expect(page.locator("summary", has_text="Casus afsluiten")).to_have_count(0)

    # ... so the action is handed over (to whom is recorded)
    page.get_by_label("Overdragen aan").fill("Gemeente Zwolle, leerplicht")
    page.get_by_role("button", name="Overdragen – Huisbezoek").click()
    expect(announce).to_have_text("Actie overgedragen aan Gemeente Zwolle, leerplicht.")
    expect(page.get_by_test_id("actions")).to_contain_text(
        "overgedragen aan Gemeente Zwolle, leerplicht"
    )
    expect(page.get_by_test_id("close-refused")).to_have_count(0)

    # -- closing asks the reason and a confirmation --------------------------------------------
    form = _open_form(page, "Casus afsluiten")
    form.get_by_role("button", name="Casus afsluiten").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    form = _open_form(page, "Casus afsluiten")
    expect(form.get_by_role("alert")).to_contain_text("Kies de reden van afsluiten.")
    axe.assert_clean(page)
    form.get_by_label("verhuisd of uitgeschreven").check()
    form.get_by_role("button", name="Casus afsluiten").click()
    form = _open_form(page, "Casus afsluiten")
    expect(form.get_by_role("alert")).to_contain_text("Bevestig dat u de casus afsluit")
    form.get_by_label("verhuisd of uitgeschreven").check()
    form.get_by_label(re.compile(r"^Ik sluit deze casus af")).check()
    form.get_by_role("button", name="Casus afsluiten").click()
    expect(announce).to_have_text("Casus afgesloten; het team is beëindigd.")
    expect(page.get_by_test_id("case-state")).to_contain_text("afgesloten")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("reden: verhuisd of uitgeschreven")
    expect(timeline).to_contain_text("Lotte de Vries (Gemeente A) uit het team: casus gesloten")
    expect(page.get_by_test_id("team")).to_contain_text("tot")
    axe.assert_clean(page)
