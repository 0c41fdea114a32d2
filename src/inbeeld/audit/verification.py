"""Checking the hash chain of the audit trail (``inbeeld audit-verify``, docs/audit.md).

The events are read in id order, a batch at a time along the primary key (memory stays bounded
for millions of events), each hash is computed again and each link compared with the event before
it. The first broken link is reported: an event whose content no longer matches its hash (changed),
an event whose predecessor is gone (missing), or one that points to another event than the one
before it (wrong link). A head recorded earlier (count and hash, kept outside the database) shows
whether events were removed from the end or the chain was written anew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from inbeeld.audit import chain
from inbeeld.audit.models import AuditEvent

BATCH = 5000
#: the database's own guards of migrations audit/0002 and audit/0005, per database
APPEND_ONLY_TRIGGERS = {
    "postgresql": ["audit_event_no_truncate", "audit_event_no_update_delete"],
    "sqlite": ["audit_event_no_delete", "audit_event_no_update"],
}


@dataclass(frozen=True)
class BrokenLink:
    """The first place the chain does not hold: at an event, or at the end (after the last event
    read, ``event_id`` None when the trail is empty)."""

    event_id: int | None
    at: dt.datetime | None
    problem: str
    at_end: bool = False

    @property
    def place(self) -> str:
        when = f" ({self.at.isoformat()})" if self.at is not None else ""
        if not self.at_end:
            return f"at event {self.event_id}{when}"
        return f"at the end, after event {self.event_id}{when}" if self.event_id else "at the end"


@dataclass(frozen=True)
class Verification:
    count: int
    #: the hash of the last event read (the anchor when there are none)
    head: str
    last_id: int | None
    last_at: dt.datetime | None
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class RecordedHead:
    """What an earlier run reported (``--expect-count``, ``--expect-head``): the trail then had
    ``count`` events, the last with hash ``head``; either may be unknown."""

    count: int | None = None
    head: str | None = None


def events_in_order(batch: int = BATCH) -> Iterator[AuditEvent]:
    """Every event by id, read ``batch`` at a time (keyset pagination along the primary key)."""
    last_id = 0
    while True:
        page = list(AuditEvent.objects.order_by("id").filter(id__gt=last_id)[:batch])
        yield from page
        if len(page) < batch:
            return
        last_id = page[-1].id


def _wrong_link(event: AuditEvent, previous: AuditEvent | None) -> str:
    """Why ``event`` does not link to ``previous`` (None: it is the first event read)."""
    expected = f"event {previous.id}" if previous is not None else "the anchor"
    pointed = AuditEvent.objects.filter(hash=event.prev_hash).exclude(id=event.id).first()
    if pointed is not None or event.prev_hash == chain.GENESIS:
        target = f"event {pointed.id}" if pointed is not None else "the start of the chain"
        return f"wrong link: prev_hash points to {target} instead of {expected}"
    if previous is None:
        return (
            "missing events: the first event does not follow the anchor; events before it were"
            " deleted (after a removal under the retention policy, pass --anchor)"
        )
    gap = (
        f" (ids {previous.id + 1} to {event.id - 1} are absent)"
        if event.id - previous.id > 1
        else ""
    )
    return (
        f"missing event: prev_hash matches no event; what came after event {previous.id} was"
        f" deleted or rewritten{gap}"
    )


def _recorded_head_problem(
    recorded: RecordedHead, count: int, hash_at_count: str | None, head_seen: bool
) -> str | None:
    if recorded.count is not None and count < recorded.count:
        return (
            f"the trail has {count} events, {recorded.count} were recorded:"
            " events were removed from the end"
        )
    if recorded.head is None:
        return None
    if recorded.count is not None and hash_at_count != recorded.head:
        return (
            f"event number {recorded.count} has hash {hash_at_count}, {recorded.head} was"
            " recorded: the trail was written anew"
        )
    if recorded.count is None and not head_seen:
        return (
            f"the recorded head {recorded.head} is no event's hash: events were removed from"
            " the end or the trail was written anew"
        )
    return None


def verify_chain(
    *,
    anchor: str = chain.GENESIS,
    recorded: RecordedHead | None = None,
    batch: int = BATCH,
) -> Verification:
    """Walk the chain from ``anchor`` (the ``prev_hash`` of the first event: the start, or the
    last hash before events that were removed under the retention policy)."""
    recorded = recorded or RecordedHead()
    head, count, previous = anchor, 0, None
    hash_at_count, head_seen = None, False
    for event in events_in_order(batch):
        problem = None
        if chain.digest(event) != event.hash:
            problem = "changed event: its content does not match its hash"
        elif event.prev_hash != head:
            problem = _wrong_link(event, previous)
        if problem is not None:
            return Verification(
                count,
                head,
                getattr(previous, "id", None),
                getattr(previous, "at", None),
                BrokenLink(event.id, event.at, problem),
            )
        count, head, previous = count + 1, event.hash, event
        if count == recorded.count:
            hash_at_count = event.hash
        head_seen = head_seen or event.hash == recorded.head
    last_id, last_at = getattr(previous, "id", None), getattr(previous, "at", None)
    problem = _recorded_head_problem(recorded, count, hash_at_count, head_seen)
    broken = BrokenLink(last_id, last_at, problem, at_end=True) if problem is not None else None
    return Verification(count, head, last_id, last_at, broken)


def missing_append_only_triggers() -> list[str]:
    """The append-only triggers that are not there or not enabled (on PostgreSQL an owner can
    disable them; on SQLite whoever can write the file can drop them)."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled IN ('O', 'A')",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in APPEND_ONLY_TRIGGERS.get(connection.vendor, []) if name not in present]
