"""The contact log: who may write and read it, what it refuses, append-only, the audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbeeld.accounts.tests.factories import actor_for
from inbeeld.audit.models import AppendOnlyError, AuditEvent
from inbeeld.correspondence import selectors
from inbeeld.correspondence.models import ContactEntry
from inbeeld.correspondence.services import contact_entry_add, contact_log_read
from inbeeld.correspondence.tests.conftest import TODAY
from inbeeld.people.selectors import NotInScopeError


def _add(actor, student, **kw):
    data = {"kind": "gesprek", "contact_with": "ouder_verzorger", "summary": "Gesprek met moeder."}
    data.update(kw)
    return contact_entry_add(actor=actor, student=student, **data)


def test_an_entry_is_written_with_its_author_organisation_and_an_audit_row(world):
    entry = _add(world.leerplicht, world.child, on=TODAY - dt.timedelta(days=2))
    assert entry.organisation == world.w.gemeente_a
    assert entry.author == world.w.leerplicht_a.user
    event = AuditEvent.objects.get(object_type="correspondence.ContactEntry", object_id=entry.pk)
    assert event.student_id == world.child.pk
    assert event.action == "create"
    assert "moeder" not in event.summary  # the audit trail holds no text of the entry


def test_every_problem_is_named_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as error:
        contact_entry_add(
            actor=world.leerplicht,
            student=world.child,
            kind="fax",
            contact_with="anders",
            summary="  ",
            on=TODAY + dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"kind", "contact_name", "summary", "on"}
    assert not ContactEntry.objects.exists()


def test_a_date_before_birth_and_a_too_long_summary_are_refused(world):
    with pytest.raises(ValidationError) as error:
        _add(world.leerplicht, world.child, on=dt.date(1990, 1, 1), summary="x" * 4001)
    assert set(error.value.message_dict) == {"on", "summary"}


def test_each_kind_and_party_is_accepted(world):
    for kind in ("gesprek", "brief", "huisbezoek", "telefoon", "e-mail"):
        for party in ("leerling", "ouder_verzorger", "school"):
            _add(world.leerplicht, world.child, kind=kind, contact_with=party)
    _add(world.leerplicht, world.child, contact_with="anders", contact_name="jeugdarts GGD")
    assert ContactEntry.objects.count() == 16


def test_only_the_writing_organisation_reads_its_entries(world):
    mine = _add(world.leerplicht, world.child)
    theirs = _add(world.school, world.child, contact_with="leerling")
    assert list(selectors.contact_log_of(actor=world.leerplicht, student=world.child)) == [mine]
    assert list(selectors.contact_log_of(actor=world.school, student=world.child)) == [theirs]
    # another leerplichtambtenaar of the same gemeente reads the gemeente's entries
    from inbeeld.accounts.tests.factories import MembershipFactory

    colleague = actor_for(MembershipFactory(organisation=world.w.gemeente_a))
    assert list(selectors.contact_log_of(actor=colleague, student=world.child)) == [mine]


def test_a_child_out_of_sight_is_refused_for_writing_and_reading(world):
    with pytest.raises(NotInScopeError):
        _add(world.leerplicht, world.child_b)
    with pytest.raises(NotInScopeError):
        contact_log_read(actor=world.leerplicht, student=world.child_b)
    # the GGD sees the child only in a case team: not here
    with pytest.raises(NotInScopeError):
        _add(actor_for(world.ggd), world.child)


def test_a_role_without_casework_may_not_write_or_read(world):
    beleid = actor_for(world.w.beleid_a)
    with pytest.raises(PermissionDenied):
        _add(beleid, world.child)
    with pytest.raises(PermissionDenied):
        contact_log_read(actor=beleid, student=world.child)
    assert not selectors.entries_visible_to(actor=beleid).exists()


def test_reading_the_log_writes_an_audit_row_naming_the_child(world):
    _add(world.leerplicht, world.child)
    entries = contact_log_read(actor=world.leerplicht, student=world.child)
    assert len(entries) == 1
    event = AuditEvent.objects.filter(action="view").latest("pk")
    assert event.student_id == world.child.pk
    assert event.summary == "contactlog gelezen"


def test_entries_are_appended_never_changed_or_deleted(world):
    entry = _add(world.leerplicht, world.child)
    entry.summary = "anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ContactEntry.objects.filter(pk=entry.pk).update(summary="anders")
    with pytest.raises(AppendOnlyError):
        ContactEntry.objects.filter(pk=entry.pk).delete()


def test_a_correction_is_a_new_entry_naming_the_old_one(world):
    old = _add(world.leerplicht, world.child, summary="Gesprek met vader.")
    new = _add(world.leerplicht, world.child, summary="Gesprek met moeder.", corrects=old.pk)
    log = {e.pk: e for e in selectors.contact_log_of(actor=world.leerplicht, student=world.child)}
    assert log[old.pk].is_corrected
    assert not log[new.pk].is_corrected
    assert new.corrects == old
    assert ContactEntry.objects.get(pk=old.pk).summary == "Gesprek met vader."
    # the old one is corrected once; a second correction corrects the correction
    with pytest.raises(ValidationError) as error:
        _add(world.leerplicht, world.child, corrects=old.pk)
    assert "corrects" in error.value.message_dict
    _add(world.leerplicht, world.child, corrects=new.pk)


def test_a_correction_of_another_organisations_entry_is_refused(world):
    theirs = _add(world.school, world.child)
    with pytest.raises(ValidationError) as error:
        _add(world.leerplicht, world.child, corrects=theirs.pk)
    assert "corrects" in error.value.message_dict
    with pytest.raises(ValidationError):
        _add(world.leerplicht, world.child, corrects=10**9)
