"""The hash chain over the audit trail: each event's ``hash`` covers its content and the ``hash``
of the event before it (``prev_hash``), so changing, removing or re-ordering an event breaks every
link after it (``inbeeld audit-verify`` finds the first broken one; docs/audit.md).

The hash is SHA-256 over a canonical serialisation of the event: a JSON object with sorted keys,
no spaces, UTF-8, in which every value is written the way it reads back from SQLite and from
PostgreSQL alike (the time in UTC with microseconds, ids as text, ``detail`` with integral numbers
as integers, the IP address in its standard form). The format is fixed: changing it would break
every existing chain (``VERSION`` names it).

Appending is serialised so the chain never forks: the head is read and the new events are
inserted in one transaction that holds the append lock (a PostgreSQL transaction-level advisory
lock; on SQLite the write lock of its IMMEDIATE transactions, see settings/base.py).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import ipaddress
import json
from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

VERSION = 1
#: the ``prev_hash`` of the first event of a trail
GENESIS = "0" * 64
#: the PostgreSQL advisory lock that serialises appends (the bytes of "inbeeld" as a number)
APPEND_LOCK_KEY = int.from_bytes(b"inbeeld", "big")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def _moment(value: Any) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _address(value: Any) -> str:
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        return str(value)


def _json(value: Any) -> Any:
    """``value`` as it reads back from a JSON column. jsonb keeps a number as the exact decimal it
    was written as and writes it out without exponent (``1e+20`` comes back as the int
    100000000000000000000), so an integral float counts as the integer its shortest decimal form
    names (1e300 as 10**300, not int(1e300)); other floats come back as themselves."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(decimal.Decimal(repr(value)))
    return value


def canonical(event: Any) -> bytes:
    """The bytes that are hashed: every stored field of ``event`` but ``id`` and ``hash``."""
    fields = {
        "v": VERSION,
        "at": _moment(event.at),
        "user": _id(event.user_id),
        "username": _text(event.username),
        "organisation": _id(event.organisation_id),
        "action": _text(event.action),
        "object_type": _text(event.object_type),
        "object_id": _text(event.object_id),
        "student": _id(event.student_id),
        "summary": _text(event.summary),
        # the JSON round trip any JSON column makes: tuples become lists, keys become text
        "detail": _json(json.loads(json.dumps(event.detail))),
        "ip": _address(event.ip),
        "prev_hash": _text(event.prev_hash),
    }
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def digest(event: Any) -> str:
    """The SHA-256 (hex) of ``event``'s canonical serialisation, its ``prev_hash`` included."""
    return hashlib.sha256(canonical(event)).hexdigest()


def take_append_lock(connection: BaseDatabaseWrapper) -> None:
    """Wait for the append lock, held until the current transaction ends (PostgreSQL). SQLite's
    IMMEDIATE transaction already holds the database's only write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


def link(events: Iterable[Any], head: str) -> str:
    """Stamp each event with the time, the previous event's hash and its own hash, in order;
    return the new head."""
    for event in events:
        event.at = timezone.now()
        event.prev_hash = head
        event.hash = digest(event)
        head = event.hash
    return head
