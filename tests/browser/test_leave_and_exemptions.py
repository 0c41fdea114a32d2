"""Leave and exemption requests in a real browser (issue 4 §4 and §5):

(a) a school's zorgcoördinator records a parents' request for holiday leave: the form says at once
    (htmx) why dates in the first two lesweken cannot be granted; recorded so, the request is
    niet-ontvankelijk with its reasons (a warning, not a success; nothing to decide); the form says
    the school decides once the dates are valid; that request is recorded and granted;
(b) leerplicht registers a request for vrijstelling 5a: a statement older than three months is
    named at once; a valid request goes to the samenwerkingsverband for advice, the consultant
    advises that education is possible with adjustments, leerplicht grants it against that advice:
    asked for the justification first (issue 11 §4), then granted with it, shown in the decision
    and the history; it appears on the child's page (the exemptions register).

Each page visited is checked with axe-core (WCAG 2.1 A/AA).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.exemptions.models import ExemptionRequest, RequestState
from inbeeld.leave import selectors as leave_selectors
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.people.models import Exemption
from inbeeld.rules.calendar import add_months_clipped, school_year_start
from inbeeld.rules.leave import PROTECTED_FIRST_LESWEKEN, first_lesweken
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.timedelta(days=1)


@pytest.fixture
def world(transactional_db):
    gemeente = build.gemeente("Gemeente Groningen", "GM0014")
    swv = build.swv("SWV Groningen Stad", "SWV2001", municipality_code="GM0014")
    school = build.school(
        "12AB",
        "De Linde",
        sector="vo",
        region="noord",
        municipality_code="GM0014",
        partnership=swv,
    )
    sanne = build.pupil(
        school,
        external_id="LL1001",
        bsn="111222333",
        given_names="Sanne",
        family_name="Bakker",
        birth_date=dt.date(timezone.localdate().year - 13, 5, 1),
    )
    build.person(school.organisation, Role.SCHOOL_ZORGCOORDINATOR, "zorg")
    build.person(gemeente, Role.LEERPLICHTAMBTENAAR, "leerplicht")
    build.person(swv, Role.SWV_CONSULTANT, "consulent")
    return {"school": school, "child": sanne}


def _log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def screenshot(page, name: str) -> None:
    """``INBEELD_FLOW_SCREENSHOTS=/tmp``: full-page screenshots (verlof-*.png, ...) there."""
    directory = os.environ.get("INBEELD_FLOW_SCREENSHOTS")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def _checks_asked(page, path: str) -> list[str]:
    """The URLs of the htmx checks the page asks (collected as they go)."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if path in r.url else None)
    return asked


def _open(page, menu_item: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=menu_item).click()


