"""Issue 4's chain end to end, in a real browser, each party in its own browser context:

a school registers a concern, the GGD registers one for the same child and both see the match;
leerplicht opens a case from the melding, adds the jeugdarts to the team (who then sees the case
and the child), records a meeting with the child's view, refers to jeugd-ggz, escalates to the
doorbraakoverleg and records the return to school; the timeline shows it all. A wijkteam user
outside the case gets a 404. axe-core finds no WCAG 2.1 A/AA violation on the pages visited.

Only the world (organisations, users, school, child, an lrv melding) is made in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.cases.models import Case
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


@contextmanager
def _session(browser, live_server, log_in, username: str) -> Iterator[Any]:
    """A browser context of its own (own cookies), logged in as ``username``."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, username, PASSWORD)
        yield page
    finally:
        context.close()


def _open_form(page, legend: str):
    """Unfold the case page's form with this summary; the form's ``<details>``."""
    details = page.locator("details.cases-form").filter(
        has=page.locator("summary", has_text=legend)
    )
    if details.get_attribute("open") is None:  # a form shown again with its errors is open
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def _world():
    w = build.two_organisations()
    build.named(w.leerplicht_a, "Lotte", "de Vries", email="lotte@example.org")
    build.named(w.school_staff_a, "Sanne", "Bakker", email="sanne@example.org")
    jeugdarts = build.person(
        build.ggd(), Role.JEUGDARTS, first_name="Eva", last_name="Mulder", email="eva@example.org"
    )
    wijkteam_worker = build.person(
        build.wijkteam(),
        Role.WIJKTEAM_MEDEWERKER,
        first_name="Daan",
        last_name="Visser",
        email="daan@example.org",
    )
    child = build.pupil(
        w.school_a, given_names="Noor", family_name="Aalders", birth_date=dt.date(2012, 5, 1)
    )
    today = timezone.localdate()
    since = today - dt.timedelta(weeks=6)
    run = DetectionRun.objects.create(on_date=today)
    StudentStatus.objects.create(
        student=child,
        run=run,
        on_date=today,
        duty="leerplicht",
        leerplicht_start=dt.date(2017, 8, 1),
        leerplicht_end=dt.date(2029, 7, 31),
        category="langdurig_relatief_verzuim",
        since=since,
    )
    melding = Melding.objects.create(
        student=child,
        rule="lrv",
        start_date=since,
        end_date=today - dt.timedelta(days=3),
        hours=Decimal(80),
        school=w.school_a,
        first_run=run,
    )
    melding.organisations.add(w.gemeente_a)
    return w, jeugdarts, wijkteam_worker, child


