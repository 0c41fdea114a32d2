"""Worklists (thuiszitters, open meldingen), search and the melding state machine, scoped by
organisation: every list test has two organisations and proves neither sees the other's children."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inbeeld.attendance import services
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import Melding, MeldingEvent, MeldingState
from inbeeld.attendance.selectors import (
    ThuiszitterFilters,
    open_meldingen_count,
    open_meldingen_for,
    students_matching,
    thuiszitters_for,
    thuiszitters_page_for,
)
from inbeeld.attendance.tests.factories import (
    ON,
    AbsenceFactory,
    StudentFactory,
    actor_for,
    pupil,
    truant,
)
from inbeeld.audit.models import AuditAction, AuditEvent

D = dt.date


@pytest.fixture(autouse=True)
def worklists(world):
    """Aalders and Bakker (``world.truant_b``, of school B) truant in the autumn of 2024; Claes
    (``world.lrv_a``, school A) away since 2 Sep; Dekker and Evers at home in gemeente A and B
    (``world.home_a``, ``world.home_b``); the detection run on ``ON``."""
    truant(world.child)
    world.truant_b = truant(pupil(world.school_b, family_name="Bakker"))
    world.lrv_a = pupil(world.school_a, family_name="Claes")
    AbsenceFactory(student=world.lrv_a, start_date=D(2024, 9, 2), end_date=ON)
    world.home_a = StudentFactory(municipality_code="GM0001", family_name="Dekker")
    world.home_b = StudentFactory(municipality_code="GM0002", family_name="Evers")
    detection_run(on=ON)


def _names(rows):
    return {row.student.family_name for row in rows}


def test_thuiszitters_are_scoped_per_organisation(world):
    assert _names(thuiszitters_for(actor=actor_for(world.leerplicht_a))) == {"Claes", "Dekker"}
    assert _names(thuiszitters_for(actor=actor_for(world.leerplicht_b))) == {"Evers"}
    # a school sees its own enrolled pupils only; the child at home belongs to no school
    assert _names(thuiszitters_for(actor=actor_for(world.school_staff_a))) == {"Claes"}
    assert _names(thuiszitters_for(actor=actor_for(world.school_staff_b))) == set()
    # a beleidsmedewerker sees no child
    assert list(thuiszitters_for(actor=actor_for(world.beleid_a))) == []


def test_thuiszitters_filter_and_sort(world):
    actor = actor_for(world.leerplicht_a)
    only_lrv = thuiszitters_for(
        actor=actor, filters=ThuiszitterFilters(category="langdurig_relatief_verzuim")
    )
    assert _names(only_lrv) == {"Claes"}
    long = thuiszitters_for(actor=actor, filters=ThuiszitterFilters(over_3_months=True))
    assert _names(long) == {"Dekker"}
    by_name = [r.student.family_name for r in thuiszitters_for(actor=actor, sort="-name")]
    assert by_name == ["Dekker", "Claes"]
    by_duration = [r.student.family_name for r in thuiszitters_for(actor=actor, sort="duration")]
    assert by_duration == ["Dekker", "Claes"]
    rows = list(thuiszitters_for(actor=actor, filters=ThuiszitterFilters(school="linde")))
    assert _names(rows) == {"Claes"}
    assert rows[0].school_name == "De Linde"
    assert rows[0].school_days_at_home == 45  # 10 weeks less the herfstvakantie (zuid)


def test_open_meldingen_are_scoped_per_organisation(world):
    def rules(membership):
        return {
            (m.student.family_name, m.rule) for m in open_meldingen_for(actor=actor_for(membership))
        }

    assert rules(world.leerplicht_a) == {
        ("Aalders", "16_uur"),
        ("Claes", "16_uur"),
        ("Claes", "lrv"),
        ("Dekker", "absoluut_verzuim"),
    }
    assert rules(world.leerplicht_b) == {("Bakker", "16_uur"), ("Evers", "absoluut_verzuim")}
    assert rules(world.school_staff_a) == {
        ("Aalders", "16_uur"),
        ("Claes", "16_uur"),
        ("Claes", "lrv"),
    }
    assert rules(world.school_staff_b) == {("Bakker", "16_uur")}
    assert rules(world.beleid_a) == set()


def test_closed_meldingen_leave_the_worklist(world):
    actor = actor_for(world.leerplicht_a)
    melding = Melding.objects.get(student=world.child)
    services.melding_acknowledge(actor=actor, melding_id=melding.pk)
    assert melding not in open_meldingen_for(actor=actor)


def test_the_worklist_count_follows_handling_and_new_runs_at_once(world):
    """The pager's count is cached, but a handled melding or a new run changes it at once."""
    actor = actor_for(world.leerplicht_a)
    before = open_meldingen_for(actor=actor).count()
    assert before > 0
    assert open_meldingen_count(actor=actor) == before
    other = actor_for(world.leerplicht_b)
    assert open_meldingen_count(actor=other) == open_meldingen_for(actor=other).count() != before
    melding = Melding.objects.get(student=world.child)
    services.melding_close(actor=actor, melding_id=melding.pk, closing_reason="geen_verzuim")
    assert open_meldingen_count(actor=actor) == before - 1
    late = pupil(world.school_a, family_name="Fransen")
    truant(late)
    detection_run(on=ON)
    assert open_meldingen_count(actor=actor) == before


