"""A parent asks for leave online and the school decides it, in a real browser (issue 11 §8):

the school's zorgcoördinator switches on the public link; a parent without an account opens it,
sends the form with a mistake (each wrong field named in Dutch), then right, with the employer's
statement as a PDF, and gets a receipt with a reference (and by e-mail). The school finds the
request, links it to its pupil (the only one with that date of birth), grants it in the usual
flow, makes the beschikking and e-mails it to the parent as an attachment.

Each page is checked with axe-core (WCAG 2.1 A/AA); the ``page`` fixture fails on any
Content-Security-Policy violation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.leave.public_models import OnlineLeaveRequest, OnlineState
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
#: a Monday about three months ahead: three days for a family wedding (art. 14)
MONDAY = TODAY + dt.timedelta(days=91 - TODAY.weekday())
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    cache.clear()
    school = build.school(
        "12AB", "De Linde", sector="po", region="noord", municipality_code="GM0014"
    )
    build.gemeente("Gemeente Groningen", "GM0014")
    sanne = build.pupil(
        school,
        external_id="LL1001",
        given_names="Sanne",
        family_name="Bakker",
        birth_date=dt.date(TODAY.year - 9, 5, 1),
    )
    build.pupil(school, external_id="LL1002", given_names="Daan", family_name="Bakker")
    build.person(school.organisation, Role.SCHOOL_ZORGCOORDINATOR, "zorg")
    yield {"school": school, "child": sanne}
    cache.clear()


def _log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_a_parent_asks_online_and_the_school_decides(page, log_in, axe, world, tmp_path):
    child = world["child"]
    # -- the school switches its link on --
    log_in(page, "zorg", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verlof").click()
    page.get_by_test_id("leave-online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Online verlofaanvragen")
    expect(page.get_by_test_id("no-online-open")).to_be_visible()
    axe.assert_clean(page)
    page.get_by_role("link", name="Openbare link voor ouders").click()
    expect(page.get_by_test_id("public-link-off")).to_be_visible()
    axe.assert_clean(page)
    page.get_by_role("button", name="Link aanzetten").click()
    link = page.get_by_test_id("public-link").inner_text().strip()
    assert "/verlof/aanvragen/" in link
    axe.assert_clean(page)
    _log_out(page)

    # -- a parent, without an account --
    path = link[link.index("/verlof/") :]
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlof aanvragen bij De Linde")
    expect(page.locator("main")).not_to_contain_text("Sanne")
    axe.assert_clean(page)
    page.get_by_label("Voornaam of voornamen van het kind").fill("Sanne")
    page.get_by_label("Achternaam van het kind").fill("Bakker")
    page.get_by_label("Geboortedatum van het kind").fill(child.birth_date.isoformat())
    page.get_by_label("Uw naam").fill("Petra Bakker")
    page.get_by_label("Uw e-mailadres").fill("petra@voorbeeld")
    page.get_by_label("gewichtige omstandigheden (art. 14)").check()
    page.get_by_label("Eerste dag van het verlof").fill(MONDAY.isoformat())
    page.get_by_label("Laatste dag van het verlof").fill(
        (MONDAY + dt.timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Aanvraag versturen").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Vul een geldig e-mailadres in")
    expect(summary).to_contain_text("Geef de reden van het verlof in het kort.")
    expect(page).to_have_title("Fout: Verlof aanvragen – Inbeeld")
    assert not OnlineLeaveRequest.objects.exists()
    axe.assert_clean(page)

    page.get_by_label("Uw e-mailadres").fill("petra@voorbeeld.nl")
    page.get_by_label("Reden in het kort").fill("huwelijk van een familielid")
    statement = tmp_path / "verklaring.pdf"
    statement.write_bytes(PDF)
    page.get_by_label("Verklaring van de werkgever").set_input_files(str(statement))
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw verlofaanvraag is ontvangen")
    online = OnlineLeaveRequest.objects.get()
    expect(page.get_by_test_id("receipt-reference")).to_have_text(online.reference)
    axe.assert_clean(page)
    assert [m.to for m in mail.outbox] == [["petra@voorbeeld.nl"]]
    assert online.reference in mail.outbox[0].body

    # -- the school takes it in and decides --
    log_in(page, "zorg", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verlof").click()
    page.get_by_test_id("leave-online").click()
    page.get_by_role("link", name=online.reference).click()
    expect(page.get_by_test_id("online-child")).to_contain_text("Sanne Bakker")
    expect(page.get_by_label("Sanne Bakker (LL1001)")).to_be_checked()
    expect(page.get_by_test_id("online-statement")).to_be_visible()
    axe.assert_clean(page)
    page.get_by_role("button", name="Koppelen en vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verlofaanvraag voor Sanne Bakker")
    expect(page.get_by_test_id("leave-state")).to_have_text("ingediend")
    axe.assert_clean(page)
    page.get_by_label("Toekennen").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("leave-state")).to_have_text("toegekend")
    leave = LeaveRequest.objects.get()
    assert leave.state == LeaveState.TOEGEKEND
    assert leave.student == child

    # -- the beschikking, e-mailed to the parent --
    page.get_by_test_id("leave-beschikking").click()
    page.get_by_label("Aan (naam en adres, één regel per regel)").fill(
        "Petra Bakker\nDorpsstraat 1\n9711 AB Groningen"
    )
    page.get_by_role("button", name="Brief maken").click()
    expect(page.locator(".inbeeld-messages")).to_contain_text("De brief is gemaakt")
    page.goto(f"/verlof/{leave.pk}/")
    page.get_by_test_id("leave-online-request").click()
    expect(page.get_by_test_id("online-state")).to_have_text("gekoppeld en vastgelegd")
    axe.assert_clean(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Besluit naar de ouder sturen").click()
    expect(page.locator(".inbeeld-messages")).to_contain_text("per e-mail naar de ouder gestuurd")
    expect(page.get_by_test_id("online-letter-sent")).to_be_visible()
    axe.assert_clean(page)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petra@voorbeeld.nl"]
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    online.refresh_from_db()
    assert online.state == OnlineState.GEKOPPELD
    assert online.letter_sent_at is not None
