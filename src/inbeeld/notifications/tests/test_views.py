"""The notifications screens: list, open (marks read, goes where it leads), e-mail settings."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.notifications.models import EmailPreference, Notification, NotificationKind
from inbeeld.notifications.services import notify
from inbeeld.people.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory


@pytest.fixture
def member(db):
    return MembershipFactory(
        organisation=OrganisationFactory(type=OrganisationType.GGD, code="GGD1", name="GGD"),
        role=Role.JEUGDARTS,
    )


@pytest.fixture
def other(db):
    return MembershipFactory(role=Role.LEERPLICHTAMBTENAAR)


def _login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def _notify(user, title, url="/zorgen/", kind=NotificationKind.MATCH):
    return notify(users=[user], kind=kind, title=title, url=url)[0]


def test_list_newest_first_and_unread_marked(client, member, other):
    _notify(member.user, "Eerste bericht")
    read = _notify(member.user, "Tweede bericht")
    read.read_at = read.created_at
    read.save()
    _notify(member.user, "Derde bericht")
    _notify(other.user, "Niet van u")
    body = _login(client, member).get(reverse("notifications:index")).content.decode()
    assert body.index("Derde bericht") < body.index("Tweede bericht") < body.index("Eerste")
    assert "Niet van u" not in body
    assert "<strong>Derde bericht</strong>" in body
    assert "<strong>Tweede bericht</strong>" not in body
    assert "U hebt 2 ongelezen berichten." in body
    assert 'data-testid="unread-count">(2' in body


def test_opening_marks_read_and_redirects(client, member):
    notification = _notify(member.user, "Match", url="/zorgen/#match-1")
    response = _login(client, member).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/zorgen/#match-1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_an_outside_url_stays_in_inbeeld(client, member):
    notification = _notify(member.user, "Vreemd", url="https://evil.example/")
    response = _login(client, member).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:index")
    notification = _notify(member.user, "Ook vreemd", url="//evil.example/")
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:index")


def test_someone_elses_notification_is_not_found(client, member, other):
    notification = _notify(other.user, "Niet van u")
    response = _login(client, member).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client, member, other):
    _notify(member.user, "A")
    _notify(member.user, "B")
    theirs = _notify(other.user, "C")
    _login(client, member)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(user=member.user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_login_required(client, db):
    response = client.get(reverse("notifications:index"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_settings_a_checkbox_per_kind_and_saved(client, member, django_capture_on_commit_callbacks):
    _login(client, member)
    page = client.get(reverse("notifications:settings")).content.decode()
    for kind in NotificationKind.values:
        assert f'name="{kind}"' in page
        assert f'for="id_{kind}"' in page
    assert page.count("checked") == len(NotificationKind.values)  # default: all by e-mail
    # keep only team and escalation by e-mail
    response = client.post(reverse("notifications:settings"), {"team": "on", "escalation": "on"})
    assert response.status_code == 302
    stored = dict(EmailPreference.objects.filter(user=member.user).values_list("kind", "by_email"))
    assert stored == {kind: kind in ("team", "escalation") for kind in NotificationKind.values}
    page = client.get(reverse("notifications:settings")).content.decode()
    assert page.count("checked") == 2
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member.user, "Match zonder e-mail")
        _notify(member.user, "Team met e-mail", kind=NotificationKind.TEAM)
    assert [m.subject for m in mail.outbox] == ["Inbeeld: Team met e-mail"]


def test_unread_count_only_counted_when_shown(client, member, django_assert_max_num_queries):
    from django.test import RequestFactory

    from inbeeld.notifications.context_processors import unread

    _notify(member.user, "A")
    request = RequestFactory().get("/")
    request.user = member.user
    context = unread(request)
    with django_assert_max_num_queries(0):
        unread(request)
    assert context["unread_notifications"]() == 1
    with django_assert_max_num_queries(0):
        assert context["unread_notifications"]() == 1
