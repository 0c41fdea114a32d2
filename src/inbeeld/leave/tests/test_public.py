"""Leave requests parents send online (issue 11 §8): the school's public link (on, renewed, off),
the public form (CSRF, the limit per address, the honeypot, uploads checked by their first bytes,
nothing said about any child), the receipt, and the school taking the request in (linked to its
pupil and decided as any other, or refused) and e-mailing the decision letter to the parent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.audit.models import AuditEvent
from inbeeld.leave import public
from inbeeld.leave.models import LeaveRequest
from inbeeld.leave.public_models import OnlineLeaveRequest, OnlineState
from inbeeld.people.tests.factories import login
from inbeeld.rules.leave import HOLIDAY, WEIGHTY

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TODAY = timezone.localdate()
#: a Monday about three months ahead: three days of leave for weighty circumstances from it
MONDAY = TODAY + dt.timedelta(days=91 - TODAY.weekday())


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.INBEELD_PUBLIC_LEAVE_PER_HOUR = 10
    cache.clear()
    yield
    cache.clear()


def link_of(world):
    return public.public_link_enable(actor=world.school)


def url(link, name="leave:public_form"):
    return reverse(name, kwargs={"token": link.token})


def form(world, **changes):
    child = world.child_a
    data = {
        "child_given_names": child.given_names,
        "child_family_name": child.family_name,
        "child_birth_date": child.birth_date.isoformat(),
        "parent_name": "Petra Aalders",
        "parent_email": "petra@example.org",
        "kind": WEIGHTY,
        "start_date": MONDAY.isoformat(),
        "end_date": (MONDAY + dt.timedelta(days=2)).isoformat(),
        "reason": "huwelijk van een familielid",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def send(client, link, world, **changes):
    return client.post(url(link), form(world, **changes))


# -- the link --------------------------------------------------------------------------------------


def test_the_link_is_unguessable_renewable_and_can_be_switched_off(client, world):
    link = link_of(world)
    assert len(link.token) >= 43
    assert client.get(url(link)).status_code == 200
    old = link.token
    renewed = public.public_link_renew(actor=world.school)
    assert renewed.token != old
    assert client.get(f"/verlof/aanvragen/{old}/").status_code == 404
    assert client.get(url(renewed)).status_code == 200
    public.public_link_disable(actor=world.school)
    assert client.get(url(renewed)).status_code == 404
    again = public.public_link_enable(actor=world.school)
    assert again.token == renewed.token  # the same address as before it was switched off
    assert client.get(url(again)).status_code == 200
    events = AuditEvent.objects.filter(object_type="leave.PublicLeaveLink")
    assert events.count() == 4
    assert all(renewed.token not in str(e.detail) + e.summary for e in events)


def test_only_a_school_has_a_link(client, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        public.public_link_enable(actor=world.leerplicht)
    assert login(client, world.leerplicht_a).get(reverse("leave:online_link")).status_code == 403


def test_the_school_switches_its_link_on_its_page(client, world):
    login(client, world.school_staff_a)
    page = client.get(reverse("leave:online_link")).content.decode()
    assert 'data-testid="public-link-off"' in page
    client.post(reverse("leave:online_link"), {"action": "aanzetten"})
    page = client.get(reverse("leave:online_link")).content.decode()
    token = world.school_a.public_leave_link.token
    assert f"/verlof/aanvragen/{token}/" in page
    client.post(reverse("leave:online_link"), {"action": "uitzetten"})
    world.school_a.public_leave_link.refresh_from_db()
    assert not world.school_a.public_leave_link.enabled


# -- the parent's form -----------------------------------------------------------------------------


def test_a_parent_sends_a_request_and_gets_a_receipt(world, django_capture_on_commit_callbacks):
    link = link_of(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(link))
    assert page.status_code == 200
    text = page.content.decode()
    assert "De Linde" in text
    assert "Aalders" not in text  # no child on the public page
    token = page.cookies["csrftoken"].value
    data = form(world, kind=HOLIDAY, reason="")
    data["statement"] = SimpleUploadedFile("brief van de baas.pdf", PDF, "application/pdf")
    data["csrfmiddlewaretoken"] = token
    with django_capture_on_commit_callbacks(execute=True):
        with_capture = client.post(url(link), data)
    assert with_capture.status_code == 302, with_capture.content.decode()[:2000]
    assert with_capture["Location"] == url(link, "leave:public_receipt")
    online = OnlineLeaveRequest.objects.get()
    assert online.state == OnlineState.ONGEKOPPELD
    assert online.statement_content_type == "application/pdf"
    assert online.statement.name == f"verlof/verklaringen/{online.reference}.pdf"
    assert online.statement.read() == PDF
    receipt = client.get(url(link, "leave:public_receipt")).content.decode()
    assert online.reference in receipt
    assert world.child_a.given_names not in receipt
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["petra@example.org"]
    assert online.reference in mail.outbox[0].body
    # the child is not named in the e-mail (its given names; the parent shares the family name)
    assert world.child_a.given_names not in mail.outbox[0].body
    event = AuditEvent.objects.get(object_type="leave.OnlineLeaveRequest")
    assert event.student is None
    assert world.child_a.given_names not in event.summary + str(event.detail)
    assert event.organisation == world.school_a.organisation


def test_the_form_needs_its_csrf_token(world):
    link = link_of(world)
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(link), form(world)).status_code == 403
    assert not OnlineLeaveRequest.objects.exists()


def test_the_answer_is_the_same_for_a_child_that_does_not_exist(client, world):
    link = link_of(world)
    real = send(client, link, world=world)
    made_up = send(client, link, world=world, child_family_name="Onbestaand")
    assert real.status_code == made_up.status_code == 302
    assert real["Location"] == made_up["Location"]
    assert OnlineLeaveRequest.objects.count() == 2


def test_the_honeypot_stores_nothing(client, world):
    link = link_of(world)
    response = send(client, link, world=world, website="http://spam.example")
    assert response.status_code == 400
    assert "kon niet worden verwerkt" in response.content.decode()
    assert not OnlineLeaveRequest.objects.exists()
    assert not mail.outbox


def test_an_address_is_refused_after_its_tries_of_the_hour(client, world, settings):
    settings.INBEELD_PUBLIC_LEAVE_PER_HOUR = 3
    link = link_of(world)
    for _ in range(3):
        assert send(client, link, world=world).status_code == 302
    refused = send(client, link, world=world)
    assert refused.status_code == 429
    assert "te vaak" in refused.content.decode()
    assert OnlineLeaveRequest.objects.count() == 3
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(url(link), form(world)).status_code == 302


def test_trying_tokens_is_counted_too(client, world, settings):
    settings.INBEELD_PUBLIC_LEAVE_PER_HOUR = 2
    link_of(world)
    assert client.get("/verlof/aanvragen/raden1/").status_code == 404
    assert client.get("/verlof/aanvragen/raden2/").status_code == 404
    assert client.get("/verlof/aanvragen/raden3/").status_code == 429


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "verklaring.pdf", "PDF, JPEG of PNG"),
        (b"<html><script>alert(1)</script>", "verklaring.png", "PDF, JPEG of PNG"),
        (b"", "leeg.pdf", "leeg"),
        (b"%PDF-" + b"x" * 2048, "groot.pdf", "te groot"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason(client, world, settings, content, name, message):
    settings.INBEELD_LEAVE_STATEMENT_MAX_BYTES = 1024
    link = link_of(world)
    data = form(world, kind=HOLIDAY)
    data["statement"] = SimpleUploadedFile(name, content, "application/pdf")
    response = client.post(url(link), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OnlineLeaveRequest.objects.exists()


def test_a_png_is_accepted_and_holiday_leave_needs_a_statement(client, world):
    link = link_of(world)
    refused = send(client, link, world=world, kind=HOLIDAY)
    assert refused.status_code == 400
    assert "verklaring van de werkgever" in refused.content.decode()
    data = form(world, kind=HOLIDAY)
    data["statement"] = SimpleUploadedFile("foto.jpg", PNG, "image/jpeg")  # the bytes decide
    assert client.post(url(link), data).status_code == 302
    assert OnlineLeaveRequest.objects.get().statement_content_type == "image/png"


def test_every_wrong_field_gets_its_own_dutch_message(client, world):
    link = link_of(world)
    response = send(
        client,
        link,
        world=world,
        child_given_names="",
        child_family_name="x" * 201,
        child_birth_date="gisteren",
        parent_name="",
        parent_email="geen-adres",
        kind="ander",
        start_date="2026-02-30",
        end_date="",
        reason="",
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {
        "child_given_names",
        "child_family_name",
        "child_birth_date",
        "parent_name",
        "parent_email",
        "kind",
        "start_date",
        "end_date",
    }
    page = response.content.decode()
    assert "Vul een geldig e-mailadres in" in page
    assert "Kies de soort verlof." in page
    assert not OnlineLeaveRequest.objects.exists()


def test_the_period_is_checked(client, world):
    link = link_of(world)
    backwards = send(
        client,
        link,
        world=world,
        start_date=MONDAY.isoformat(),
        end_date=(MONDAY - dt.timedelta(days=3)).isoformat(),
    )
    assert "De einddatum ligt voor de begindatum." in backwards.content.decode()
    past = send(client, link, world=world, start_date="2020-03-02", end_date="2020-03-03")
    assert "vooraf" in past.content.decode()
    typed = send(
        client,
        link,
        world=world,
        start_date=MONDAY.strftime("%d-%m-%Y"),
        end_date=(MONDAY + dt.timedelta(days=1)).strftime("%d-%m-%Y"),
    )
    assert typed.status_code == 302


# -- the school takes it in ------------------------------------------------------------------------


def _sent(client, world, **changes) -> OnlineLeaveRequest:
    link = link_of(world)
    assert send(client, link, world=world, **changes).status_code == 302
    return OnlineLeaveRequest.objects.latest("pk")


def test_an_unmatched_request_is_linked_by_number_or_refused(
    world, django_capture_on_commit_callbacks
):
    online = _sent(Client(), world, child_birth_date="2013-01-01")
    school = login(Client(), world.school_staff_a)
    page = school.get(reverse("leave:online_detail", args=[online.pk]))
    assert page.context["candidates"] == []
    assert 'data-testid="online-unmatched"' in page.content.decode()
    wrong = school.post(
        reverse("leave:online_link_pupil", args=[online.pk]), {"number": world.child_b.external_id}
    )
    assert wrong.status_code == 400  # another school's pupil is not found
    assert world.child_b.family_name not in wrong.content.decode()
    refused = school.post(reverse("leave:online_refuse", args=[online.pk]), {"note": ""})
    assert refused.status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        school.post(
            reverse("leave:online_refuse", args=[online.pk]), {"note": "Geen leerling hier."}
        )
    online.refresh_from_db()
    assert online.state == OnlineState.GEWEIGERD
    assert "Geen leerling hier." in mail.outbox[0].body
    again = school.post(
        reverse("leave:online_link_pupil", args=[online.pk]), {"number": world.child_a.external_id}
    )
    assert again.status_code == 400
    assert not LeaveRequest.objects.exists()


def test_the_other_school_sees_nothing_of_it(world):
    online = _sent(Client(), world)
    other = login(Client(), world.school_staff_b)
    assert online.reference not in other.get(reverse("leave:online_index")).content.decode()
    for name in ("leave:online_detail", "leave:online_statement"):
        assert other.get(reverse(name, args=[online.pk])).status_code == 404
    assert (
        other.post(
            reverse("leave:online_link_pupil", args=[online.pk]), {"student": world.child_b.pk}
        ).status_code
        == 404
    )


def test_the_statement_is_downloaded_by_the_school_only_and_recorded(world):
    client = Client()
    link = link_of(world)
    data = form(world, kind=HOLIDAY)
    data["statement"] = SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    client.post(url(link), data)
    online = OnlineLeaveRequest.objects.get()
    school = login(Client(), world.school_staff_a)
    response = school.get(reverse("leave:online_statement", args=[online.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export", object_id=str(online.pk)).exists()
    assert Client().get(reverse("leave:online_statement", args=[online.pk])).status_code == 302


def test_a_failed_write_leaves_no_file_behind(world, monkeypatch, tmp_path, settings):
    """Nothing half-written: the statement is stored before the row; when the row's transaction
    fails, the file goes too."""
    link = link_of(world)

    def broken(**kwargs):
        raise RuntimeError("de database viel weg")

    monkeypatch.setattr(public, "audit_record", broken)
    data = form(world, kind=HOLIDAY)
    data["statement"] = SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    with pytest.raises(RuntimeError):
        public.online_request_submit(
            link=link,
            data={
                **{k: v for k, v in data.items() if k != "statement"},
                "child_birth_date": world.child_a.birth_date,
                "start_date": MONDAY,
                "end_date": MONDAY + dt.timedelta(days=2),
            },
            upload=data["statement"],
            ip="10.0.0.1",
        )
    assert not OnlineLeaveRequest.objects.exists()
    uploads = tmp_path / "uploads"
    assert not [p for p in uploads.rglob("*") if p.is_file()]
