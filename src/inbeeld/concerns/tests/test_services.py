"""Registering, matching (once, both told, no child's name by e-mail), withdrawing, system concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.audit.models import AuditEvent
from inbeeld.concerns import selectors, services
from inbeeld.concerns.models import Concern, Match, SystemConcernCandidate, SystemReason
from inbeeld.concerns.tests.conftest import ON, register
from inbeeld.notifications.models import Notification, NotificationKind
from inbeeld.people.models import Involvement
from inbeeld.people.selectors import student_for
from inbeeld.people.tests.factories import StudentFactory

D = dt.date


def test_register_records_dates_what_was_entered_and_audit_but_no_involvement(world):
    concern = register(world, "jeugdarts", on=ON, urgent=True)
    assert concern.registered_on == ON
    assert concern.active_until == D(2027, 3, 10)
    assert concern.delete_after == D(2030, 3, 10)
    assert concern.organisation == world.ggd
    assert concern.user == world.jeugdarts.user
    assert (concern.bsn, concern.birth_date) == (world.pupil.bsn, world.pupil.birth_date)
    assert concern.student == world.pupil  # linked, for matching only
    assert not Involvement.objects.exists()  # issue 9: a concern gives no sight
    event = AuditEvent.objects.get(object_type="concerns.Concern", object_id=str(concern.pk))
    assert event.action == "create"
    assert event.student_id == world.pupil.pk
    assert event.user == world.jeugdarts.user
    assert concern.new_matches == []


def test_register_on_29_february_ends_on_28_february():
    from inbeeld.concerns.models import add_years

    assert add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_registering_gives_ggd_no_sight_of_the_child(world):
    ggd = world.actor("jeugdarts")
    assert student_for(actor=ggd, pk=world.pupil.pk) is None
    register(world, "jeugdarts")
    assert student_for(actor=ggd, pk=world.pupil.pk) is None


def test_second_organisation_matches_once_and_both_are_told(
    world, django_capture_on_commit_callbacks
):
    first = register(world, "zorg", on=ON, domain="school")
    assert Match.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        second = register(world, "jeugdarts", on=ON + dt.timedelta(days=3), urgent=True)
    assert len(second.new_matches) == 1
    match = Match.objects.get()
    assert (match.concern_a, match.concern_b) == (first, second)
    told = set(
        Notification.objects.filter(kind=NotificationKind.MATCH).values_list("user", flat=True)
    )
    # both registering users and the colleagues who work on cases; not the functioneel beheerder
    assert told == {world.zorg.user.pk, world.zorg_2.user.pk, world.jeugdarts.user.pk}
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Sanne" not in text
        assert "Bakker" not in text
        assert world.pupil.bsn not in text
        assert "/zorgen/#match-" in message.body
    school_mail = next(m for m in mail.outbox if m.to == [world.zorg.user.email])
    assert "GGD Groningen" in school_mail.body
    # a third concern of the school again: a new pair, but not a second match of the first pair
    register(world, "zorg_2", on=ON + dt.timedelta(days=5), domain="family")
    assert Match.objects.count() == 2
    assert Match.objects.filter(concern_a=first, concern_b=second).count() == 1
    assert AuditEvent.objects.filter(object_type="concerns.Match").count() == 2


def test_no_match_within_one_organisation(world):
    register(world, "zorg", domain="school")
    concern = register(world, "zorg_2", domain="family")
    assert concern.new_matches == []
    assert Match.objects.count() == 0
    assert not Notification.objects.exists()


def test_no_match_with_a_withdrawn_or_inactive_concern(world):
    withdrawn = register(world, "zorg", on=ON)
    services.concern_withdraw(actor=world.actor("zorg"), concern=withdrawn, on=ON)
    assert register(world, "jeugdarts", on=ON).new_matches == []
    # an old concern of the wijkteam, no longer active two years and a day later
    register(world, "wijkteam_member", on=D(2020, 1, 1))
    assert register(world, "leerplicht", on=D(2022, 1, 2)).new_matches == []
    assert Match.objects.count() == 0


def test_duplicate_active_concern_in_same_domain_is_refused(world):
    register(world, "zorg", domain="school")
    with pytest.raises(ValidationError) as raised:
        register(world, "zorg_2", domain="school")
    assert "al een actieve zorg" in str(raised.value)


def test_contact_needs_a_phone_or_email(world):
    with pytest.raises(ValidationError):
        register(world, "zorg", contact_phone="", contact_email="")


def test_permission_is_checked(world):
    with pytest.raises(PermissionDenied):
        register(world, "beleid")
    with pytest.raises(PermissionDenied):
        register(world, "beheer")
    assert not Concern.objects.exists()


def test_a_concern_is_linked_only_when_bsn_and_birth_date_both_match(world):
    wrong = register(world, "jeugdarts", bsn=world.pupil.bsn, birth_date=D(2012, 5, 2))
    right = register(world, "jeugdarts", domain="family")
    assert (wrong.student, right.student) == (None, world.pupil)
    created = AuditEvent.objects.filter(action="create", organisation=world.ggd).order_by("pk")
    assert [e.student_id for e in created] == [None, world.pupil.pk]
    assert all(world.pupil.bsn not in str(e.detail) + e.summary for e in created)
    assert created[0].detail == created[1].detail | {"domain": "health"}


def test_student_visible_refuses_a_child_out_of_sight(world):
    with pytest.raises(selectors.StudentNotFoundError):
        selectors.student_visible(actor=world.actor("jeugdarts"), student_id=world.pupil.pk)


def test_withdraw_is_audited(world):
    concern = register(world, "jeugdarts", on=ON)
    ggd = world.actor("jeugdarts")
    services.concern_withdraw(actor=ggd, concern=concern, on=ON + dt.timedelta(days=1))
    concern.refresh_from_db()
    assert concern.withdrawn_on == ON + dt.timedelta(days=1)
    assert student_for(actor=ggd, pk=world.pupil.pk) is None
    assert AuditEvent.objects.filter(action="revoke", object_id=str(concern.pk)).exists()
    with pytest.raises(ValidationError):
        services.concern_withdraw(actor=ggd, concern=concern)


def test_only_the_own_organisation_withdraws(world):
    concern = register(world, "jeugdarts")
    with pytest.raises(PermissionDenied):
        services.concern_withdraw(actor=world.actor("zorg"), concern=concern)


# -- system concerns (the candidates come from detection: attendance/tests/test_system_concerns.py) --


def _absent(student, reason, about, key=None):
    return SystemConcernCandidate(
        student_id=student.pk, reason=reason, about=about, key=key or f"{reason}:{student.pk}"
    )


def test_system_concerns_are_registered_once_per_key_and_match(
    world, django_capture_on_commit_callbacks
):
    other = StudentFactory(municipality_code="GM0014", bsn=None)
    nowhere = StudentFactory(municipality_code="GM9999", bsn=None)  # no gemeente: skipped
    school_concern = register(world, "zorg", on=D(2025, 1, 15), domain="school")
    candidates = [
        _absent(world.pupil, SystemReason.LRV, D(2025, 3, 3)),
        _absent(other, SystemReason.SIXTEEN_HOURS, D(2025, 2, 24)),
        _absent(nowhere, SystemReason.LRV, D(2025, 3, 3)),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.register_system_concerns(on=ON, candidates=candidates) == 2
    system = Concern.objects.filter(system=True)
    assert {(c.student_id, c.system_reason) for c in system} == {
        (world.pupil.pk, SystemReason.LRV),
        (other.pk, SystemReason.SIXTEEN_HOURS),
    }
    assert all(c.urgent and c.domain == "school" and c.user is None for c in system)
    assert all(c.organisation == world.gemeente and c.registered_on == ON for c in system)
    match = Match.objects.get()
    assert match.concern_a == school_concern
    assert all("Sanne" not in m.body for m in mail.outbox)
    # registering the same again (a repeated or repaired run) adds nothing
    assert services.register_system_concerns(on=ON, candidates=candidates) == 0
    # nor does new absence of a child while its system concern is active
    later = _absent(world.pupil, SystemReason.LRV, D(2025, 4, 1), key="another")
    assert services.register_system_concerns(on=D(2025, 4, 2), candidates=[later]) == 0
    assert Concern.objects.filter(system=True).count() == 2
    assert Match.objects.count() == 1
    assert services.register_system_concerns(on=ON, candidates=[]) == 0


def test_a_withdrawn_system_concern_covers_the_absence_before_its_withdrawal(world):
    first = _absent(world.pupil, SystemReason.SIXTEEN_HOURS, D(2025, 2, 24))
    assert services.register_system_concerns(on=ON, candidates=[first]) == 1
    concern = Concern.objects.get(system=True)
    services.concern_withdraw(actor=world.actor("leerplicht"), concern=concern, on=ON)
    again = _absent(world.pupil, SystemReason.LRV, D(2025, 3, 3), key="again")
    assert services.register_system_concerns(on=ON + dt.timedelta(days=7), candidates=[again]) == 0
    after = _absent(world.pupil, SystemReason.LRV, D(2025, 4, 14), key="after")
    assert services.register_system_concerns(on=D(2025, 4, 15), candidates=[after]) == 1
