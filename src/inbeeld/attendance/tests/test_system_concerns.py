"""The system's own concerns for long absence (issue 4 §1): detection finds the candidates (its
meldingen lrv and 16_uur, children in absoluut verzuim for over three months) and the concerns
service registers them, once, in the detection's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import DetectionRun, Melding, StudentStatus
from inbeeld.attendance.selectors import system_concern_candidates
from inbeeld.audit.models import AuditEvent
from inbeeld.concerns.models import Concern, Match, SystemReason
from inbeeld.concerns.services import concern_withdraw, register_system_concerns
from inbeeld.concerns.tests.conftest import ON, register, world  # noqa: F401 (a fixture)
from inbeeld.notifications.models import Notification
from inbeeld.people.models import Involvement
from inbeeld.people.tests.factories import StudentFactory

D = dt.date


def _at_home_since_september(run):
    """A child in absoluut verzuim since 1 September 2024, for over three months on ``ON``."""
    away = StudentFactory(municipality_code="GM0014", bsn=None)
    StudentStatus.objects.create(
        student=away,
        run=run,
        on_date=ON,
        duty="leerplicht",
        leerplicht_start=D(2017, 6, 1),
        leerplicht_end=D(2029, 7, 31),
        category="absoluut_verzuim",
        since=D(2024, 9, 1),
        over_3_months=True,
    )
    return away


def _register(*, on, melding_ids=None):
    """What detection does: its candidates, registered by the concerns service."""
    return register_system_concerns(
        on=on, candidates=system_concern_candidates(on=on, melding_ids=melding_ids)
    )


def _melding(student, rule, start, end, run):
    return Melding.objects.create(
        student=student, rule=rule, start_date=start, end_date=end, first_run=run
    )


def test_system_concerns_for_lrv_16_uur_and_long_absoluut_verzuim_are_idempotent(
    world,  # noqa: F811 (the fixture)
    django_capture_on_commit_callbacks,
):
    run = DetectionRun.objects.create(on_date=ON)
    lrv = _melding(world.pupil, "lrv", D(2025, 2, 3), D(2025, 3, 3), run)
    _melding(world.pupil, "mazl_7_dagen", D(2025, 2, 3), D(2025, 2, 11), run)  # not a concern
    other = StudentFactory(municipality_code="GM0014", bsn=None)
    _melding(other, "16_uur", D(2025, 1, 6), D(2025, 2, 24), run)
    away = _at_home_since_september(run)
    nowhere = StudentFactory(
        municipality_code="GM9999", bsn=None
    )  # no gemeente organisation: skipped
    _melding(nowhere, "lrv", D(2025, 2, 3), D(2025, 3, 3), run)
    school_concern = register(world, "zorg", on=D(2025, 1, 15), domain="school")

    with django_capture_on_commit_callbacks(execute=True):
        assert _register(on=ON) == 3
    system = Concern.objects.filter(system=True)
    assert {(c.student_id, c.system_reason) for c in system} == {
        (world.pupil.pk, SystemReason.LRV),
        (other.pk, SystemReason.SIXTEEN_HOURS),
        (away.pk, SystemReason.ABSOLUUT_VERZUIM),
    }
    assert all(c.urgent and c.domain == "school" and c.user is None for c in system)
    assert all(c.organisation == world.gemeente for c in system)
    assert not Involvement.objects.exists()  # the gemeente sees its children by its own scope
    assert {(c.bsn, c.birth_date) for c in system if c.student == world.pupil} == {
        (world.pupil.bsn, world.pupil.birth_date)
    }
    # the school's concern about the pupil matches the system's: school and leerplicht are told
    match = Match.objects.get()
    assert match.concern_a == school_concern
    told = set(Notification.objects.values_list("user", flat=True))
    assert told == {world.zorg.user.pk, world.zorg_2.user.pk, world.leerplicht.user.pk}
    assert all("Sanne" not in m.body for m in mail.outbox)

    # again, and with only the melding's id: nothing new
    assert _register(on=ON) == 0
    assert _register(on=ON, melding_ids=[lrv.pk]) == 0
    # a new lrv melding while the system concern is active adds nothing either
    _melding(world.pupil, "lrv", D(2025, 3, 4), D(2025, 4, 1), run)
    assert _register(on=D(2025, 4, 2)) == 0
    assert Concern.objects.filter(system=True).count() == 3
    assert Match.objects.count() == 1


def test_a_withdrawn_system_concern_is_not_registered_again_for_the_same_absence(world):  # noqa: F811 (the fixture)
    run = DetectionRun.objects.create(on_date=ON)
    _melding(world.pupil, "16_uur", D(2025, 1, 6), D(2025, 2, 24), run)
    assert _register(on=ON) == 1
    concern = Concern.objects.get(system=True)
    concern_withdraw(actor=world.actor("leerplicht"), concern=concern, on=ON)
    assert _register(on=ON + dt.timedelta(days=7)) == 0
    # absence after the withdrawal is a new concern
    _melding(world.pupil, "lrv", D(2025, 3, 17), D(2025, 4, 14), run)
    assert _register(on=D(2025, 4, 15)) == 1


def test_detection_run_registers_system_concerns(world):  # noqa: F811 (the fixture)
    away = StudentFactory(
        municipality_code="GM0014", birth_date=D(2013, 4, 1), bsn=None
    )  # not enrolled
    call_command("detect", "--on", "2025-03-10", "--quiet")
    concern = Concern.objects.get(system=True, student=away)
    assert concern.system_reason == SystemReason.ABSOLUUT_VERZUIM
    call_command("detect", "--on", "2025-03-11", "--quiet")
    assert Concern.objects.filter(system=True, student=away).count() == 1


def test_system_concern_actor_none_in_audit(world):  # noqa: F811 (the fixture)
    run = DetectionRun.objects.create(on_date=ON)
    _melding(world.pupil, "lrv", D(2025, 2, 3), D(2025, 3, 3), run)
    _register(on=ON)
    event = AuditEvent.objects.get(summary__contains="door het systeem")
    assert event.user is None
    assert event.detail["by_reason"] == {"lrv": 1}


def test_the_candidates_are_lrv_and_16_uur_meldingen_and_long_absoluut_verzuim(world):  # noqa: F811 (the fixture)
    run = DetectionRun.objects.create(on_date=ON)
    lrv = _melding(world.pupil, "lrv", D(2025, 2, 3), D(2025, 3, 3), run)
    _melding(world.pupil, "mazl_7_dagen", D(2025, 2, 3), D(2025, 2, 11), run)
    _melding(world.pupil, "16_uur", D(2022, 9, 5), D(2022, 10, 3), run)  # over two years ago
    _melding(world.pupil, "16_uur", D(2025, 3, 3), D(2025, 3, 17), run)  # ends after ``on``
    away = _at_home_since_september(run)
    melding = (
        world.pupil.pk,
        SystemReason.LRV,
        D(2025, 3, 3),
        f"melding:lrv:{world.pupil.pk}:2025-02-03:2025-03-03",
    )
    status = (
        away.pk,
        SystemReason.ABSOLUUT_VERZUIM,
        ON,
        f"status:absoluut_verzuim:{away.pk}:2024-09-01",
    )
    assert [(c.student_id, c.reason, c.about, c.key) for c in system_concern_candidates(on=ON)] == [
        melding,
        status,
    ]
    # detection passes its new meldingen only; the children at home always
    assert [c.key for c in system_concern_candidates(on=ON, melding_ids=[])] == [status[3]]
    assert [c.key for c in system_concern_candidates(on=ON, melding_ids=[lrv.pk])] == [
        melding[3],
        status[3],
    ]


def test_a_failed_registration_undoes_the_run_and_the_next_run_repairs_it(world, monkeypatch):  # noqa: F811 (the fixture)
    away = StudentFactory(municipality_code="GM0014", birth_date=D(2013, 4, 1), bsn=None)

    def broken(**_kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("inbeeld.attendance.detection.register_system_concerns", broken)
    with pytest.raises(RuntimeError):
        detection_run(on=ON)
    assert not DetectionRun.objects.exists()
    assert not Melding.objects.exists()
    assert not StudentStatus.objects.exists()
    monkeypatch.undo()
    run = detection_run(on=ON)
    assert run.counts["meldingen_new"] >= 1
    concern = Concern.objects.get(system=True, student=away)
    assert concern.system_reason == SystemReason.ABSOLUUT_VERZUIM
    detection_run(on=ON)  # again: nothing twice
    assert Concern.objects.filter(system=True, student=away).count() == 1