def test_a_school_records_and_grants_holiday_leave(page, log_in, axe, world):
    school, child = world["school"], world["child"]
    calendar, region = leave_selectors.school_calendar(school)
    year_start = school_year_start(timezone.localdate())
    first_day, protected_end = first_lesweken(
        calendar, region, year_start, PROTECTED_FIRST_LESWEKEN
    )
    # a week of lessons in September, after the first two lesweken
    valid_start = protected_end + DAY + 7 * DAY
    valid_end = valid_start + 4 * DAY
    assert len(calendar.school_days(region, valid_start, valid_end)) == 5

    log_in(page, "zorg", PASSWORD)
    _open(page, "Verlof")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlofaanvragen")
    expect(page.get_by_test_id("no-leave-requests")).to_be_visible()
    axe.assert_clean(page)

    page.get_by_role("link", name="Verlofaanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlofaanvraag vastleggen")
    assessment = page.get_by_test_id("leave-assessment")
    expect(assessment).to_contain_text("hier ziet u dan meteen")
    # nothing is shown as wrong before anything was sent (the NL DS styles :invalid in red)
    expect(page.locator("main :invalid")).to_have_count(0)
    axe.assert_clean(page)
    asked = _checks_asked(page, "/beoordeling/")

    # the pupil is searched (a combobox), chosen with the keyboard: never a list of every pupil
    search = page.get_by_role("combobox", name="Leerling")
    search.press_sequentially("Bak")
    expect(page.get_by_role("option", name=re.compile("Sanne Bakker"))).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    axe.assert_clean(page)
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", f"leerling-optie-{child.pk}")
    search.press("Enter")
    expect(page.get_by_test_id("pupil-chosen")).to_contain_text("Gekozen: Sanne Bakker")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(page.locator('input[name="student"]')).to_have_value(str(child.pk))
    page.get_by_label("vakantieverlof (art. 13a)").check()
    page.get_by_label("Er is een werkgeversverklaring").check()
    page.get_by_label("Eerste dag").fill(first_day.isoformat())
    page.get_by_label("Laatste dag").fill((first_day + 2 * DAY).isoformat())
    page.get_by_label("Laatste dag").dispatch_event("change")

    # at once, without sending the form: why it cannot be granted
    refusals = page.get_by_test_id("leave-refusals")
    expect(refusals).to_contain_text("kan niet worden toegekend")
    expect(refusals).to_contain_text(
        f"niet mogelijk in de eerste 2 lesweken van het schooljaar (tot en met "
        f"{protected_end:%d-%m-%Y})"
    )
    assert LeaveRequest.objects.count() == 0
    # the form's values go along, the CSRF token stays out of the URL (and the logs)
    assert asked
    assert all("csrfmiddlewaretoken" not in url for url in asked)
    assert f"start_date={first_day.isoformat()}" in asked[-1]
    screenshot(page, "verlof-weigering")
    axe.assert_clean(page)

    # recorded anyway: niet-ontvankelijk with the reasons, never a success
    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlofaanvraag voor Sanne Bakker")
    expect(page.get_by_test_id("leave-state")).to_have_text("niet-ontvankelijk")
    expect(page.get_by_role("status")).to_contain_text("vastgelegd als niet-ontvankelijk")
    expect(page.get_by_role("status")).not_to_contain_text("Gelukt")
    block = page.get_by_test_id("leave-niet-ontvankelijk")
    expect(block).to_contain_text("eerste 2 lesweken")
    expect(block).to_contain_text("artikel 13a, tweede lid, Leerplichtwet 1969")
    expect(page.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    expect(page.get_by_test_id("leave-history")).to_contain_text("niet-ontvankelijk verklaard")
    screenshot(page, "verlof-niet-ontvankelijk")
    axe.assert_clean(page)
    assert LeaveRequest.objects.get().state == LeaveState.NIET_ONTVANKELIJK
    page.get_by_role("link", name="Terug naar de verlofaanvragen").click()
    page.get_by_role("link", name="Verlofaanvraag vastleggen").click()
    search = page.get_by_role("combobox", name="Leerling")
    search.press_sequentially("Bak")
    expect(page.get_by_role("option", name=re.compile("Sanne Bakker"))).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator('input[name="student"]')).to_have_value(str(child.pk))
    page.get_by_label("vakantieverlof (art. 13a)").check()
    page.get_by_label("Er is een werkgeversverklaring").check()

    page.get_by_label("Eerste dag").fill(valid_start.isoformat())
    page.get_by_label("Laatste dag").fill(valid_end.isoformat())
    page.get_by_label("Laatste dag").dispatch_event("change")
    decider = page.get_by_test_id("leave-decider")
    expect(decider).to_contain_text("De school beslist")
    expect(decider).to_contain_text("5 schooldagen")
    expect(page.get_by_test_id("leave-refusals")).to_have_count(0)
    screenshot(page, "verlof-school-beslist")
    axe.assert_clean(page)

    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlofaanvraag voor Sanne Bakker")
    expect(page.get_by_test_id("leave-state")).to_have_text("ingediend")
    axe.assert_clean(page)

    # refusing without a reason is named; granting works
    page.get_by_label("Afwijzen").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Geef de reden van de afwijzing")
    expect(page).to_have_title(re.compile(r"^Fout:"))
    axe.assert_clean(page)
    page.get_by_label("Toekennen").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("leave-state")).to_have_text("toegekend")
    expect(page.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    screenshot(page, "verlof-toegekend")
    axe.assert_clean(page)

    leave = LeaveRequest.objects.exclude(state=LeaveState.NIET_ONTVANKELIJK).get()
    assert (leave.state, leave.start_date, leave.end_date) == (
        LeaveState.TOEGEKEND,
        valid_start,
        valid_end,
    )
    page.get_by_role("link", name="Terug naar de verlofaanvragen").click()
    table = page.get_by_test_id("leave-requests")
    expect(table).to_contain_text("Sanne Bakker")
    expect(table).to_contain_text("toegekend")
    axe.assert_clean(page)


def test_leerplicht_registers_an_exemption_the_swv_advises_and_it_is_granted(
    page, log_in, app_url, axe, world
):
    child = world["child"]
    today = timezone.localdate()
    oldest = add_months_clipped(today, -3)
    old_statement = oldest - 10 * DAY
    start = today + 7 * DAY

    log_in(page, "leerplicht", PASSWORD)
    _open(page, "Vrijstellingen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vrijstellingsaanvragen")
    axe.assert_clean(page)
    page.get_by_role("link", name="Vrijstellingsaanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vrijstellingsaanvraag vastleggen")
    expect(page.get_by_label("Datum van de aanvraag")).to_have_value(today.isoformat())
    axe.assert_clean(page)
    asked = _checks_asked(page, "/controle/")

    page.get_by_label("Leerlingnummer of BSN van het kind").fill(child.external_id)
    page.get_by_label(re.compile(r"^artikel 5, onder a")).check()
    page.get_by_label("Ingangsdatum").fill(start.isoformat())
    page.get_by_label("Datum van de verklaring (5a)").fill(old_statement.isoformat())
    page.get_by_label("Datum van de verklaring (5a)").dispatch_event("change")

    # at once, without sending the form: the statement is too old
    problems = page.get_by_test_id("exemption-problems")
    expect(problems).to_contain_text("Zo kan deze vrijstelling niet worden verleend")
    expect(problems).to_contain_text(
        f"de verklaring is ouder dan 3 maanden ({old_statement:%d-%m-%Y}; "
        f"uiterlijk {oldest:%d-%m-%Y})"
    )
    assert ExemptionRequest.objects.count() == 0
    assert asked
    assert all("csrfmiddlewaretoken" not in url for url in asked)
    screenshot(page, "vrijstelling-verklaring-te-oud")
    axe.assert_clean(page)

    # registered anyway, the request carries the problem
    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vrijstellingsaanvraag artikel 5, onder a voor Sanne Bakker"
    )
    expect(page.get_by_test_id("exemption-problems")).to_contain_text("ouder dan 3 maanden")
    axe.assert_clean(page)

    # a valid request: a recent statement
    page.get_by_role("link", name="Terug naar de vrijstellingsaanvragen").click()
    page.get_by_role("link", name="Vrijstellingsaanvraag vastleggen").click()
    page.get_by_label("Leerlingnummer of BSN van het kind").fill(child.bsn)
    page.get_by_label(re.compile(r"^artikel 5, onder a")).check()
    page.get_by_label("Ingangsdatum").fill(start.isoformat())
    page.get_by_label("Datum van de verklaring (5a)").fill((today - 14 * DAY).isoformat())
    page.get_by_label("Datum van de verklaring (5a)").dispatch_event("change")
    expect(page.get_by_test_id("exemption-problems")).to_contain_text(
        "voldoet aan de voorwaarden van de wet"
    )
    axe.assert_clean(page)
    page.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(page.get_by_test_id("exemption-state")).to_have_text("ingediend")
    valid = ExemptionRequest.objects.get(problems=[])
    assert page.url.endswith(f"/{valid.pk}/")
    page.get_by_role("button", name="Advies vragen aan het samenwerkingsverband").click()
    expect(page.get_by_test_id("exemption-state")).to_have_text("advies gevraagd")
    expect(page.get_by_role("main")).to_contain_text("SWV Groningen Stad")
    axe.assert_clean(page)
    _log_out(page)

    # the consultant of the samenwerkingsverband sees only the request asked, and advises
    log_in(page, "consulent", PASSWORD)
    _open(page, "Vrijstellingen")
    rows = page.get_by_test_id("exemption-requests")
    expect(rows.locator("tbody tr")).to_have_count(1)
    axe.assert_clean(page)
    rows.get_by_role("link", name=re.compile("Sanne Bakker")).click()
    expect(page.get_by_role("heading", name="Advies geven")).to_be_visible()
    expect(page.locator("main :invalid")).to_have_count(0)
    screenshot(page, "vrijstelling-advies-geven")
    axe.assert_clean(page)
    page.get_by_role("button", name="Advies vastleggen").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Kies het advies")
    axe.assert_clean(page)
    page.get_by_label("onderwijs mogelijk met aanpassingen").check()
    page.get_by_label("Welk onderwijs is nog mogelijk?").fill(
        "Twee ochtenden per week met begeleiding; over een half jaar opnieuw bekijken."
    )
    page.get_by_role("button", name="Advies vastleggen").click()
    expect(page.get_by_test_id("exemption-state")).to_have_text("advies gegeven")
    expect(page.get_by_role("main")).to_contain_text("over een half jaar opnieuw bekijken")
    expect(page.get_by_role("heading", name="Beslissen")).to_have_count(0)
    axe.assert_clean(page)
    _log_out(page)

    # leerplicht decides: granted, into the exemptions register
    log_in(page, "leerplicht", PASSWORD)
    page.goto(app_url("exemptions:detail", valid.pk))
    expect(page.get_by_test_id("exemption-state")).to_have_text("advies gegeven")
    axe.assert_clean(page)
    # granting against the advice asks why: refused without, granted with the justification
    expect(page.get_by_test_id("exemption-against-advice")).to_contain_text(
        "adviseerde: onderwijs mogelijk met aanpassingen"
    )
    page.get_by_role("radio", name="Toekennen").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("vul de motivering in")
    expect(page).to_have_title(re.compile(r"^Fout:"))
    expect(page.get_by_test_id("exemption-state")).to_have_text("advies gegeven")
    axe.assert_clean(page)
    why = "De behandeling gaat nu voor; de begeleiding op school is er pas na de zomer."
    page.get_by_role("radio", name="Toekennen").check()
    page.get_by_label("Motivering: waarom toekennen tegen het advies in?").fill(why)
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("exemption-state")).to_have_text("toegekend")
    expect(page.get_by_test_id("exemption-justification")).to_have_text(why)
    expect(page.get_by_test_id("exemption-history")).to_contain_text(
        f"Motivering van de afwijking van het advies: {why}"
    )
    screenshot(page, "vrijstelling-toegekend")
    axe.assert_clean(page)
    exemption = Exemption.objects.get(student=child)
    assert (exemption.article, exemption.start_date) == ("5a", start)
    valid.refresh_from_db()
    assert valid.state == RequestState.TOEGEKEND
    assert valid.exemption == exemption
    assert valid.decision_justification == why

    registered = page.get_by_test_id("exemption-registered")
    expect(registered).to_contain_text("in het register van vrijstellingen")
    registered.get_by_role("link", name="pagina van Sanne Bakker").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sanne Bakker")
    section = page.locator("section", has=page.get_by_role("heading", name="Vrijstellingen"))
    expect(section).to_contain_text("artikel 5, onder a")
    expect(section).to_contain_text(f"{start.day} ")
    screenshot(page, "vrijstelling-kind")
    axe.assert_clean(page)
