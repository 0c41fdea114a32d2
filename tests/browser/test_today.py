"""Issue 11 §1 in a real browser: a leerplicht morning. Lotte de Vries logs in and lands on
"Vandaag": the melding assigned to her, the overdue action and the decision her gemeente owes,
the most urgent first, each with the child and a link to where it is done; the menu shows how
many things there are. axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.attendance.models import DetectionRun, Melding, MeldingState
from inbeeld.cases import services
from inbeeld.cases.models import Step
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _morning():
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    noor = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    finn = build.pupil(w.school_a, given_names="Finn", family_name="Evers")
    today = timezone.localdate()
    run = DetectionRun.objects.create(on_date=today - dt.timedelta(days=3))
    melding = Melding.objects.create(
        student=finn,
        rule="16_uur",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=3),
        hours=Decimal(16),
        school=w.school_a,
        first_run=run,
        state=MeldingState.OPEN,
        assignee=w.leerplicht_a.user,
    )
    melding.organisations.add(w.gemeente_a)
    lead = build.actor_for(w.leerplicht_a)
    case = services.case_open(
        actor=lead, student=noor, opened_from="bevinding", on=today - dt.timedelta(days=30)
    )
    services.action_add(
        actor=lead,
        case=case,
        description="Huisbezoek bij de ouders",
        due_date=today - dt.timedelta(days=2),
        agreed_on=today - dt.timedelta(days=29),
    )
    services.escalate(
        actor=lead,
        case=case,
        step=Step.SCHOOL_TEAM,
        reason="Geen passend aanbod op school.",
        deciding_organisation=w.gemeente_a,
        deciding_user=w.leerplicht_a.user,
        deadline=today + dt.timedelta(days=5),
        on=today - dt.timedelta(days=10),
    )
    return w, melding, case


def test_a_leerplicht_morning_starts_on_vandaag(page, log_in, app_url, axe):
    w, _melding, _case = _morning()
    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Vandaag")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_test_id("menu-count")).to_contain_text("3")

    rows = page.get_by_test_id("today-item")
    expect(rows).to_have_count(3)
    # overdue first: the action (two days late); then by deadline: the decision (in five days),
    # the new melding (to take in handling within the team's norm of seven days)
    expect(rows.nth(0)).to_have_attribute("data-kind", "action")
    expect(rows.nth(0)).to_contain_text("Huisbezoek bij de ouders")
    expect(rows.nth(0)).to_contain_text("Noor Aalders")
    expect(rows.nth(0).get_by_test_id("overdue")).to_have_text("over de termijn")
    expect(rows.nth(1)).to_have_attribute("data-kind", "decision")
    expect(rows.nth(2)).to_have_attribute("data-kind", "melding")
    melding_row = page.locator('[data-testid="today-item"][data-kind="melding"]')
    expect(melding_row).to_contain_text("Finn Evers")
    expect(melding_row).to_contain_text("aan u toegewezen")
    decision_row = page.locator('[data-testid="today-item"][data-kind="decision"]')
    expect(decision_row).to_contain_text("Noor Aalders")
    expect(decision_row).to_contain_text("u bent de beslisser")
    axe.assert_clean(page)

    # each item leads to where it is done
    decision_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
    page.goto(app_url("today:index"))
    page.locator('[data-testid="today-item"][data-kind="melding"]').get_by_role("link").click()
    expect(page.get_by_role("main")).to_contain_text("Finn Evers")
    axe.assert_clean(page)

    # the thuiszitters and all meldingen are one click away
    page.goto(app_url("today:index"))
    page.get_by_role(
        "link", name="Wie zit er thuis? De thuiszitters en alle open meldingen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie zit er thuis?")
