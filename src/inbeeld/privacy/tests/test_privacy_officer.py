"""The privacy officer's view (issue 9): per child who looked and why, per user unusual access
(many children in a short time, refused attempts), and the AVG inzage export, audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.services import roles_for
from inbeeld.attendance.tests.factories import PASSWORD, StudentFactory, actor_for
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.audit.services import REFUSED, audit_record_views
from inbeeld.barriers.models import Barrier, BarrierChange
from inbeeld.cases.models import Case, Dispute, DisputeChange
from inbeeld.privacy.selectors import Thresholds, bursts_of

pytestmark = pytest.mark.django_db


def _login(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def test_the_role_exists_at_every_kind_of_organisation():
    for kind in OrganisationType.values:
        assert Role.PRIVACY_OFFICER in roles_for(kind)


def test_the_officer_sees_no_childs_page_and_no_worklist(client, world):
    _login(client, world.officer_a)
    assert client.get(reverse("attendance:student", args=[world.child_a.pk])).status_code == 404
    home = client.get(reverse("attendance:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("privacy:index")
    assert client.get(reverse("attendance:search"), {"q": "Aalders"}).status_code == 403


def test_the_screens_need_review_access(client, world):
    _login(client, world.leerplicht_a)
    for url in (
        reverse("privacy:index"),
        reverse("privacy:children"),
        reverse("privacy:child", args=[world.child_a.pk]),
        reverse("privacy:user", args=[world.leerplicht_a.user.pk]),
        reverse("privacy:inzage", args=[world.child_a.pk, "json"]),
    ):
        assert client.get(url).status_code == 403, url


def test_who_looked_at_a_child_of_the_scope_and_why(client, world):
    audit_record_views(
        actor=actor_for(world.leerplicht_a), students=[world.child_a], summary="werklijst"
    )
    audit_record_views(
        actor=actor_for(world.school_staff_a), students=[world.child_a], summary="zoekresultaat"
    )
    _login(client, world.officer_a)
    page = client.get(reverse("privacy:child", args=[world.child_a.pk])).content.decode()
    history = page[page.index('data-testid="privacy-access-history"') :]
    assert world.leerplicht_a.user.username in history  # own organisation: who and why
    assert "werklijst" in history
    assert world.school_a.organisation.name in history  # another: organisation and kind only
    assert world.school_staff_a.user.username not in history
    assert "zoekresultaat" not in history
    viewed = AuditEvent.objects.filter(user=world.officer_a.user, action=AuditAction.VIEW)
    assert list(viewed.values_list("student_id", flat=True)) == [world.child_a.pk]


def test_finding_a_child_records_every_child_found(client, world):
    _login(client, world.officer_a)
    page = client.get(reverse("privacy:children"), {"q": "Aalders"}).content.decode()
    assert "Noor Aalders" in page
    assert AuditEvent.objects.filter(user=world.officer_a.user, student=world.child_a).exists()
    other = client.get(reverse("privacy:children"), {"q": "Evers"}).content.decode()
    assert "Finn Evers" not in other  # out of the organisation's scope


def test_a_child_out_of_scope_is_404_and_a_refused_attempt(client, world):
    _login(client, world.officer_a)
    out = client.get(reverse("privacy:child", args=[world.child_b.pk]))
    missing = client.get(reverse("privacy:child", args=[999999]))
    assert out.status_code == missing.status_code == 404
    refused = AuditEvent.objects.filter(action=REFUSED, user=world.officer_a.user)
    assert {e.object_id for e in refused} == {str(world.child_b.pk), "999999"}
    assert all(e.student_id is None for e in refused)
    assert not AuditEvent.objects.filter(student=world.child_b).exists()


def test_bursts_of_many_children_within_the_window():
    start = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    thresholds = Thresholds(children=3, window=dt.timedelta(minutes=10), days=30)
    views = [(start + i * minute, child) for i, child in enumerate([1, 1, 2, 3, 4])]
    views.append((start + 60 * minute, 5))  # much later: alone
    peak, bursts = bursts_of(views, thresholds)
    assert peak == 4
    assert len(bursts) == 1
    assert bursts[0].children == 4
    assert bursts[0].start == start
    assert bursts[0].end == start + 4 * minute
    assert bursts_of(views[:3], thresholds) == (2, [])


@override_settings(INBEELD_UNUSUAL_ACCESS_CHILDREN=3, INBEELD_UNUSUAL_ACCESS_MINUTES=60)
def test_unusual_access_per_user_of_the_own_organisation(client, world):
    many = [StudentFactory(municipality_code="GM0001") for _ in range(4)]
    audit_record_views(actor=actor_for(world.leerplicht_a), students=many, summary="werklijst")
    audit_record_views(
        actor=actor_for(world.leerplicht_b), students=[world.child_b], summary="werklijst"
    )
    # a refused attempt: leerplicht A asks for a child of gemeente B
    _login(client, world.leerplicht_a)
    assert client.get(reverse("attendance:student", args=[world.child_b.pk])).status_code == 404
    client.logout()

    _login(client, world.officer_a)
    page = client.get(reverse("privacy:index")).content.decode()
    table = page[page.index('data-testid="access-by-user"') :]
    assert world.leerplicht_a.user.username in table
    assert "ongebruikelijk" in table
    assert world.leerplicht_b.user.username not in table  # another organisation's user

    page = client.get(reverse("privacy:user", args=[world.leerplicht_a.user.pk])).content.decode()
    assert 'data-testid="bursts"' in page
    refused = page[page.index('data-testid="refused"') :]
    assert "attendance:student" in refused
    assert str(world.child_b.pk) in refused
    assert "Finn" not in refused  # the attempt names an id, never the child

    other_user = client.get(reverse("privacy:user", args=[world.leerplicht_b.user.pk]))
    assert other_user.status_code == 404


def test_the_inzage_export_as_json_is_audited(client, world):
    _login(client, world.officer_a)
    response = client.get(reverse("privacy:inzage", args=[world.child_a.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["student"]["family_name"] == "Aalders"
    assert data["student"]["bsn"] == world.child_a.bsn
    assert [e["school"] for e in data["enrolments"]] == [str(world.school_a)]
    assert len(data["absences"]) == 1
    assert data["organisation"] == world.gemeente_a.name
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.student_id == world.child_a.pk
    assert export.user_id == world.officer_a.user.pk
    assert export.detail == {"format": "json"}


def test_the_inzage_export_as_pdf(client, world):
    _login(client, world.school_officer_a)
    response = client.get(reverse("privacy:inzage", args=[world.child_a.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, student=world.child_a).exists()


def test_the_inzage_export_only_in_scope_and_known_formats(client, world):
    _login(client, world.officer_a)
    assert client.get(reverse("privacy:inzage", args=[world.child_b.pk, "json"])).status_code == 404
    assert client.get(reverse("privacy:inzage", args=[world.child_a.pk, "xml"])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_inzage_export_holds_barriers_and_disputes_with_their_history(client, world):
    """Issue 11 §6, §7: a case's barriers and disputes, each with its appended history."""
    case = Case.objects.create(
        student=world.child_a,
        lead_organisation=world.gemeente_a,
        opened_on=dt.date(2025, 9, 1),
        opened_from="anders",
    )
    barrier = Barrier.objects.create(
        case=case,
        kind="leerlingenvervoer",
        state="geweigerd",
        started_on=dt.date(2025, 9, 2),
        state_since=dt.date(2025, 9, 9),
    )
    BarrierChange.objects.create(
        barrier=barrier, to_state="aangevraagd", on=dt.date(2025, 9, 2), step="vastgelegd"
    )
    BarrierChange.objects.create(
        barrier=barrier,
        from_state="aangevraagd",
        to_state="geweigerd",
        on=dt.date(2025, 9, 9),
        step="vervoer geweigerd",
    )
    dispute = Dispute.objects.create(
        case=case, subject="vervoer", body="bezwaar_gemeente", lodged_on=dt.date(2025, 9, 10)
    )
    DisputeChange.objects.create(
        dispute=dispute, step="ingediend", on=dt.date(2025, 9, 10), summary="geschil ingediend"
    )
    _login(client, world.officer_a)
    data = json.loads(
        client.get(reverse("privacy:inzage", args=[world.child_a.pk, "json"])).content
    )
    (exported,) = data["cases"]
    assert [b["kind"] for b in exported["barriers"]] == ["leerlingenvervoer"]
    assert [h["to_state"] for h in exported["barriers"][0]["history"]] == [
        "aangevraagd",
        "geweigerd",
    ]
    assert exported["disputes"][0]["body"] == "bezwaar_gemeente"
    assert [h["step"] for h in exported["disputes"][0]["history"]] == ["ingediend"]
