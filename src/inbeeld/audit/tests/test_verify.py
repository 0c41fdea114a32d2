"""``inbeeld audit-verify`` finds the first broken link of the hash chain (issue 9): a changed
event, a deleted one, a re-linked one, and events removed from the end since a recorded head."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from inbeeld.audit import chain
from inbeeld.audit.models import AuditAction, AuditEvent
from inbeeld.audit.services import audit_record
from inbeeld.audit.verification import RecordedHead, verify_chain

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def trail(db):
    """Five events: ids in order."""
    return [
        audit_record(actor=None, username=f"lezer {n}", action=AuditAction.VIEW, detail={"n": n})
        for n in range(5)
    ]


@pytest.fixture
def tamper(lift_audit_triggers):
    """Run SQL as the table's owner with the append-only triggers lifted."""

    def run(sql, params=()):
        with lift_audit_triggers(connection), connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def verify(*args):
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def refused(*args):
    with pytest.raises(CommandError) as error:
        verify(*args)
    return str(error.value)


def test_an_intact_chain_reports_the_count_and_the_head(trail):
    output = verify()
    head = AuditEvent.objects.get(pk=trail[-1].pk).hash
    assert "Audit trail intact: 5 events" in output
    assert f"count 5\nhead {head}\n" in output
    assert verify("--expect-count", "5", "--expect-head", head)
    audit_record(actor=None, username="later", action=AuditAction.LOGIN)
    assert "intact: 6 events" in verify("--expect-count", "5", "--expect-head", head)
    assert "intact: 6 events" in verify("--expect-head", head)


@pytest.mark.django_db
def test_an_empty_trail_is_intact_with_the_start_as_its_head():
    assert f"count 0\nhead {chain.GENESIS}\n" in verify()


def test_a_changed_event_is_found(trail, tamper):
    tamper(f"UPDATE {TABLE} SET summary = 'niets gezien' WHERE id = %s", [trail[2].pk])
    message = refused()
    assert f"at event {trail[2].pk} (" in message
    assert "changed event" in message
    assert "The 2 events before it hold" in message


def test_a_changed_detail_is_found(trail, tamper):
    tamper(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"n": 9}', trail[3].pk])
    assert f"at event {trail[3].pk} (" in refused()


def test_a_deleted_event_in_the_middle_is_found(trail, tamper):
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [trail[2].pk])
    message = refused()
    assert f"at event {trail[3].pk} (" in message
    assert "missing event" in message
    assert f"after event {trail[1].pk} was deleted or rewritten" in message
    assert f"ids {trail[2].pk} to {trail[2].pk} are absent" in message


def test_a_deleted_first_event_is_found_unless_its_hash_is_the_anchor(trail, tamper):
    first_hash = AuditEvent.objects.get(pk=trail[0].pk).hash
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [trail[0].pk])
    message = refused()
    assert f"at event {trail[1].pk} (" in message
    assert "events before it were deleted" in message
    assert "intact: 4 events" in verify("--anchor", first_hash)


def test_an_event_linked_past_its_predecessor_is_found(trail, tamper):
    """An event re-linked to an earlier one (and its hash made anew) points to the wrong event."""
    event = AuditEvent.objects.get(pk=trail[3].pk)
    event.prev_hash = AuditEvent.objects.get(pk=trail[1].pk).hash
    event.hash = chain.digest(event)
    tamper(
        f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
        [event.prev_hash, event.hash, event.pk],
    )
    message = refused()
    assert f"at event {trail[3].pk} (" in message
    assert f"points to event {trail[1].pk} instead of event {trail[2].pk}" in message


def test_events_removed_from_the_end_are_found_against_the_recorded_head(trail, tamper):
    head = AuditEvent.objects.get(pk=trail[-1].pk).hash
    tamper(f"DELETE FROM {TABLE} WHERE id >= %s", [trail[3].pk])
    assert "intact: 3 events" in verify()  # the chain alone cannot tell
    assert "removed from the end" in refused("--expect-count", "5", "--expect-head", head)
    assert "removed from the end" in refused("--expect-count", "5")
    assert "removed from the end" in refused("--expect-head", head)


def test_a_trail_written_anew_is_found_against_the_recorded_head(trail, tamper):
    head = AuditEvent.objects.get(pk=trail[-1].pk).hash
    tamper(f"DELETE FROM {TABLE}")
    for n in range(5):
        audit_record(actor=None, username=f"vervalst {n}", action=AuditAction.VIEW)
    assert "intact: 5 events" in verify()
    message = refused("--expect-count", "5", "--expect-head", head)
    assert "event number 5 has hash" in message
    assert "written anew" in message


def test_the_walk_reads_the_trail_a_batch_at_a_time(trail, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        result = verify_chain(batch=2, recorded=RecordedHead(count=5))
    assert result.intact
    assert result.count == 5
    assert result.last_id == trail[-1].pk


@pytest.mark.parametrize(
    "arguments",
    [["--expect-head", "abc"], ["--expect-count", "-1"], ["--anchor", "x" * 64]],
)
@pytest.mark.django_db
def test_bad_arguments_are_named(arguments):
    with pytest.raises(CommandError, match="is not a"):
        verify(*arguments)


def test_the_inbeeld_command_runs_it(trail, capsys):
    from inbeeld.cli import main

    assert main(["audit-verify"]) == 0
    assert "Audit trail intact: 5 events" in capsys.readouterr().out


def test_missing_append_only_triggers_are_reported(trail, lift_audit_triggers):
    with lift_audit_triggers(connection):
        message = refused()
    assert "no longer guards the audit trail" in message
    assert "audit_event_no_update" in message
    assert "Audit trail intact" in verify()
