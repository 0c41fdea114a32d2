"""The screens: a child's log with its form, a letter's form, the PDF; the links that lead there."""

from __future__ import annotations

import datetime as dt

from inbeeld.accounts.tests.factories import PASSWORD
from inbeeld.correspondence.models import ContactEntry, Letter
from inbeeld.correspondence.tests.conftest import TODAY
from inbeeld.leave.models import LeaveRequest


def login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def test_the_childs_page_links_to_the_log(client, world):
    login(client, world.w.leerplicht_a)
    page = client.get(f"/leerling/{world.child.pk}/").content.decode()
    assert f"/correspondentie/leerling/{world.child.pk}/" in page


def test_add_an_entry_and_correct_it(client, world):
    login(client, world.w.leerplicht_a)
    url = f"/correspondentie/leerling/{world.child.pk}/"
    body = {
        "kind": "telefoon",
        "contact_with": "ouder_verzorger",
        "on": TODAY.isoformat(),
        "summary": "Vader gebeld.",
    }
    assert client.post(url, body).status_code == 302
    entry = ContactEntry.objects.get()
    form = client.get(url, {"corrigeer": entry.pk}).content.decode()
    assert f'value="{entry.pk}"' in form
    assert "Notitie corrigeren" in form
    assert (
        client.post(url, {**body, "summary": "Moeder gebeld.", "corrects": entry.pk}).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "<del>Vader gebeld.</del>" in page
    assert "Moeder gebeld." in page


def test_a_bad_entry_is_shown_with_its_problems(client, world):
    login(client, world.w.leerplicht_a)
    url = f"/correspondentie/leerling/{world.child.pk}/"
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"kind": "gesprek", "contact_with": "anders", "on": tomorrow, "summary": "x"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "De datum ligt in de toekomst." in text
    assert "Zeg met wie het contact was." in text
    assert not ContactEntry.objects.exists()


def test_the_log_offers_the_letters_the_role_may_make(client, world):
    login(client, world.w.school_staff_a)
    page = client.get(f"/correspondentie/leerling/{world.child.pk}/").content.decode()
    assert "/brief/waarschuwing/" in page
    assert "/brief/proces_verbaal/" not in page
    response = client.get(f"/correspondentie/leerling/{world.child.pk}/brief/proces_verbaal/")
    assert response.status_code == 403


def test_make_a_letter_and_download_it(client, world):
    login(client, world.w.leerplicht_a)
    url = f"/correspondentie/leerling/{world.child.pk}/brief/waarschuwing/"
    form = client.get(url).content.decode()
    assert f'value="{world.melding_16.pk}"' in form  # the child's meldingen to choose from
    refused = client.post(url, {"recipient": "Fam.", "melding": world.melding_lrv.pk})
    assert refused.status_code == 400
    assert "vul het aantal uren" in refused.content.decode()
    made = client.post(url, {"recipient": "Fam.\nStraat 1", "melding": world.melding_16.pk})
    assert made.status_code == 302
    letter = Letter.objects.get()
    page = client.get(made["Location"]).content.decode()
    assert f"/correspondentie/brief/{letter.pk}/pdf/" in page
    pdf = client.get(f"/correspondentie/brief/{letter.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_child_out_of_sight_is_not_found(client, world):
    login(client, world.w.leerplicht_a)
    assert client.get(f"/correspondentie/leerling/{world.child_b.pk}/").status_code == 404
    url = f"/correspondentie/leerling/{world.child_b.pk}/brief/uitnodiging/"
    assert client.get(url).status_code == 404
    assert client.get("/correspondentie/leerling/1/brief/kerstkaart/").status_code == 404


def test_the_decided_leave_request_links_to_its_beschikking(client, world):
    leave = LeaveRequest.objects.create(
        student=world.child,
        school=world.w.school_a,
        kind="vakantieverlof",
        start_date=TODAY + dt.timedelta(days=30),
        end_date=TODAY + dt.timedelta(days=34),
        requested_on=TODAY,
        requested_by_organisation=world.w.school_a.organisation,
        decider="school",
        state="toegekend",
        decided_by_organisation=world.w.school_a.organisation,
        decided_on=TODAY,
    )
    login(client, world.w.school_staff_a)
    page = client.get(f"/verlof/{leave.pk}/").content.decode()
    link = f"/correspondentie/leerling/{world.child.pk}/brief/beschikking_verlof/?leave_request={leave.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert f'<option value="{leave.pk}" selected>' in form
