"""The hash chain over the audit trail (issue 9): every insert, one at a time or in bulk, links to
the event before it, and the hash computed before the insert is the hash of what the database gives
back, on SQLite and on PostgreSQL."""

import itertools
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.audit import chain
from inbeeld.audit.models import AppendOnlyError, AuditAction, AuditEvent
from inbeeld.audit.services import audit_record
from inbeeld.audit.verification import verify_chain

#: values that change on the way through a JSON column or an inet column if not made canonical
AWKWARD_DETAIL = {
    "zeker": 1.0,
    "groot": 1e20,
    "klein": 1.5e-10,
    "tiende": 0.1,
    "negatief": -3,
    "waar": True,
    "niets": None,
    "paar": ("a", 2),
    7: "sleutel als getal",
    "genest": {"b": [1, {"ä": "één"}], "a": "\u2603 ☃"},
    "leeg": {},
}


def stored(event):
    return AuditEvent.objects.get(pk=event.pk)


def test_the_first_event_starts_the_chain_and_the_next_links_to_it(db):
    first = audit_record(actor=None, username="a", action=AuditAction.LOGIN_FAILED)
    second = audit_record(actor=None, username="b", action=AuditAction.LOGIN_FAILED)
    assert stored(first).prev_hash == chain.GENESIS
    assert stored(second).prev_hash == stored(first).hash
    assert len({stored(first).hash, stored(second).hash}) == 2


def test_the_hash_of_what_the_database_gives_back_is_the_hash_stored(db):
    user = get_user_model().objects.create(username="kijker")
    event = audit_record(
        actor=None,
        user=user,
        action=AuditAction.VIEW,
        obj=user,
        summary="keek naar één kind ☃",
        detail=AWKWARD_DETAIL,
        ip="2001:DB8:0:0::1",
    )
    again = stored(event)
    assert again.hash == event.hash == chain.digest(again)
    assert again.at == event.at
    assert verify_chain().intact


def test_a_mapped_ipv4_address_and_a_plain_one_hash_as_they_read_back(db):
    for ip in ("::ffff:192.0.2.1", "192.0.2.1", "fe80::1"):
        event = audit_record(actor=None, username="x", action=AuditAction.LOGIN, ip=ip)
        assert chain.digest(stored(event)) == event.hash


def test_every_stored_field_is_covered_by_the_hash(db):
    event = stored(audit_record(actor=None, username="x", action=AuditAction.LOGIN, ip="192.0.2.1"))
    changes = {
        "at": event.at.replace(microsecond=(event.at.microsecond + 1) % 1_000_000),
        "user_id": 1,
        "username": "y",
        "organisation_id": 1,
        "action": "logout",
        "object_type": "people.Student",
        "object_id": "1",
        "student_id": 1,
        "summary": "anders",
        "detail": {"a": 1},
        "ip": "192.0.2.2",
        "prev_hash": "1" * 64,
    }
    stored_fields = {f.attname for f in AuditEvent._meta.concrete_fields} - {"id", "hash"}
    assert set(changes) == stored_fields, "a new field must be hashed (chain.canonical)"
    for field, value in changes.items():
        original = getattr(event, field)
        setattr(event, field, value)
        assert chain.digest(event) != event.hash, field
        setattr(event, field, original)
    assert chain.digest(event) == event.hash


def test_bulk_create_links_every_event_in_order(db):
    first = audit_record(actor=None, username="vooraf", action=AuditAction.LOGIN)
    created = AuditEvent.objects.bulk_create(
        [
            AuditEvent(username=f"lezer {n}", action=AuditAction.VIEW, detail={"n": n})
            for n in range(5)
        ],
        batch_size=2,
    )
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in events] == [first.pk, *(e.pk for e in created)]
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert after.hash == chain.digest(after)


def test_the_time_is_set_when_the_event_is_linked(db):
    import datetime as dt

    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    event = AuditEvent.objects.create(username="x", action=AuditAction.LOGIN, at=long_ago)
    assert stored(event).at > long_ago
    assert verify_chain().intact


def test_bulk_create_that_could_skip_an_event_is_refused(db):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create(
            [AuditEvent(username="x", action=AuditAction.LOGIN)], ignore_conflicts=True
        )
    assert not AuditEvent.objects.exists()


def test_an_event_cannot_be_inserted_twice(db):
    event = audit_record(actor=None, username="x", action=AuditAction.LOGIN)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([event])


def test_one_insert_costs_one_read_of_the_head_along_the_primary_key(db):
    audit_record(actor=None, username="vooraf", action=AuditAction.LOGIN)
    with CaptureQueriesContext(connection) as queries:
        audit_record(actor=None, username="x", action=AuditAction.LOGIN)
    statements = [q["sql"] for q in queries.captured_queries]
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    locks = [sql for sql in reads if "pg_advisory_xact_lock" in sql]
    heads = [sql for sql in reads if sql not in locks]
    assert len(heads) == 1
    assert 'ORDER BY "audit_auditevent"."id" DESC' in heads[0]
    assert "LIMIT 1" in heads[0]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)
    assert len(statements) == len(reads) + 1  # and the INSERT; no savepoints


@pytest.mark.django_db(transaction=True)
def test_the_head_is_read_inside_the_inserting_transaction_without_one_of_the_caller(
    monkeypatch,
):
    """Outside any atomic block the head read and the insert still share one transaction (on
    SQLite an IMMEDIATE one, which holds the write lock), so no other writer comes between."""
    seen = []
    link = chain.link

    def spying_link(events, head):
        seen.append((connection.in_atomic_block, connection.get_autocommit()))
        return link(events, head)

    monkeypatch.setattr(chain, "link", spying_link)
    assert not connection.in_atomic_block
    audit_record(actor=None, username="x", action=AuditAction.LOGIN)
    AuditEvent.objects.bulk_create([AuditEvent(username="y", action=AuditAction.LOGIN)])
    assert seen == [(True, False), (True, False)]
    assert verify_chain().intact


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share SQLite's test db")
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_never_fork_the_chain():
    threads, per_thread = 6, 15  # each: 12 single inserts and 3 bulk inserts of 3
    start = threading.Barrier(threads)
    failures = []

    def insert(n):
        try:
            start.wait()
            for i in range(per_thread):
                if i % 5 == 4:
                    AuditEvent.objects.bulk_create(
                        [AuditEvent(username=f"{n}-{i}-{j}", action="view") for j in range(3)]
                    )
                else:
                    with transaction.atomic():
                        audit_record(actor=None, username=f"{n}-{i}", action=AuditAction.VIEW)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=insert, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    result = verify_chain()
    assert result.broken is None
    assert result.count == AuditEvent.objects.count() == threads * (12 + 3 * 3)
    assert AuditEvent.objects.values("prev_hash").distinct().count() == result.count


@pytest.mark.django_db(transaction=True)
def test_flush_in_the_tests_lifts_the_triggers_and_restores_them(lift_audit_triggers):
    """Transactional tests end with ``flush``; the root conftest.py lets it empty the trail."""
    audit_record(actor=None, username="x", action=AuditAction.LOGIN)
    call_command("flush", verbosity=0, interactive=False)
    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, username="y", action=AuditAction.LOGIN)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    detail=st.dictionaries(TEXT, JSON, max_size=5),
    summary=st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=300
    ),
    ip=st.ip_addresses().map(str),
)
def test_any_event_hashes_the_same_after_the_round_trip_through_the_database(
    db, detail, summary, ip
):
    event = audit_record(
        actor=None, username="x", action=AuditAction.VIEW, summary=summary, detail=detail, ip=ip
    )
    assert chain.digest(stored(event)) == event.hash