def test_the_thuiszitters_page_is_cached_until_something_changes(world):
    actor = actor_for(world.leerplicht_a)

    def names():
        page = thuiszitters_page_for(
            actor=actor, filters=ThuiszitterFilters(), sort="since", number=1, per_page=25
        )
        assert page.count == len(page.rows)
        return {row.student.family_name for row in page.rows}

    before = names()
    assert before == {row.student.family_name for row in thuiszitters_for(actor=actor)}
    gone = StudentFactory(municipality_code="GM0001", family_name="Gerritsen")
    assert names() == before  # nothing ran yet: the cached page stands
    detection_run(on=ON)
    assert names() == before | {"Gerritsen"}
    assert gone.pk in {row.student_id for row in thuiszitters_for(actor=actor)}


def test_search_within_scope(world):
    actor_a = actor_for(world.leerplicht_a)
    assert [s.family_name for s in students_matching(actor=actor_a, query="aalders")] == ["Aalders"]
    assert students_matching(actor=actor_a, query="Bakker") == []  # gemeente B's child
    assert students_matching(actor=actor_a, query=world.child.bsn) == [world.child]
    assert students_matching(actor=actor_a, query=world.truant_b.bsn) == []
    assert students_matching(actor=actor_a, query=world.child.external_id) == [world.child]
    actor_b = actor_for(world.leerplicht_b)
    assert students_matching(actor=actor_b, query=world.child.external_id) == []
    assert students_matching(actor=actor_for(world.beleid_a), query="Aalders") == []


# -- the state machine ---------------------------------------------------------------------------


def test_take_in_handling_then_close(world):
    actor = actor_for(world.leerplicht_a)
    melding = Melding.objects.get(student=world.child, rule="16_uur")
    services.melding_take_in_handling(actor=actor, melding_id=melding.pk, note="gebeld")
    melding = services.melding_close(
        actor=actor, melding_id=melding.pk, closing_reason="terug_naar_school"
    )
    assert melding.state == MeldingState.AFGESLOTEN
    assert melding.closing_reason == "terug_naar_school"
    events = list(MeldingEvent.objects.filter(melding=melding))
    assert [(e.state, e.closing_reason) for e in events] == [
        ("in_behandeling", ""),
        ("afgesloten", "terug_naar_school"),
    ]
    assert events[0].note == "gebeld"
    assert events[0].organisation == world.gemeente_a
    audits = AuditEvent.objects.filter(action=AuditAction.UPDATE, student=world.child)
    assert audits.count() == 2


def test_refused_transitions(world):
    actor = actor_for(world.leerplicht_a)
    melding = Melding.objects.get(student=world.child, rule="16_uur")
    with pytest.raises(services.TransitionNotAllowedError):
        services.melding_close(actor=actor, melding_id=melding.pk, closing_reason="")
    with pytest.raises(services.TransitionNotAllowedError):
        services.melding_close(actor=actor, melding_id=melding.pk, closing_reason="onzin")
    services.melding_acknowledge(actor=actor, melding_id=melding.pk)
    for action in (services.melding_take_in_handling, services.melding_acknowledge):
        with pytest.raises(services.TransitionNotAllowedError):
            action(actor=actor, melding_id=melding.pk)
    with pytest.raises(services.TransitionNotAllowedError):
        services.melding_close(actor=actor, melding_id=melding.pk, closing_reason="overig")
    melding.refresh_from_db()
    assert melding.state == MeldingState.TER_KENNISNEMING
    assert MeldingEvent.objects.filter(melding=melding).count() == 1


def test_only_the_own_worklist_and_with_permission(world):
    melding_b = Melding.objects.get(student=world.truant_b, rule="16_uur")
    with pytest.raises(services.MeldingNotFoundError):
        services.melding_take_in_handling(
            actor=actor_for(world.leerplicht_a), melding_id=melding_b.pk
        )
    mazl_free_a = Melding.objects.get(student=world.home_a)  # routed to the gemeente only
    with pytest.raises(services.MeldingNotFoundError):
        services.melding_acknowledge(
            actor=actor_for(world.school_staff_a), melding_id=mazl_free_a.pk
        )
    with pytest.raises(PermissionDenied):
        services.melding_acknowledge(actor=actor_for(world.beleid_a), melding_id=mazl_free_a.pk)
    assert not MeldingEvent.objects.exists()


def test_transition_table_is_complete():
    assert set(services.TRANSITIONS) == set(MeldingState.values)
    assert services.TRANSITIONS[MeldingState.AFGESLOTEN] == frozenset()
    assert MeldingState.IN_BEHANDELING not in services.TRANSITIONS[MeldingState.IN_BEHANDELING]
