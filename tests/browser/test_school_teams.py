"""Issue 12 §1 in a real browser: a school team's meeting with its list; a care signal proposes a
pupil (the sweep) and the zorgcoördinator puts it on the list; the team records the discussion with
a cause and an agreed step; the child moves into a case in one step, and the case page shows the
school team's discussion. axe-core finds no WCAG 2.1 A/AA violation on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.prevention import services, sweep
from inbeeld.rules.care_signals import CareSignal
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "12 uur ongeoorloofd in de laatste 3 weken, was 2 in de 3 weken daarvoor"


def test_a_school_team_meeting_from_signal_to_case(page, log_in, app_url, axe, monkeypatch):
    w = build.two_organisations()
    build.named(w.school_staff_a, "Sanne", "Bakker")
    ggd = build.ggd()
    team = services.team_create(actor=build.actor_for(w.school_staff_a), school=w.school_a)
    school = build.actor_for(w.school_staff_a)
    services.member_add(actor=school, team=team, organisation=w.gemeente_a)
    services.member_add(actor=school, team=team, organisation=ggd)
    build.person(ggd, Role.JEUGDARTS)
    today = timezone.localdate()
    services.meeting_plan(actor=school, team=team, held_on=today, subject="maandoverleg")
    on_list = build.pupil(w.school_a, given_names="Finn", family_name="Evers")
    services.entry_add(actor=school, team=team, student=on_list, reason="veel te laat")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    signal = CareSignal("stijgend_ongeoorloofd", "Stijgend ongeoorloofd verzuim", SENTENCE)
    monkeypatch.setattr(
        sweep,
        "care_signals_of_pupils",
        lambda *, actor, students, on: {s.pk: [signal] for s in students if s.pk == child.pk},
    )
    assert sweep.proposals_sweep(on=today).proposed == 1

    log_in(page, w.school_staff_a.user.username, PASSWORD)
    page.get_by_role("link", name="Schoolteams").click()
    expect(page.get_by_test_id("school-teams")).to_contain_text(team.name)
    axe.assert_clean(page)
    page.get_by_role("link", name=team.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team.name)
    expect(page.get_by_test_id("team-list")).to_contain_text("Finn Evers")
    expect(page.get_by_test_id("meetings-coming")).to_contain_text("maandoverleg")
    proposal = page.get_by_test_id("proposal")
    expect(proposal).to_contain_text("Noor Aalders")
    expect(proposal.get_by_test_id("proposal-sentence")).to_have_text(SENTENCE)
    axe.assert_clean(page)

    # -- the team accepts the proposal: the child goes on the list --------------------------------
    proposal.get_by_role("button", name="Op de lijst zetten").click()
    expect(page.get_by_test_id("team-list")).to_contain_text("Noor Aalders")
    expect(page.get_by_test_id("team-list")).to_contain_text("voorgesteld door een zorgsignaal")
    expect(page.get_by_test_id("proposal")).to_have_count(0)

    # -- the discussion, with a cause and an agreed step -----------------------------------------
    page.get_by_test_id("team-list").get_by_role("link", name="Noor Aalders").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Noor Aalders")
    page.get_by_text("Bespreking vastleggen", exact=True).click()
    page.get_by_label("In het overleg van").select_option(index=1)
    page.get_by_role("textbox", name="Verslag").fill(
        "Mist vooral de maandagen; mentor belt de ouders."
    )
    page.get_by_label("Wat zegt het kind?").fill("Vindt de klas te druk.")
    page.get_by_label("Toestemming om te delen").select_option("gegeven")
    page.get_by_label("pesten", exact=True).check()
    page.get_by_label("Volgende bespreking").fill((today + dt.timedelta(days=28)).isoformat())
    page.get_by_label("Afgesproken stap").fill("Gesprek met de jeugdarts")
    page.get_by_label("Wie zet de stap?").select_option(label="GGD A")
    page.get_by_role("button", name="Bespreking opslaan").click()
    discussion = page.get_by_test_id("discussion")
    expect(discussion).to_contain_text("Mist vooral de maandagen")
    expect(discussion).to_contain_text("pesten")
    expect(discussion.get_by_test_id("steps")).to_contain_text("Gesprek met de jeugdarts – GGD A")
    axe.assert_clean(page)

    # -- into a case in one step, the history along ------------------------------------------------
    page.get_by_test_id("move-to-case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Noor Aalders")
    history = page.get_by_test_id("school-team-history")
    expect(history).to_contain_text("Mist vooral de maandagen")
    expect(page.get_by_test_id("causes")).to_contain_text("Pesten")
    axe.assert_clean(page)
