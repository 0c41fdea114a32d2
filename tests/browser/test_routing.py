"""Issue 12 in a real browser. §2: the jeugdarts of the GGD of the school's region finds the MAZL
melding on Vandaag and in the worklist, opens it and the child, finds the child on the
consultation list of the jeugdarts and leerplicht, and loses sight of the child once the school
has handled the melding. §6: a beleidsmedewerker reads the thuiszitters by cause on the monitor.
axe-core finds no WCAG 2.1 A/AA violation on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.attendance import services
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import Melding
from inbeeld.attendance.tests.factories import AbsenceFactory
from inbeeld.cases.models import Case, CaseCause
from inbeeld.monitor import selectors as monitor
from inbeeld.monitor.models import Episode
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: detection's day (a Friday), and a sick spell of two weeks before it: mazl_7_dagen
ON = dt.date(2024, 11, 8)
#: a hidden count as the monitor prints it ("x", read out as "verborgen")
HIDDEN = re.compile(r"^x")


def test_the_ggd_sees_a_mazl_melding(page, log_in, app_url, axe):
    w = build.two_organisations()
    jeugdarts = build.named(build.person(build.ggd(), Role.JEUGDARTS), "Eva", "Mulder")
    sick = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    other = build.pupil(w.school_a, given_names="Finn", family_name="Evers")
    AbsenceFactory(student=sick, start_date=dt.date(2024, 10, 21), end_date=ON, reason="ziek")
    detection_run(on=ON)
    melding = Melding.objects.get(student=sick, rule="mazl_7_dagen")

    log_in(page, jeugdarts.user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    item = page.get_by_test_id("today-item").filter(has_text="Noor Aalders")
    expect(item).to_have_attribute("data-kind", "routed")
    expect(item).to_contain_text("7 schooldagen achter elkaar ziek (MAZL)")
    expect(page.get_by_test_id("today-item")).to_have_count(1)
    axe.assert_clean(page)

    # the melding: its explanation, and no handling (the school handles it)
    item.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("7 schooldagen achter elkaar ziek gemeld")
    expect(page.get_by_role("button", name="Afsluiten")).to_have_count(0)
    axe.assert_clean(page)

    # the worklist holds it; the child's page opens
    page.goto(app_url("attendance:meldingen"))
    rows = page.get_by_test_id("worklist-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Noor Aalders")
    axe.assert_clean(page)
    page.goto(app_url("attendance:student", sick.pk))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Noor Aalders")
    axe.assert_clean(page)
    # not the other pupil of the school
    response = page.goto(app_url("attendance:student", other.pk))
    assert response.status == 404

    # the consultation list of the jeugdarts and leerplicht
    page.goto(app_url("today:index"))
    page.get_by_test_id("consultation-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleg jeugdarts – leerplicht")
    row = page.get_by_test_id("consultation-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Noor Aalders")
    expect(row).to_contain_text("MAZL")
    axe.assert_clean(page)

    # the school closes the melding: the GGD no longer sees the child
    services.melding_close(
        actor=build.actor_for(w.school_staff_a),
        melding_id=melding.pk,
        closing_reason="geen_verzuim",
    )
    cache.clear()
    page.goto(app_url("today:index"))
    expect(page.get_by_test_id("today-empty")).to_be_visible()
    axe.assert_clean(page)
    response = page.goto(app_url("attendance:student", sick.pk))
    assert response.status == 404


def test_the_monitor_by_cause(page, log_in, app_url, axe):
    cache.clear()
    world = build.dashboard()
    at_home = list(
        Episode.objects.filter(end_date__isnull=True, municipality_code="GM0001")
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    assert len(at_home) == 9
    noted = dt.date(2024, 9, 2)
    for n, student_id in enumerate(at_home):
        case = Case.objects.create(
            student_id=student_id,
            lead_organisation=world.gemeente_a,
            opened_on=noted,
            opened_from="anders",
            state="geopend",
        )
        if n < 6:
            CaseCause.objects.create(case=case, cause="pesten", noted_on=noted)
        if n < 5:
            CaseCause.objects.create(case=case, cause="wachtlijst_zorg", noted_on=noted)
    expected = monitor.now_figures(actor=build.actor_for(world.beleid_a)).causes
    cache.clear()

    log_in(page, world.beleid_a.user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor")
    table = page.get_by_test_id("table-causes")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("Thuiszitters nu per oorzaak")

    def cell(label: str):
        return (
            table.get_by_role("row")
            .filter(has=page.get_by_role("rowheader", name=label, exact=True))
            .get_by_role("cell")
        )

    expect(cell("pesten")).to_have_text("6")
    # three children with no cause: hidden (< 5), and a second cell with it (wachtlijst zorg)
    expect(cell("geen oorzaak vastgelegd")).to_have_text(HIDDEN)
    expect(cell("wachtlijst zorg")).to_have_text(HIDDEN)
    expect(cell("thuiszitters nu (een kind met meer oorzaken telt in elke rij mee)")).to_have_text(
        "9"
    )
    # every row as the monitor's one definition counts it, small numbers hidden
    for row in expected:
        value = row.values["now"]
        expect(cell(str(row.label))).to_have_text(HIDDEN if value is None else str(value))
    assert page.locator("a[href*='/leerling/']").count() == 0
    axe.assert_clean(page)
