"""Leave screens: the list in scope, the form with the law's answer at once (htmx), deciding."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from inbeeld.attendance.tests.factories import pupil
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.leave import services
from inbeeld.leave.models import LeaveRequest, LeaveState
from inbeeld.leave.tests.test_services import register
from inbeeld.people.tests.factories import login
from inbeeld.rules.leave import HOLIDAY, WEIGHTY

D = dt.date


def form_data(w, **kw):
    data = {
        "student": w.child_a.pk,
        "kind": HOLIDAY,
        "start_date": "2025-03-10",
        "end_date": "2025-03-14",
        "employer_statement": "on",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_searches_the_pupil_instead_of_listing_every_pupil(client, world):
    page = login(client, world.school_staff_a).get(reverse("leave:new")).content.decode()
    assert "Verlofaanvraag vastleggen" in page
    assert "Aalders" not in page  # no list of every pupil of the school
    assert '<input type="hidden" name="student"' in page
    assert '<select name="student"' not in page
    assert 'role="combobox"' in page
    assert 'aria-controls="leerling-opties"' in page
    assert f'hx-get="{reverse("leave:pupil_search")}"' in page
    assert "<fieldset" in page
    assert "<legend" in page
    assert f'hx-get="{reverse("leave:assessment")}"' in page
    assert 'aria-live="polite"' in page
    # chosen from the search (or from the child's page): named on the form, and recorded
    page = client.get(reverse("leave:new"), {"leerling": world.child_a.pk}).content.decode()
    assert "Gekozen:" in page
    assert world.child_a.full_name in page
    assert AuditEvent.objects.filter(student=world.child_a, action=AuditAction.VIEW).exists()


def test_the_pupil_search_shows_only_the_schools_pupils_audited(client, world):
    login(client, world.school_staff_a)
    url = reverse("leave:pupil_search")
    options = client.get(url, {"zoek": "aald"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in options
    assert f'role="option" id="leerling-optie-{world.child_a.pk}"' in options
    assert f'data-value="{world.child_a.pk}"' in options
    assert "1 leerling gevonden" in options
    assert AuditEvent.objects.filter(
        student=world.child_a, action=AuditAction.VIEW, summary__contains="gezocht"
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, detail__query="aald").exists()
    # a pupil of another school is never found, not even by its BSN
    for query in ("Bakker", world.child_b.bsn):
        options = client.get(url, {"zoek": query}).content.decode()
        assert 'role="option"' not in options
        assert "Geen leerling van uw school gevonden" in options
    assert not AuditEvent.objects.filter(student=world.child_b).exists()
    # fewer than 2 characters: nothing searched, nothing shown
    before = AuditEvent.objects.count()
    options = client.get(url, {"zoek": " a "}).content.decode()
    assert 'role="option"' not in options
    assert "ten minste 2 tekens" in options
    assert AuditEvent.objects.count() == before


def test_the_pupil_search_shows_at_most_ten(client, world):
    for n in range(12):
        pupil(world.school_a, family_name=f"Veenstra{n:02}")
    options = (
        login(client, world.school_staff_a)
        .get(reverse("leave:pupil_search"), {"zoek": "veenstra"})
        .content.decode()
    )
    assert options.count('role="option"') == 10
    assert "Veenstra00" in options
    assert "Veenstra11" not in options


def test_without_javascript_the_search_is_a_step_of_the_page(client, world):
    page = (
        login(client, world.school_staff_a)
        .get(reverse("leave:new"), {"zoek": "Aalders"})
        .content.decode()
    )
    assert f'href="{reverse("leave:new")}?leerling={world.child_a.pk}"' in page
    assert 'id="leerling-zoekformulier"' in page
    assert 'form="leerling-zoekformulier"' in page
    # a request without a pupil is refused with the error leading to the search
    page = client.post(reverse("leave:new"), form_data(world, student=None)).content.decode()
    assert 'href="#leerling-zoek"' in page
    assert "Kies de leerling." in page
    assert not LeaveRequest.objects.exists()


def test_the_search_needs_the_permission(client, world):
    login(client, world.leerplicht_a)
    assert client.get(reverse("leave:pupil_search"), {"zoek": "Aalders"}).status_code == 403


def test_the_htmx_fragment_says_at_once_why_not(client, world):
    login(client, world.school_staff_a)
    url = reverse("leave:assessment")
    fragment = client.get(
        url,
        form_data(world, start_date="2024-08-26", end_date="2024-08-30"),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in fragment
    assert "kan niet worden toegekend" in fragment
    assert "eerste 2 lesweken" in fragment
    fragment = client.get(url, form_data(world, employer_statement=None)).content.decode()
    assert "werkgeversverklaring" in fragment
    fragment = client.get(url, form_data(world)).content.decode()
    assert "De school beslist" in fragment
    assert "5 schooldagen" in fragment
    fragment = client.get(
        url, form_data(world, kind=WEIGHTY, end_date="2025-03-24")
    ).content.decode()
    assert "gaat naar de leerplichtambtenaar" in fragment
    # incomplete: a hint, no error
    fragment = client.get(url, {"kind": HOLIDAY}).content.decode()
    assert "meteen of het verlof" in fragment
    # another school's pupil is no choice
    fragment = client.get(url, form_data(world, student=world.child_b.pk)).content.decode()
    assert "meteen of het verlof" in fragment


def test_registering_and_deciding_through_the_screens(client, world):
    login(client, world.school_staff_a)
    response = client.post(reverse("leave:new"), form_data(world, vastleggen="ingediend"))
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leave:detail", args=[leave.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Besluit vastleggen" in page
    listing = client.get(reverse("leave:index")).content.decode()
    assert "Aalders" in listing
    assert '<th scope="col">' in listing
    # refusing without a reason: the error summary names the field
    page = client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "afwijzen"})
    text = page.content.decode()
    assert "Het formulier is nog niet goed ingevuld" in text
    assert 'href="#id_note"' in text
    assert "reden van de afwijzing" in text
    response = client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "toekennen"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.state == LeaveState.TOEGEKEND


def test_a_grant_the_law_forbids_shows_the_reasons(client, world):
    first = register(world)
    second = register(world, start_date=D(2025, 5, 12), end_date=D(2025, 5, 16))
    services.leave_request_decide(actor=world.school, leave=first, grant=True)
    login(client, world.school_staff_a)
    page = client.post(reverse("leave:decide", args=[second.pk]), {"decision": "toekennen"})
    assert "Toekennen kan niet" in page.content.decode()
    assert "één keer per schooljaar" in page.content.decode()
    second.refresh_from_db()
    assert second.state == LeaveState.INGEDIEND


def test_recording_a_forbidden_request_as_refused(client, world):
    login(client, world.school_staff_a)
    response = client.post(
        reverse("leave:new"),
        form_data(world, start_date="2024-08-26", end_date="2024-08-30", vastleggen="afgewezen"),
    )
    assert response.status_code == 302
    assert LeaveRequest.objects.get().state == LeaveState.AFGEWEZEN


def test_form_errors_are_summarised(client, world):
    login(client, world.school_staff_a)
    page = client.post(
        reverse("leave:new"), form_data(world, start_date="2025-03-14", end_date="2025-03-10")
    ).content.decode()
    assert "Het formulier is nog niet goed ingevuld" in page
    assert "laatste dag ligt voor de eerste dag" in page
    page = client.post(reverse("leave:new"), {}).content.decode()
    assert 'href="#id_kind"' in page
    assert "Kies de soort verlof." in page
    assert not LeaveRequest.objects.exists()


def test_scope_and_permissions_in_the_screens(client, world):
    leave = register(world)
    login(client, world.school_staff_b)
    assert client.get(reverse("leave:detail", args=[leave.pk])).status_code == 404
    assert "Aalders" not in client.get(reverse("leave:index")).content.decode()
    assert (
        client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "toekennen"}).status_code
        == 404
    )
    client.logout()
    login(client, world.leerplicht_a)
    page = client.get(reverse("leave:detail", args=[leave.pk])).content.decode()
    assert "Aalders" in page
    assert "Besluit vastleggen" not in page
    assert client.get(reverse("leave:new")).status_code == 403
    assert (
        client.post(reverse("leave:decide", args=[leave.pk]), {"decision": "toekennen"}).status_code
        == 403
    )
    client.logout()
    login(client, world.beleid_a)
    assert client.get(reverse("leave:index")).status_code == 403


def test_the_nav_shows_verlof_by_permission(client, world):
    page = login(client, world.school_staff_a).get(reverse("leave:index")).content.decode()
    assert f'href="{reverse("leave:index")}"' in page