def test_concern_match_case_and_return_to_school(browser, live_server, log_in, app_url, axe):
    w, jeugdarts, wijkteam_worker, child = _world()
    today = timezone.localdate()
    child_url = app_url("attendance:student", child.pk)

    def session(membership):
        return _session(browser, live_server, log_in, membership.user.username)

    with (
        session(w.school_staff_a) as school,
        session(jeugdarts) as ggd_page,
        session(w.leerplicht_a) as leerplicht,
    ):
        # -- 1. the school registers a concern from the child's page -------------------------
        school.goto(child_url)
        school.get_by_test_id("register-concern").click()
        expect(school.get_by_role("heading", level=1)).to_have_text("Zorg melden")
        expect(school.get_by_test_id("concern-student")).to_contain_text("Noor Aalders")
        axe.assert_clean(school)
        school.get_by_label("Levensdomein").select_option(label="school")
        school.get_by_label("Telefoonnummer").fill("050 111 11 11")
        school.get_by_role("button", name="Zorg registreren").click()
        expect(school.get_by_role("heading", level=1)).to_have_text("Zorgen en matches")
        expect(school.get_by_text("De zorg is geregistreerd.")).to_be_visible()
        expect(school.get_by_test_id("concerns")).to_contain_text("Noor Aalders")
        expect(school.get_by_test_id("matches")).to_have_count(0)
        axe.assert_clean(school)

        # -- 2. the GGD, which cannot see the child, registers one by BSN -------------------
        ggd_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Zorgen en matches"
        ).click()
        expect(ggd_page.get_by_role("heading", level=1)).to_have_text("Zorgen en matches")
        axe.assert_clean(ggd_page)
        ggd_page.get_by_role("link", name="Zorg melden").click()
        axe.assert_clean(ggd_page)
        # sent empty: the errors are shown, and accessible
        ggd_page.get_by_role("button", name="Zorg registreren").click()
        expect(ggd_page).to_have_title(re.compile(r"^Fout:"))
        axe.assert_clean(ggd_page)
        ggd_page.get_by_label("BSN van de leerling").fill(child.bsn)
        ggd_page.get_by_label("Geboortedatum van de leerling").fill(child.birth_date.isoformat())
        ggd_page.get_by_label("Levensdomein").select_option(label="gezondheid")
        ggd_page.get_by_label("Telefoonnummer").fill("050 222 22 22")
        ggd_page.get_by_role("button", name="Zorg registreren").click()
        expect(ggd_page.get_by_text("Er is een match")).to_be_visible()
        ggd_matches = ggd_page.get_by_test_id("matches")
        # who else is involved and how to reach them; of the child only what the GGD entered
        expect(ggd_matches).to_contain_text(f"BSN {child.bsn}")
        expect(ggd_matches).not_to_contain_text("Noor")
        expect(ggd_matches).to_contain_text("De Linde")
        expect(ggd_matches).to_contain_text("Sanne Bakker")
        axe.assert_clean(ggd_page)
        # the concern gives no sight of the child (issue 9): only a case team will
        assert ggd_page.goto(child_url).status == 404

        # ... and the school sees the match too
        school.reload()
        school_matches = school.get_by_test_id("matches")
        expect(school_matches).to_contain_text("Noor Aalders")
        expect(school_matches).to_contain_text("GGD A")
        expect(school_matches).to_contain_text("050 222 22 22")

        # -- 3. leerplicht opens a case from the melding, on the child's page ---------------
        leerplicht.goto(child_url)
        case_box = leerplicht.get_by_test_id("case-box")
        case_box.get_by_role("link", name="Casus openen").click()
        expect(leerplicht.get_by_role("heading", level=1)).to_have_text(
            "Casus openen voor Noor Aalders"
        )
        axe.assert_clean(leerplicht)
        leerplicht.get_by_label("Waaruit komt de casus voort?").select_option(
            label="verzuimmelding"
        )
        leerplicht.get_by_label(re.compile(r"^Melding")).select_option(index=1)
        leerplicht.get_by_role("button", name="Casus openen").click()
        expect(leerplicht.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
        expect(leerplicht.get_by_test_id("case-state")).to_have_text("geopend")
        case = Case.objects.get(student=child)
        assert case.lead_organisation == w.gemeente_a
        assert case.source_melding is not None
        axe.assert_clean(leerplicht)
        # every folded form, opened, is accessible too
        leerplicht.evaluate(
            "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
        )
        axe.assert_clean(leerplicht)
        leerplicht.reload()
        announce = leerplicht.get_by_test_id("announce")
        # the live region must stay in place across htmx swaps (only its text changes), or
        # screen readers do not announce what was saved: mark it, check the mark at the end
        leerplicht.evaluate("() => { document.getElementById('casus-announce').kept = 'ja'; }")

        # the team: the jeugdarts joins
        form = _open_form(leerplicht, "Professional toevoegen")
        form.get_by_label("Professional", exact=True).select_option(
            label="Eva Mulder – jeugdarts, GGD A"
        )
        form.get_by_label("Rol in de casus").fill("jeugdarts")
        form.get_by_label("Waarom doet deze professional mee?").fill("advies over ziekteverzuim")
        form.get_by_label("Grondslag").select_option(label="Wet publieke gezondheid (GGD)")
        form.get_by_role("button", name="Toevoegen aan het team").click()
        expect(announce).to_have_text("Toegevoegd aan het team; Eva Mulder krijgt een bericht.")
        expect(leerplicht.get_by_test_id("team")).to_contain_text("Eva Mulder")
        expect(leerplicht.get_by_test_id("team")).to_contain_text("GGD A")
        expect(
            leerplicht.get_by_role("button", name="Uit het team – Eva Mulder", exact=True)
        ).to_have_count(1)

        # -- 4. the jeugdarts now sees the case and the child --------------------------------
        ggd_page.goto(app_url("/"))
        ggd_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Casussen"
        ).click()
        expect(ggd_page.get_by_role("heading", level=1)).to_have_text("Casussen")
        cases = ggd_page.get_by_test_id("cases")
        expect(cases).to_contain_text("Gemeente A")
        cases.get_by_role("link", name="Noor Aalders").click()
        expect(ggd_page.get_by_role("heading", level=1)).to_have_text("Casus Noor Aalders")
        # not the lead: no team or escalation forms, but the shared ones
        expect(ggd_page.get_by_text("Professional toevoegen")).to_have_count(0)
        expect(ggd_page.locator("summary", has_text="Opschalen")).to_have_count(0)
        expect(ggd_page.locator("summary", has_text="Overleg vastleggen")).to_have_count(1)
        axe.assert_clean(ggd_page)
        ggd_page.get_by_test_id("case-facts").get_by_role("link", name="Noor Aalders").click()
        expect(ggd_page.get_by_role("heading", level=1)).to_have_text("Noor Aalders")
        expect(ggd_page.get_by_test_id("case-box")).to_contain_text("geleid door Gemeente A")

        # -- 5. a meeting with the child's view (sent once without a date: the error) --------
        form = _open_form(leerplicht, "Overleg vastleggen")
        form.get_by_label("Datum", exact=True).fill("")
        form.get_by_role("button", name="Overleg opslaan").click()
        expect(leerplicht.get_by_test_id("form-error")).to_be_visible()
        form = _open_form(leerplicht, "Overleg vastleggen")
        expect(form.get_by_role("alert")).to_contain_text("Fout:")
        axe.assert_clean(leerplicht)
        form.get_by_label("Soort overleg").select_option(label="schoolteam")
        form.get_by_label("Datum", exact=True).fill(today.isoformat())
        form.get_by_label("Eva Mulder (GGD A)").check()
        form.get_by_label("Lotte de Vries (Gemeente A)").check()
        form.get_by_label("Andere aanwezigen").fill("Noor, moeder")
        form.get_by_label("Wat zegt en wil het kind?").fill(
            "Noor wil terug naar school, eerst in een kleine groep."
        )
        form.get_by_label("Wat zeggen en willen de ouders?").fill("Moeder steunt dat.")
        form.get_by_label("Besluiten").fill("Verwijzen naar jeugd-ggz; rooster op maat.")
        form.get_by_role("button", name="Overleg opslaan").click()
        expect(announce).to_have_text("Overleg vastgelegd.")
        meeting = leerplicht.get_by_test_id("meeting")
        expect(meeting).to_contain_text("Noor wil terug naar school, eerst in een kleine groep.")
        expect(meeting).to_contain_text("Eva Mulder")
        expect(meeting).to_contain_text("Noor, moeder")

        # -- 6. referral to jeugd-ggz -------------------------------------------------------
        form = _open_form(leerplicht, "Verwijzing vastleggen")
        form.get_by_label("Verwezen naar").select_option(label="jeugd-ggz")
        form.get_by_label("Aanbieder").fill("Accare")
        form.get_by_label("Aangevraagd op").fill(today.isoformat())
        form.get_by_role("button", name="Verwijzing opslaan").click()
        expect(announce).to_have_text("Verwijzing vastgelegd.")
        expect(leerplicht.get_by_test_id("referrals")).to_contain_text("jeugd-ggz (Accare)")

        # -- 7. escalation to the doorbraakoverleg -----------------------------------------
        form = _open_form(leerplicht, "Opschalen")
        form.get_by_label("Naar", exact=True).select_option(label="doorbraakoverleg")
        form.get_by_label("Reden").fill("Wachttijd jeugd-ggz houdt de terugkeer tegen.")
        form.get_by_label("Wie beslist (doorzettingsmacht)").select_option(
            label="Gemeente A (gemeente)"
        )
        form.get_by_label("Persoon die beslist").select_option(label="Lotte de Vries")
        form.get_by_label("Besluit uiterlijk op").fill((today + dt.timedelta(days=14)).isoformat())
        form.get_by_role("button", name="Opschalen").click()
        expect(announce).to_have_text(
            "Opgeschaald naar doorbraakoverleg; het team en wie beslist krijgen een bericht."
        )
        escalation = leerplicht.get_by_test_id("escalation")
        expect(escalation).to_contain_text("Doorbraakoverleg")
        expect(escalation).to_contain_text("Lotte de Vries, Gemeente A")
        expect(leerplicht.get_by_test_id("case-facts")).to_contain_text("doorbraakoverleg")

        # -- 8. back at school ---------------------------------------------------------------
        form = _open_form(leerplicht, "Terug op school vastleggen")
        form.get_by_label("Uitkomst").select_option(label="volledig terug op school")
        form.get_by_label("Terug op school op").fill(today.isoformat())
        form.get_by_label(re.compile(r"^School")).select_option(label="De Linde (11AA)")
        form.get_by_role("button", name="Terugkeer opslaan").click()
        expect(announce).to_have_text(
            "Terugkeer naar school vastgelegd; de casus staat op monitoring."
        )
        expect(leerplicht.get_by_test_id("case-state")).to_have_text("terug op school (monitoring)")
        expect(leerplicht.get_by_test_id("outcomes")).to_contain_text("Volledig terug op school")

        assert leerplicht.evaluate("() => document.getElementById('casus-announce').kept") == "ja"

        # the timeline tells the story
        timeline = leerplicht.get_by_test_id("timeline")
        expect(timeline).to_contain_text("overleg: Schoolteam")
        expect(timeline).to_contain_text("verwijzing: Verwezen naar jeugd-ggz (Accare)")
        expect(timeline).to_contain_text("opschaling: Opgeschaald naar doorbraakoverleg")
        expect(timeline).to_contain_text("uitkomst: Volledig terug op school (De Linde)")
        expect(timeline).to_contain_text("Eva Mulder (GGD A) in het team als jeugdarts")
        axe.assert_clean(leerplicht)
        leerplicht.evaluate(
            "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
        )
        axe.assert_clean(leerplicht)

        # the case list of the lead
        leerplicht.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Casussen"
        ).click()
        row = leerplicht.get_by_test_id("cases").get_by_role("row", name="Noor Aalders")
        expect(row).to_contain_text("terug op school (monitoring)")
        expect(row).to_contain_text("doorbraakoverleg")
        axe.assert_clean(leerplicht)

        # the jeugdarts sees the same story
        ggd_page.goto(app_url("cases:detail", case.pk))
        expect(ggd_page.get_by_test_id("timeline")).to_contain_text(
            "Opgeschaald naar doorbraakoverleg"
        )

    # -- 9. a wijkteam worker outside the case cannot open it ------------------------------
    with session(wijkteam_worker) as wijkteam:
        wijkteam.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Casussen"
        ).click()
        expect(wijkteam.get_by_test_id("no-cases")).to_be_visible()
        response = wijkteam.goto(app_url("cases:detail", case.pk))
        assert response is not None
        assert response.status == 404
        expect(wijkteam.get_by_text("Noor Aalders")).to_have_count(0)
        response = wijkteam.goto(child_url)
        assert response is not None
        assert response.status == 404
