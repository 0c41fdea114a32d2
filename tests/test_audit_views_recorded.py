"""``audit_record_views`` and ``children_shown``: one event per distinct child shown, each naming it
(issue 9 finding 7), and refused attempts recorded without a child.

Here, above the apps, rather than in ``audit/tests``: the audit app sits below accounts and people,
whose models these tests need (import-linter layers; ``apps.get_model`` is no way round them)."""

from __future__ import annotations

import pytest

from inbeeld.audit.models import AuditEvent
from inbeeld.audit.services import (
    REFUSED,
    audit_record_refused,
    audit_record_views,
    children_shown,
)
from inbeeld.people.tests.factories import StudentFactory
from tests import build

pytestmark = pytest.mark.django_db


def _actor():
    """A leerplichtambtenaar of a gemeente, acting there."""
    return build.actor_for(build.person(build.gemeente()))


def test_one_event_per_distinct_child_naming_it():
    actor = _actor()
    a, b = StudentFactory(), StudentFactory()
    events = audit_record_views(
        actor=actor, students=[a, b.pk, a, None], summary="lijst", object_type="x.Y"
    )
    assert len(events) == 2
    rows = AuditEvent.objects.filter(summary="lijst")
    assert {e.student_id for e in rows} == {a.pk, b.pk}
    for event in rows:
        assert event.action == "view"
        assert event.user_id == actor.user.pk
        assert event.organisation_id == actor.organisation.pk
        assert event.ip == actor.ip
        assert event.object_type == "x.Y"


def test_nothing_shown_writes_nothing():
    actor = _actor()
    assert audit_record_views(actor=actor, students=[], summary="leeg") == []
    assert not AuditEvent.objects.exists()


def test_children_shown_returns_the_rows_it_recorded():
    actor = _actor()
    a, b = StudentFactory(), StudentFactory()
    rows = [{"student": a.pk}, {"student": b.pk}]
    shown = children_shown(
        actor=actor, rows=iter(rows), student=lambda row: row["student"], summary="werklijst"
    )
    assert shown == rows
    assert set(AuditEvent.objects.values_list("student_id", flat=True)) == {a.pk, b.pk}


def test_a_refused_attempt_names_the_object_and_no_child():
    actor = _actor()
    child = StudentFactory()
    audit_record_refused(
        actor=actor, object_type="attendance:student", object_id=str(child.pk), summary="geweigerd"
    )
    event = AuditEvent.objects.get()
    assert event.action == REFUSED
    assert event.student_id is None
    assert (event.object_type, event.object_id) == ("attendance:student", str(child.pk))
