"""The daily flows of issue 3 in a real browser, on the demo municipality (600 pupils, GM0014):

- leerplicht finds a thuiszitter (filtering without a page reload), opens the child and reads why;
- leerplicht takes a melding in handling and closes it with a reason, on the home page (htmx);
- a school sees only its own pupils, on the home page and in search, and a 404 for any other child;
- axe-core finds no WCAG 2.1 A/AA violation on the login, home, child, search, import and
  detection pages.

The demo files are generated once per module; every test imports them into its own database
(``live_server`` needs a transactional database, emptied after each test), which takes well under
a second. Set ``INBEELD_FLOW_SCREENSHOTS=/tmp`` to save full-page screenshots (flow-*.png) there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.models import Count, Q
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import Membership, Organisation, OrganisationType
from inbeeld.accounts.services import organisation_create
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.imports import import_exchange
from inbeeld.attendance.models import Melding, MeldingEvent, StudentStatus
from inbeeld.attendance.selectors import open_meldingen_for, thuiszitters_for
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.demo import setup
from inbeeld.demo.generator import generate_demo_data
from inbeeld.people.models import School, Student
from inbeeld.people.selectors import students_visible_to
from inbeeld.rules.calendar import school_year_label
from inbeeld.rules.status import ABSOLUUT_VERZUIM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: the reference date of the demo data and of the detection run
ON = dt.date(2025, 6, 20)
STUDENTS = 600
SEED = 2
PASSWORD = setup.DEMO_PASSWORD
CHILD_LINK = re.compile(r"/leerling/(\d+)/$")
#: set on ``window`` before an htmx action; still there afterwards = the page was not reloaded
MARKER = "() => { window.__inbeeldNoReload = 'ja'; }"
MARKER_STILL_THERE = "() => window.__inbeeldNoReload === 'ja'"


@dataclass
class Demo:
    gemeente: Organisation
    school: School

    def actor(self, username: str) -> Actor:
        membership = Membership.objects.select_related("organisation").get(user__username=username)
        return Actor.for_membership([membership], ip="192.0.2.1")


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    generate_demo_data(
        directory, students=STUDENTS, seed=SEED, on=ON, municipality=setup.MUNICIPALITY
    )
    return directory


@pytest.fixture
def demo(demo_files, transactional_db) -> Demo:
    """The demo municipality as ``inbeeld demo-setup`` builds it, without needing demo mode."""
    gemeente = organisation_create(
        actor=None,
        type=OrganisationType.GEMEENTE,
        name=setup.MUNICIPALITY_NAME,
        code=setup.MUNICIPALITY,
        municipality_code=setup.MUNICIPALITY,
    )
    batch = import_exchange(source=demo_files, organisation=gemeente)
    assert batch.state == "done", batch.problems[:5]
    school = (
        School.objects.filter(sector="vo", organisation__isnull=False)
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .order_by("-pupils", "brin")
        .first()
    )
    setup.demo_users(school.organisation.code, school.partnership.code)
    detection_run(on=ON)
    return Demo(gemeente=gemeente, school=school)


def screenshot(page, name: str) -> None:
    directory = os.environ.get("INBEELD_FLOW_SCREENSHOTS")
    if directory:
        page.screenshot(path=str(Path(directory) / f"flow-{name}.png"), full_page=True)


def child_ids(page, scope: str = "main") -> list[int]:
    """The children linked from the page (by /leerling/<pk>/), in order."""
    hrefs = (
        page.locator(scope)
        .locator("a[href*='/leerling/']")
        .evaluate_all("links => links.map(a => a.getAttribute('href'))")
    )
    ids = []
    for href in hrefs:
        match = CHILD_LINK.search(href.split("?")[0])
        assert match, href
        ids.append(int(match.group(1)))
    return ids


# -- (a) leerplicht: who is at home, and why -------------------------------------------------------


def test_leerplicht_filters_the_thuiszitters_opens_a_child_and_reads_why(page, log_in, demo):
    actor = demo.actor("demo-leerplicht")
    expected = list(thuiszitters_for(actor=actor))
    assert len(expected) >= 2, "the demo should hold several thuiszitters"
    absolute = [row for row in expected if row.category == ABSOLUUT_VERZUIM]
    assert absolute, "the demo should hold a child in absoluut verzuim"
    child = min(absolute, key=lambda row: row.student.family_name).student

    log_in(page, "demo-leerplicht", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Wie zit er thuis?"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie zit er thuis?")
    table = page.get_by_test_id("thuiszitters")
    expect(table.locator("caption")).to_contain_text(f"{len(expected)} thuiszitters")
    assert sorted(child_ids(page, "[data-testid=thuiszitters]")) == sorted(
        row.student_id for row in expected
    )
    screenshot(page, "home")

    # filtering swaps the table in place (htmx): no page load, and the URL follows the filter
    page.evaluate(MARKER)
    page.get_by_label("Categorie").select_option(ABSOLUUT_VERZUIM)
    expect(page).to_have_url(re.compile(r"categorie=absoluut_verzuim"))
    expect(table.locator("caption")).to_contain_text(
        f"{len(absolute)} thuiszitter" + ("s" if len(absolute) != 1 else "")
    )
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(absolute))
    for index in range(len(absolute)):
        expect(rows.nth(index).locator("td").first).to_have_text("absoluut verzuim")

    page.get_by_label("Naam van het kind").fill(child.family_name)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text(child.full_name)
    assert page.evaluate(MARKER_STILL_THERE), "filtering reloaded the page"

    # open the child and read the explanation of its status and of its melding
    rows.first.get_by_role("link", name=child.full_name).click()
    expect(page).to_have_url(re.compile(rf"/leerling/{child.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    status = StudentStatus.objects.get(student=child)
    explanation = page.get_by_test_id("status-explanation")
    expect(explanation).to_have_text(status.explanation)
    expect(explanation).to_contain_text("niet ingeschreven")
    melding = Melding.objects.get(student=child, rule=ABSOLUUT_VERZUIM)
    expect(page.get_by_test_id("melding-explanation").first).to_have_text(melding.explanation)

    # the calendar opens on the school year the child was last seen in, not an empty current year
    heading = page.locator("#kalender-kop")
    expect(heading).to_contain_text("Verzuim in schooljaar")
    shown = heading.inner_text().rsplit(" ", 1)[-1]
    assert shown <= school_year_label(ON)

    # and the access history already lists this very view
    history = page.get_by_test_id("access-history")
    expect(history.locator("tbody tr").first).to_contain_text("Leerlingpagina bekeken")
    expect(history.locator("tbody tr").first).to_contain_text("demo-leerplicht")
    # one row for the page (the worklist and the search that led here each wrote their own)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, student=child)
    assert views.filter(summary__startswith="Leerlingpagina bekeken").count() == 1
    screenshot(page, "child")

    # on to the current school year: the months still to come are not shown as empty history
    current = school_year_label(timezone.localdate())
    navigation = page.get_by_test_id("school-year-navigation")
    navigation.get_by_role("link", name=f"Volgend schooljaar ({current})").click()
    expect(heading).to_have_text(f"Verzuim in schooljaar {current}")
    expect(navigation.get_by_role("link", name="Volgend schooljaar")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Vorig schooljaar")).to_have_count(1)
    if timezone.localdate().month != 7:
        expect(page.get_by_test_id("months-to-come")).to_contain_text("nog niet begonnen")
    # both views of the page are listed (beside the worklist's and the search's own rows)
    expect(history.locator("tbody tr", has_text="Leerlingpagina bekeken")).to_have_count(2)
    screenshot(page, "child-current-year")


# -- (b) leerplicht handles a melding --------------------------------------------------------------


def test_leerplicht_takes_a_melding_in_handling_and_closes_it_with_a_reason(
    page, log_in, app_url, demo
):
    actor = demo.actor("demo-leerplicht")
    open_meldingen = list(open_meldingen_for(actor=actor))
    assert open_meldingen, "the demo should hold open meldingen for leerplicht"

    log_in(page, "demo-leerplicht", PASSWORD)
    page.goto(app_url("attendance:home"))  # from "Vandaag" to the thuiszitters and meldingen
    first_row = page.get_by_test_id("melding-row").first
    melding_pk = int(first_row.get_attribute("id").removeprefix("melding-"))
    melding = Melding.objects.get(pk=melding_pk)
    assert melding in open_meldingen
    row = page.locator(f"#melding-{melding_pk}")
    state = row.get_by_test_id("melding-state")
    expect(state).to_have_text("nieuw")

    page.evaluate(MARKER)
    row.locator("summary").click()
    row.get_by_role("button", name="In behandeling nemen").click()
    expect(state).to_contain_text("in behandeling")
    expect(row.get_by_role("status")).to_contain_text("Melding bijgewerkt: in behandeling")
    melding.refresh_from_db()
    assert melding.state == "in_behandeling"

    # closing without a reason: the error is shown beside the field, nothing changes
    row.locator("summary").click()
    row.get_by_role("button", name="Afsluiten").click()
    expect(row.get_by_role("alert")).to_contain_text("reden")
    expect(row.get_by_label("Reden van afsluiten")).to_have_attribute("aria-invalid", "true")
    melding.refresh_from_db()
    assert melding.state == "in_behandeling"

    # the row came back with its form open: choose a reason and close
    row.get_by_label("Reden van afsluiten").select_option(label="terug naar school")
    row.get_by_role("button", name="Afsluiten").click()
    expect(state).to_contain_text("afgesloten: terug naar school")
    expect(row).to_contain_text("afgehandeld")
    assert page.evaluate(MARKER_STILL_THERE), "handling the melding reloaded the page"

    melding.refresh_from_db()
    assert (melding.state, melding.closing_reason) == ("afgesloten", "terug_naar_school")
    states = (
        MeldingEvent.objects.filter(melding=melding)
        .order_by("pk")
        .values_list("state", "closing_reason", "user__username")
    )
    assert list(states)[-2:] == [
        ("in_behandeling", "", "demo-leerplicht"),
        ("afgesloten", "terug_naar_school", "demo-leerplicht"),
    ]

    # after a reload the closed melding has left the list of open meldingen
    page.reload()
    expect(page.locator(f"#melding-{melding_pk}")).to_have_count(0)


# -- (c) a school sees only its own pupils ---------------------------------------------------------


def test_a_school_sees_only_its_own_pupils(page, log_in, app_url, demo):
    actor = demo.actor("demo-school")
    own = set(students_visible_to(actor=actor).values_list("pk", flat=True))
    enrolled_now = set(
        Student.objects.filter(
            Q(enrolments__end_date__isnull=True)
            | Q(enrolments__end_date__gte=timezone.localdate()),
            enrolments__school=demo.school,
            enrolments__start_date__lte=timezone.localdate(),
        ).values_list("pk", flat=True)
    )
    assert own == enrolled_now
    assert own

    log_in(page, "demo-school", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Wie zit er thuis?"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie zit er thuis?")
    expect(page.get_by_test_id("acting-organisation")).to_have_text(demo.school.organisation.name)
    linked = child_ids(page)
    assert linked, "the school's home page should list some children (its open meldingen)"
    assert set(linked) <= own, f"children of other schools on the home page: {set(linked) - own}"

    # search: a family name shared with children elsewhere finds only the school's own
    word = None
    for name in Student.objects.filter(pk__in=own).values_list("family_name", flat=True):
        candidate = name.split()[-1]
        elsewhere = Student.objects.exclude(pk__in=own).filter(family_name__icontains=candidate)
        if elsewhere.exists():
            word = candidate
            break
    assert word, "the demo should hold a family name shared across schools"
    expected = set(
        Student.objects.filter(pk__in=own)
        .filter(Q(family_name__icontains=word) | Q(given_names__icontains=word))
        .values_list("pk", flat=True)
    )
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zoeken").click()
    page.get_by_label("Naam, BSN of leerlingnummer").fill(word)
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_test_id("search-results")
    expect(results.locator("tbody tr")).to_have_count(len(expected))
    assert set(child_ids(page, "[data-testid=search-results]")) == expected

    # any other child by its URL: 404, and no view of it is recorded
    other = Student.objects.exclude(pk__in=own).order_by("pk").first()
    response = page.goto(app_url("attendance:student", other.pk))
    assert response.status == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, student=other).exists()
    # one of its own: shown
    mine = linked[0]
    response = page.goto(app_url("attendance:student", mine))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(
        Student.objects.get(pk=mine).full_name
    )


# -- (d) accessibility -----------------------------------------------------------------------------


def test_the_main_pages_have_no_accessibility_violations(page, log_in, app_url, axe, demo):
    page.goto(app_url("accounts:login"))
    axe.assert_clean(page)

    log_in(page, "demo-leerplicht", PASSWORD)
    expect(page.get_by_test_id("today")).to_be_visible()
    axe.assert_clean(page)
    page.goto(app_url("attendance:home"))
    expect(page.get_by_test_id("thuiszitters")).to_be_visible()
    axe.assert_clean(page)
    # the meldingen' handling forms, opened
    page.get_by_test_id("melding-row").first.locator("summary").click()
    axe.assert_clean(page)

    thuiszitter = thuiszitters_for(actor=demo.actor("demo-leerplicht")).first().student
    page.goto(app_url("attendance:student", thuiszitter.pk))
    expect(page.get_by_test_id("status-explanation")).to_be_visible()
    axe.assert_clean(page)

    page.goto(app_url("attendance:search") + "?q=" + thuiszitter.family_name.split()[-1])
    expect(page.get_by_test_id("search-results")).to_be_visible()
    axe.assert_clean(page)

    page.context.clear_cookies()
    log_in(page, "demo-school", PASSWORD)
    axe.assert_clean(page)  # the school's home page
    page.goto(app_url("imports:page"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.assert_clean(page)

    page.context.clear_cookies()
    log_in(page, "demo-beheer", PASSWORD)
    page.goto(app_url("attendance:detection"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.assert_clean(page)
