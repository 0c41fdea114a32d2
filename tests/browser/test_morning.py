"""Issue 11 in a real browser, the rest of a leerplicht morning: the team lead hands several
meldingen to a colleague in one action and sees the caseload per person change, and takes others
"ter kennisneming aangenomen" with one reason; a letter (uitnodiging) is made from the child's page,
appears in the contact log and opens as a PDF; the samenwerkingsverband's consulent, the named
decider of an escalation, finds the decision owed on Vandaag, records it on the case page, sees it in
the timeline with the name, and the item leaves Vandaag. axe-core finds no WCAG 2.1 A/AA violation
on the way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.attendance.models import DetectionRun, Melding, MeldingState
from inbeeld.cases import services
from inbeeld.cases.models import EscalationStep, Step
from inbeeld.correspondence.models import ContactEntry, Letter
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _melding(w, run, student, days_back: int = 10) -> Melding:
    today = timezone.localdate()
    melding = Melding.objects.create(
        student=student,
        rule="16_uur",
        start_date=today - dt.timedelta(days=days_back + 28),
        end_date=today - dt.timedelta(days=days_back),
        hours=Decimal(16),
        school=w.school_a,
        first_run=run,
        state=MeldingState.OPEN,
    )
    melding.organisations.add(w.gemeente_a)
    return melding


def _caseload_row(page, name: str):
    return page.get_by_test_id("caseload-row").filter(has=page.get_by_role("rowheader", name=name))


def _expect_counts(page, name: str, new: str, in_progress: str, total: str) -> None:
    cells = _caseload_row(page, name).get_by_role("cell")
    expect(cells).to_have_text([new, in_progress, total])


# -- 1. bulk assignment and bulk "ter kennisneming" -------------------------------------------


def test_meldingen_are_handed_to_a_colleague_and_taken_for_information_in_bulk(
    page, log_in, app_url, axe
):
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    build.named(build.person(w.gemeente_a, Role.LEERPLICHTAMBTENAAR), "Ahmed", "Yilmaz")
    run = DetectionRun.objects.create(on_date=timezone.localdate() - dt.timedelta(days=3))
    names = ["Noor Aalders", "Finn Evers", "Sem Jacobs", "Lieke Mulder"]
    meldingen = {}
    for n, name in enumerate(names):
        given, family = name.split(" ", 1)
        child = build.pupil(w.school_a, given_names=given, family_name=family)
        meldingen[name] = _melding(w, run, child, days_back=10 + n)

    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("attendance:caseload"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkverdeling van de meldingen")
    _expect_counts(page, "Ahmed Yilmaz", "0", "0", "0")
    _expect_counts(page, "Lotte de Vries", "0", "0", "0")
    _expect_counts(page, "Niet toegewezen", "4", "0", "4")
    axe.assert_clean(page)

    # -- three meldingen to Ahmed Yilmaz in one action ---------------------------------------
    page.get_by_role("link", name="Naar de meldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(page.get_by_test_id("worklist-row")).to_have_count(4)
    axe.assert_clean(page)
    for name in names[:3]:
        page.get_by_label(f"Melding van {name} kiezen").check()
    bulk = page.locator("#bulk-form")
    bulk.get_by_role("radio", name="toewijzen aan").check()
    bulk.get_by_label("Persoon").select_option(label="Ahmed Yilmaz")
    bulk.get_by_label("Reden of toelichting").fill("Ahmed neemt De Linde over.")
    bulk.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("status")).to_contain_text("3 meldingen toegewezen.")
    for name in names[:3]:
        row = page.get_by_test_id("worklist-row").filter(has_text=name)
        expect(row.get_by_role("cell").last).to_have_text("Ahmed Yilmaz")
    last = page.get_by_test_id("worklist-row").filter(has_text=names[3])
    expect(last.get_by_role("cell").last).to_have_text("niemand")
    axe.assert_clean(page)

    page.get_by_role("link", name="Werkverdeling van het team").click()
    _expect_counts(page, "Ahmed Yilmaz", "3", "0", "3")
    _expect_counts(page, "Lotte de Vries", "0", "0", "0")
    _expect_counts(page, "Niet toegewezen", "1", "0", "1")
    expect(page.get_by_test_id("caseload").locator("tfoot")).to_contain_text("4")
    axe.assert_clean(page)
    assert set(
        Melding.objects.filter(assignee=None).values_list("student__family_name", flat=True)
    ) == {"Mulder"}

    # -- two meldingen "ter kennisneming aangenomen", first without a reason (refused) --------
    page.get_by_role("link", name="Ahmed Yilmaz").click()
    expect(page.get_by_test_id("worklist-row")).to_have_count(3)
    for name in names[:2]:
        page.get_by_label(f"Melding van {name} kiezen").check()
    bulk = page.locator("#bulk-form")
    bulk.get_by_role("radio", name="ter kennisneming aannemen").check()
    bulk.get_by_role("button", name="Uitvoeren").click()
    errors = page.get_by_test_id("bulk-errors")
    expect(errors).to_contain_text("Er is niets gewijzigd")
    expect(errors).to_contain_text(
        "Geef de reden waarom deze meldingen ter kennisneming worden aangenomen."
    )
    # what was chosen is kept; nothing was written
    expect(page.get_by_label(f"Melding van {names[0]} kiezen")).to_be_checked()
    expect(page.get_by_label(f"Melding van {names[1]} kiezen")).to_be_checked()
    expect(
        page.locator("#bulk-form").get_by_role("radio", name="ter kennisneming aannemen")
    ).to_be_checked()
    assert not Melding.objects.filter(state=MeldingState.TER_KENNISNEMING).exists()
    axe.assert_clean(page)

    bulk = page.locator("#bulk-form")
    bulk.get_by_label("Reden of toelichting").fill("Al bekend bij het wijkteam; geen verzuim meer.")
    bulk.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("status")).to_contain_text("2 meldingen ter kennisneming aangenomen.")
    # the open worklist of Ahmed keeps the one melding left
    rows = page.get_by_test_id("worklist-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(names[2])
    axe.assert_clean(page)
    for name in names[:2]:
        melding = Melding.objects.get(pk=meldingen[name].pk)
        assert melding.state == MeldingState.TER_KENNISNEMING
        assert melding.events.filter(note="Al bekend bij het wijkteam; geen verzuim meer.").exists()

    page.goto(app_url("attendance:caseload"))
    _expect_counts(page, "Ahmed Yilmaz", "1", "0", "1")
    _expect_counts(page, "Niet toegewezen", "1", "0", "1")


# -- 2. a letter made and opened ---------------------------------------------------------------


def test_an_invitation_is_made_from_the_childs_page_and_opens_as_a_pdf(
    page, log_in, app_url, axe, tmp_path: Path
):
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    next_week = timezone.localdate() + dt.timedelta(days=7)

    log_in(page, w.leerplicht_a.user.username, PASSWORD)
    page.goto(app_url("attendance:student", child.pk))
    page.get_by_test_id("contact-log-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contactlog van Noor Aalders")
    expect(page.get_by_text("Nog geen contacten vastgelegd.")).to_be_visible()
    axe.assert_clean(page)

    page.get_by_test_id("letter-kinds").get_by_role(
        "link", name="Uitnodiging voor een gesprek"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "uitnodiging voor een gesprek voor Noor Aalders"
    )
    axe.assert_clean(page)
    # without the facts the letter needs, each is named and nothing is made
    page.get_by_role("button", name="Brief maken").click()
    for field in ("recipient", "meeting_date", "meeting_time", "meeting_place"):
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#id_{field}_error")).to_contain_text("Dit veld is vereist.")
    assert not Letter.objects.exists()
    axe.assert_clean(page)

    page.get_by_label("Aan (naam en adres, één regel per regel)").fill(
        "Fam. Aalders\nDorpsstraat 1\n9999 AA Ergens"
    )
    page.get_by_label("Datum van het gesprek").fill(next_week.isoformat())
    page.get_by_label("Tijd (UU:MM)").fill("09:30")
    page.get_by_label("Plaats (adres, kamer)").fill("Stadhuis, kamer 2")
    page.get_by_role("button", name="Brief maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contactlog van Noor Aalders")
    expect(page.get_by_role("status")).to_contain_text(
        "De brief is gemaakt en staat in het contactlog."
    )
    log = page.get_by_test_id("contact-log")
    expect(log).to_contain_text("Uitnodiging voor een gesprek over Noor Aalders")
    expect(log).to_contain_text("Fam. Aalders")
    expect(log).to_contain_text("Lotte de Vries")
    axe.assert_clean(page)
    letter = Letter.objects.get()
    assert ContactEntry.objects.get(letter=letter).student_id == child.pk

    # opening it gives the PDF (a download: the browser saves it)
    link = page.get_by_test_id("letter-download")
    expect(link).to_have_text("Brief downloaden (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    # ... and over HTTP, with its content type
    response = page.context.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert response.body() == bytes(letter.pdf)


# -- 3. the SWV decides on its own Vandaag -------------------------------------------------------


def test_the_swv_finds_its_decision_on_vandaag_and_records_it(page, log_in, app_url, axe):
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries")
    swv = build.swv("SWV Regio A", "SWV9001", "GM0001")
    consulent = build.named(build.person(swv, Role.SWV_CONSULTANT), "Mira", "Jansen")
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    today = timezone.localdate()
    lead = build.actor_for(w.leerplicht_a)
    case = services.case_open(
        actor=lead, student=child, opened_from="bevinding", on=today - dt.timedelta(days=30)
    )
    services.escalate(
        actor=lead,
        case=case,
        step=Step.BOVENSCHOOLS_TEAM,
        reason="Geen passend aanbod binnen de school; een plek elders is nodig.",
        deciding_organisation=swv,
        deciding_user=consulent.user,
        deadline=today + dt.timedelta(days=5),
        on=today - dt.timedelta(days=7),
    )

    log_in(page, consulent.user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    row = page.locator('[data-testid="today-item"][data-kind="decision"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Besluit over bovenschools team")
    expect(row).to_contain_text("Noor Aalders")
    expect(row).to_contain_text("u bent de beslisser")
    axe.assert_clean(page)

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
    expect(page.get_by_test_id("decider")).to_have_text("Mira Jansen, SWV Regio A")
    expect(page.get_by_test_id("decision")).to_have_text("nog niet genomen")
    # the SWV decides itself: no "namens" for it
    expect(page.get_by_text("Besluit vastleggen namens de beslisser")).to_have_count(0)
    axe.assert_clean(page)

    escalation = page.get_by_test_id("escalation")
    escalation.get_by_label("Besluit", exact=True).fill(
        "Plaatsing op De Brug (so) met een toelaatbaarheidsverklaring."
    )
    escalation.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("announce")).to_have_text("Besluit vastgelegd.")
    decision = page.get_by_test_id("decision")
    expect(decision).to_contain_text(
        "Plaatsing op De Brug (so) met een toelaatbaarheidsverklaring."
    )
    expect(decision).to_contain_text("Besluit van Mira Jansen.")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Besluit bovenschools team: Plaatsing op De Brug (so) met een "
        "toelaatbaarheidsverklaring. – besluit van Mira Jansen"
    )
    axe.assert_clean(page)
    step = EscalationStep.objects.get(case=case)
    assert step.decided_by == consulent.user
    assert step.decided_on == today
    assert step.decided_on_behalf_of is None

    # the decision is no longer owed: gone from the SWV's Vandaag
    page.goto(app_url("today:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    expect(page.locator('[data-testid="today-item"][data-kind="decision"]')).to_have_count(0)
    axe.assert_clean(page)
