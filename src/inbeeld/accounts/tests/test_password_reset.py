"""Finding 8: no password reset. Now a link by e-mail (INBEELD_BASE_URL), the same answer for an
unknown address as for a known one, audited."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from inbeeld.accounts.tests.factories import MembershipFactory
from inbeeld.audit.models import AuditEvent

NEW_PASSWORD = "paars-fietsrek-onder-water"


def _ask(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


@pytest.mark.django_db
def test_a_reset_link_by_e_mail_sets_a_new_password(client, settings):
    settings.INBEELD_BASE_URL = "https://inbeeld.example.nl"
    user = MembershipFactory(user__email="lotte@example.nl").user
    response = _ask(client, "Lotte@example.nl")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lotte@example.nl"]
    assert message.subject == "Nieuw wachtwoord voor Inbeeld"
    link = re.search(r"https://inbeeld\.example\.nl(/\S+)", message.body)
    assert link, message.body
    assert user.username in message.body

    page = client.get(link[1], follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    refused = client.post(form_url, {"new_password": "groningen1", "repeated": "groningen1"})
    assert refused.status_code == 400
    assert "bekend woord (groningen)" in refused.content.decode()
    done = client.post(form_url, {"new_password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(user=user, detail__password_reset=True).exists()
    # the link works once
    again = client.get(link[1], follow=True)
    assert 'data-testid="reset-link-invalid"' in again.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    MembershipFactory(user__email="lotte@example.nl")
    known = _ask(client, "lotte@example.nl")
    unknown = _ask(client, "niemand@example.nl")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    requests = AuditEvent.objects.filter(detail__password_reset_requested=True).order_by("pk")
    assert [e.detail["users"] for e in requests] == [1, 0]
    done = client.get(reverse("accounts:password_reset_done"))
    assert 'data-testid="reset-sent"' in done.content.decode()


@pytest.mark.django_db
def test_a_malformed_address_gets_a_clear_message(client):
    response = _ask(client, "geen-adres")
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not mail.outbox
