"""Finding 8: 25 wrong passwords and then the right one logged in. Now a username is locked from
one address after INBEELD_LOGIN_FAILURE_LIMIT failures, with a Dutch message, audited."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.tests.factories import PASSWORD, MembershipFactory
from inbeeld.audit.models import AuditEvent

IP = "203.0.113.9"


def _try(client, username, password, ip=IP):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_25_wrong_passwords_then_the_right_one_does_not_log_in(client):
    user = MembershipFactory().user
    for _ in range(25):
        _try(client, user.username, "fout-wachtwoord-123")
    response = _try(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "te vaak een verkeerd wachtwoord" in page
    assert "15 minuten geblokkeerd" in page


@pytest.mark.django_db
def test_the_lock_starts_at_the_limit_and_ends_after_the_cool_off(client, settings):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, user.username, "fout-wachtwoord-123").status_code == 200
    assert _try(client, user.username, "fout-wachtwoord-123").status_code == 429
    assert _try(client, user.username, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME * 1.1):
        response = _try(client, user.username, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_the_lock_is_per_username_and_address(client, settings):
    locked = MembershipFactory().user
    other = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, locked.username, "fout-wachtwoord-123")
    assert _try(client, locked.username, PASSWORD).status_code == 429
    assert _try(client, other.username, PASSWORD).status_code == 302
    client.logout()
    assert _try(client, locked.username, PASSWORD, ip="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_the_count_again(client, settings):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, user.username, "fout-wachtwoord-123")
    assert _try(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, user.username, "fout-wachtwoord-123")
    assert _try(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_and_the_lock_are_audited(client, settings):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _try(client, user.username, "fout-wachtwoord-123")
    failed = AuditEvent.objects.filter(action="login_failed", user=user)
    assert failed.filter(detail={}).count() == settings.AXES_FAILURE_LIMIT + 1
    locked = failed.filter(detail__locked_out=True)
    assert locked.count() == 2  # the attempt that reached the limit and the one after it
    assert all(event.ip == IP and "geblokkeerd" in event.summary for event in locked)
