"""Finding 10 (idle part): a session lived 8 hours whatever happened. Now it also ends after
INBEELD_SESSION_IDLE_SECONDS (30 minutes) without a request; the next request goes to the login
page with a message, and the end is audited."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.tests.factories import MembershipFactory
from inbeeld.audit.models import AuditEvent


@pytest.mark.django_db
def test_a_session_ends_after_30_minutes_without_a_request(client, settings):
    assert settings.INBEELD_SESSION_IDLE_SECONDS == 30 * 60
    user = MembershipFactory().user
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(user)
        assert client.get(reverse("attendance:search")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("attendance:search")).status_code == 200  # activity resets
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("attendance:search")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("attendance:search"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login") + "?next=")
    page = response.content.decode()
    assert "30 minuten niet actief en bent daarom uitgelogd" in page
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="logout")
    assert event.user == user
    assert event.detail == {"idle_timeout": True}


@pytest.mark.django_db
def test_the_idle_timeout_is_configurable_and_answers_the_api_in_json(client, settings):
    settings.INBEELD_SESSION_IDLE_SECONDS = 60
    user = MembershipFactory().user
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(user)
        assert client.get("/api/v1/students").status_code == 200
        traveller.shift(dt.timedelta(seconds=61))
        response = client.get("/api/v1/students")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "1 minuten niet actief" in response.json()["title"]
