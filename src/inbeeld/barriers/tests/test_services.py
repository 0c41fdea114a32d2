"""Writes of barriers: states with dates, the appended history (who, when), the audit event in the
same transaction, scope (only who works on the case), refusals that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inbeeld.audit.models import AuditEvent
from inbeeld.barriers import selectors, services
from inbeeld.barriers.models import Barrier, BarrierChange
from inbeeld.cases import services as case_services
from inbeeld.cases.models import ClosingReason

D = dt.date
pytestmark = pytest.mark.django_db


def _add(world, case, kind="leerlingenvervoer", by=None, **data):
    return services.barrier_add(
        actor=world.actor(by or world.leerplicht_a),
        case=case,
        kind=kind,
        **{"started_on": D(2025, 9, 25), **data},
    )


def _move(world, barrier, to, on, by=None, **data):
    return services.barrier_change(
        actor=world.actor(by or world.leerplicht_a), barrier=barrier, to=to, on=on, **data
    )


def test_transport_through_every_state_with_history_and_audit(world, case):
    barrier = _add(world, case, provider="Gemeente A, leerlingenvervoer")
    assert (barrier.state, barrier.started_on, barrier.ended_on) == (
        "aangevraagd",
        D(2025, 9, 25),
        None,
    )
    _move(world, barrier, "geweigerd", D(2025, 10, 1))
    _move(world, barrier, "bezwaar", D(2025, 10, 3), note="ouders maken bezwaar")
    _move(world, barrier, "geweigerd", D(2025, 11, 1))
    _move(world, barrier, "aangevraagd", D(2025, 11, 2), note="nieuwe aanvraag met advies")
    _move(world, barrier, "toegekend", D(2025, 11, 10))
    barrier = _move(world, barrier, "geregeld", D(2025, 11, 17))
    assert (barrier.state, barrier.state_since, barrier.ended_on) == (
        "geregeld",
        D(2025, 11, 17),
        D(2025, 11, 17),
    )
    assert not barrier.is_open
    history = list(barrier.changes.values_list("from_state", "to_state", "on"))
    assert history == [
        ("", "aangevraagd", D(2025, 9, 25)),
        ("aangevraagd", "geweigerd", D(2025, 10, 1)),
        ("geweigerd", "bezwaar", D(2025, 10, 3)),
        ("bezwaar", "geweigerd", D(2025, 11, 1)),
        ("geweigerd", "aangevraagd", D(2025, 11, 2)),
        ("aangevraagd", "toegekend", D(2025, 11, 10)),
        ("toegekend", "geregeld", D(2025, 11, 17)),
    ]
    assert set(barrier.changes.values_list("user", flat=True)) == {world.leerplicht_a.user_id}
    assert barrier.changes.get(to_state="bezwaar").note == "ouders maken bezwaar"
    events = AuditEvent.objects.filter(object_type="barriers.Barrier", object_id=str(barrier.pk))
    assert events.count() == 7
    assert set(events.values_list("student_id", flat=True)) == {world.child.pk}


@pytest.mark.parametrize("kind", ["wachtlijst", "geen_passende_plek", "digitaal_onderwijs"])
@pytest.mark.parametrize("end", ["opgelost", "vervallen"])
def test_other_kinds_open_then_end(world, case, kind, end):
    barrier = _add(world, case, kind=kind)
    assert barrier.state == "open"
    barrier = _move(world, barrier, end, D(2025, 10, 5))
    assert (barrier.state, barrier.ended_on) == (end, D(2025, 10, 5))
    with pytest.raises(ValidationError):
        _move(world, barrier, "open", D(2025, 10, 6))


def test_other_needs_a_description(world, case):
    with pytest.raises(ValidationError) as refused:
        _add(world, case, kind="anders")
    assert "description" in refused.value.message_dict
    assert _add(world, case, kind="anders", description="geen begeleider").state == "open"


def test_a_move_the_workflow_refuses_writes_nothing(world, case):
    barrier = _add(world, case)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _move(world, barrier, "geregeld", D(2025, 10, 1))
    assert "to" in refused.value.message_dict
    barrier.refresh_from_db()
    assert barrier.state == "aangevraagd"
    assert barrier.changes.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("on", "field"),
    [(D(2025, 9, 24), "on"), (timezone.localdate() + dt.timedelta(days=1), "on")],
)
def test_dates_before_the_latest_change_or_in_the_future_are_refused(world, case, on, field):
    barrier = _add(world, case)
    with pytest.raises(ValidationError) as refused:
        _move(world, barrier, "toegekend", on)
    assert field in refused.value.message_dict
    assert BarrierChange.objects.filter(barrier=barrier).count() == 1


def test_unknown_kind_long_text_and_future_start_are_refused(world, case):
    for data, field in (
        ({"kind": "taxi"}, "kind"),
        ({"provider": "x" * 201}, "provider"),
        ({"description": "x" * 301}, "description"),
        ({"started_on": timezone.localdate() + dt.timedelta(days=1)}, "started_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            _add(world, case, **data)
        assert field in refused.value.message_dict
    assert not Barrier.objects.exists()


def test_the_team_may_record_and_change(world, case):
    world.add_member(case)
    barrier = _add(world, case, kind="wachtlijst", by=world.jeugdarts, provider="Accare")
    _move(world, barrier, "opgelost", D(2025, 12, 1), by=world.jeugdarts)
    assert barrier.changes.last().organisation == world.ggd


def test_out_of_scope_is_refused_and_sees_nothing(world, case):
    barrier = _add(world, case)
    for outsider in (world.leerplicht_b, world.jeugdarts, world.school_staff_b):
        actor = world.actor(outsider)
        with pytest.raises(PermissionDenied):
            services.barrier_add(actor=actor, case=case, kind="wachtlijst")
        with pytest.raises(PermissionDenied):
            services.barrier_change(actor=actor, barrier=barrier, to="toegekend")
        assert not selectors.barriers_for(actor=actor).exists()
        assert selectors.barrier_for(actor=actor, pk=barrier.pk) is None
    barrier.refresh_from_db()
    assert barrier.state == "aangevraagd"
    assert Barrier.objects.count() == 1


def test_a_closed_case_takes_no_new_barrier_but_its_barriers_still_change(world, case):
    barrier = _add(world, case)
    case_services.case_close(
        actor=world.actor(world.leerplicht_a),
        case=case,
        reason=ClosingReason.MOVED,
        confirmed=True,
        on=D(2025, 10, 1),
    )
    with pytest.raises(ValidationError):
        _add(world, case, kind="wachtlijst")
    assert _move(world, barrier, "vervallen", D(2025, 10, 2)).state == "vervallen"
