"""Screens: the list of concerns and matches, registering, withdrawing, the letter; refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from inbeeld.audit.models import AuditEvent
from inbeeld.concerns import services
from inbeeld.concerns.models import Concern, SystemConcernCandidate, SystemReason
from inbeeld.concerns.tests.conftest import register
from inbeeld.people.tests.factories import PASSWORD


def _login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def _form(**extra):
    data = {
        "domain": "health",
        "contact_name": "A. de Jong",
        "contact_phone": "050 000 00 00",
        "contact_email": "a.dejong@example.org",
    }
    data.update(extra)
    return data


def test_index_lists_own_concerns_and_matches_with_contact_details(client, world):
    register(world, "zorg", domain="school", contact_name="Meester Piet")
    register(world, "jeugdarts", urgent=True, contact_name="Dokter Anna", contact_phone="06 1")
    page = _login(client, world.zorg).get(reverse("concerns:index")).content.decode()
    assert "Zorgen en matches" in page
    assert "Sanne Bakker" in page
    assert "GGD Groningen" in page
    assert "Dokter Anna" in page
    assert "06 1" in page
    assert 'aria-current="page"' in page  # the menu entry
    ggd_page = _login(client, world.wijkteam_member).get(reverse("concerns:index"))
    assert "Dokter Anna" not in ggd_page.content.decode()
    assert "Sanne" not in ggd_page.content.decode()


def test_a_match_offers_to_open_a_case_to_who_may_open_one(client, world):
    register(world, "zorg", domain="school")
    register(world, "jeugdarts", domain="health")
    school_page = _login(client, world.zorg).get(reverse("concerns:index")).content.decode()
    assert 'data-testid="open-case-from-match"' in school_page
    assert f"{reverse('cases:open')}?leerling=" in school_page
    client.logout()
    ggd_page = _login(client, world.jeugdarts).get(reverse("concerns:index")).content.decode()
    assert 'data-testid="matches"' in ggd_page  # the GGD sees the match, but opens no case
    assert 'data-testid="open-case-from-match"' not in ggd_page


def test_index_needs_the_permission(client, world):
    assert _login(client, world.beleid).get(reverse("concerns:index")).status_code == 403
    client.logout()
    response = client.get(reverse("concerns:index"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_register_from_the_childs_page(client, world):
    _login(client, world.zorg)
    student_page = client.get(reverse("attendance:student", args=[world.pupil.pk])).content
    assert f"/zorgen/melden/?leerling={world.pupil.pk}".encode() in student_page
    url = reverse("concerns:register") + f"?leerling={world.pupil.pk}"
    form = client.get(url).content.decode()
    assert "Sanne Bakker" in form
    assert 'name="bsn"' not in form
    response = client.post(
        reverse("concerns:register"), _form(leerling=world.pupil.pk, domain="school")
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.organisation, concern.domain) == (world.school.organisation, "school")


def test_register_by_bsn_and_birth_date_for_a_child_out_of_sight(client, world):
    _login(client, world.jeugdarts)
    # the GGD cannot name a child by id it does not see
    url = reverse("concerns:register") + f"?leerling={world.pupil.pk}"
    assert client.get(url).status_code == 404
    # a wrong birth date is stored as entered, not linked; the answer is the same as for a match
    wrong = client.post(
        reverse("concerns:register"), _form(bsn=world.pupil.bsn, birth_date="2012-05-02")
    )
    response = client.post(
        reverse("concerns:register"),
        _form(bsn=world.pupil.bsn, birth_date="2012-05-01", domain="family"),
    )
    assert wrong.status_code == response.status_code == 302
    assert wrong["Location"] == response["Location"]
    assert [c.student for c in Concern.objects.order_by("pk")] == [None, world.pupil]
    assert {c.organisation for c in Concern.objects.all()} == {world.ggd}
    # and the GGD still does not see the child (issue 9)
    assert client.get(reverse("attendance:student", args=[world.pupil.pk])).status_code == 404
    index = client.get(reverse("concerns:index")).content.decode()
    assert "Sanne" not in index
    assert f"BSN {world.pupil.bsn}, geboren 1 mei 2012" in index


def test_register_shows_field_errors(client, world):
    _login(client, world.jeugdarts)
    response = client.post(
        reverse("concerns:register"),
        _form(bsn="12", birth_date="", contact_phone="", contact_email=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Het formulier is nog niet goed ingevuld" in body
    assert "telefoonnummer of een e-mailadres" in body
    assert not Concern.objects.exists()


def test_register_tells_of_a_match(client, world):
    register(world, "jeugdarts")
    _login(client, world.zorg)
    response = client.post(
        reverse("concerns:register"), _form(leerling=world.pupil.pk, domain="school"), follow=True
    )
    assert "Er is een match" in response.content.decode()


def test_register_refused_without_permission(client, world):
    _login(client, world.beheer)
    assert client.get(reverse("concerns:register")).status_code == 403
    assert (
        client.post(reverse("concerns:register"), _form(leerling=world.pupil.pk)).status_code == 403
    )


def test_withdraw_confirms_then_withdraws_only_own(client, world):
    concern = register(world, "jeugdarts")
    url = reverse("concerns:withdraw", args=[concern.pk])
    _login(client, world.zorg)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    _login(client, world.jeugdarts)
    confirm = client.get(url).content.decode()
    assert "Zorg intrekken" in confirm
    assert '<form method="post">' in confirm
    concern.refresh_from_db()
    assert concern.withdrawn_on is None
    assert client.post(url).status_code == 302
    concern.refresh_from_db()
    assert concern.withdrawn_on is not None
    assert "al ingetrokken" not in client.get(url).content.decode()
    assert "ingetrokken" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["zorg", "jeugdarts"])
def test_letter_only_for_the_registering_organisation(client, world, who):
    concern = register(world, "jeugdarts", contact_name="Dokter Anna")
    _login(client, getattr(world, who))
    response = client.get(reverse("concerns:letter", args=[concern.pk]))
    if who == "zorg":
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("GGD Groningen", "uw kind", "inzage", "correctie", "bezwaar", "Dokter Anna"):
        assert text in body
    assert "Sanne" not in body  # the GGD does not see the child: it addresses the letter itself
    # printed: only the letter (the print styles live in a static file under the strict CSP)
    assert "concerns/letter.css" in body
    assert "@media print" in Path(finders.find("concerns/letter.css")).read_text(encoding="utf-8")
    assert AuditEvent.objects.filter(
        action="view", object_type="concerns.Concern", object_id=str(concern.pk)
    ).exists()


def test_notifications_count_in_the_menu(client, world):
    register(world, "zorg")
    register(world, "jeugdarts")
    page = _login(client, world.zorg).get(reverse("concerns:index")).content.decode()
    assert 'data-testid="unread-count"' in page
    assert "(1<span" in page


def test_the_letter_names_a_child_in_sight(client, world):
    concern = register(world, "zorg", student=world.pupil)
    _login(client, world.zorg)
    body = client.get(reverse("concerns:letter", args=[concern.pk])).content.decode()
    assert "Sanne Bakker" in body
    event = AuditEvent.objects.get(action="view", object_id=str(concern.pk))
    assert event.student == world.pupil


def test_a_match_with_the_systems_own_concern_shows_the_leerplicht_teams_contact(client, world):
    today = timezone.localdate()
    world.gemeente.contact_address = "Kreupelstraat 1, 9712 HW Groningen"
    world.gemeente.contact_phone = "050 367 89 10"
    world.gemeente.contact_email = "leerplicht@groningen.example"
    world.gemeente.save()
    register(world, "zorg", domain="school")
    candidate = SystemConcernCandidate(
        student_id=world.pupil.pk, reason=SystemReason.LRV, about=today, key="lrv:1"
    )
    assert services.register_system_concerns(on=today, candidates=[candidate]) == 1
    page = _login(client, world.zorg).get(reverse("concerns:index")).content.decode()
    assert f"Leerplicht {world.gemeente.name}" in page
    assert "Kreupelstraat 1, 9712 HW Groningen" in page
    assert '<a href="tel:050 367 89 10">050 367 89 10</a>' in page
    assert "mailto:leerplicht@groningen.example" in page
