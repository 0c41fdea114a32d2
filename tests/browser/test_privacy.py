"""The privacy officer's pages in a real browser: unusual access per user, a user's refused
attempts, finding a child and its access history, the inzage download; each without WCAG 2.1 A/AA
violations found by axe-core."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from inbeeld.accounts.models import Role
from inbeeld.audit.services import audit_record_refused, audit_record_views
from inbeeld.people.tests.factories import StudentFactory
from tests import build
from tests.build import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(INBEELD_UNUSUAL_ACCESS_CHILDREN=3)
def test_the_privacy_officer_reviews_access_and_downloads_an_inzage(page, log_in, app_url, axe):
    w = build.two_organisations()
    child = build.pupil(w.school_a, given_names="Noor", family_name="Aalders")
    leerplicht = build.actor_for(w.leerplicht_a)
    others = [StudentFactory(municipality_code="GM0001") for _ in range(3)]
    audit_record_views(
        actor=leerplicht, students=[child, *others], summary="werklijst thuiszitters"
    )
    audit_record_refused(
        actor=leerplicht, object_type="attendance:student", object_id="424242", summary="geweigerd"
    )
    build.person(
        w.gemeente_a, Role.PRIVACY_OFFICER, "fg", first_name="Ingrid", last_name="Hoekstra"
    )

    log_in(page, "fg", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ongebruikelijke toegang")
    table = page.get_by_test_id("access-by-user")
    expect(table).to_contain_text(w.leerplicht_a.user.username)
    expect(table).to_contain_text("ongebruikelijk")
    axe.assert_clean(page)

    person = w.leerplicht_a.user
    table.get_by_role("link", name=person.get_full_name() or person.username, exact=True).click()
    expect(page.get_by_test_id("refused")).to_contain_text("424242")
    expect(page.get_by_test_id("bursts")).to_be_visible()
    axe.assert_clean(page)

    page.get_by_role("link", name="Wie heeft een kind bekeken?").click()
    page.get_by_label("Naam, BSN of leerlingnummer").fill("Aalders")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_test_id("privacy-results").get_by_role("link", name="Noor Aalders").click()
    history = page.get_by_test_id("privacy-access-history")
    expect(history).to_contain_text("werklijst thuiszitters")
    expect(history).to_contain_text(w.leerplicht_a.user.username)
    axe.assert_clean(page)

    with page.expect_download() as download:
        page.get_by_test_id("inzage-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.url == app_url("privacy:child", child.pk)
