"""``inbeeld audit-verify [--expect-count N] [--expect-head HASH] [--anchor HASH]``: check the
hash chain of the audit trail (docs/audit.md). Exit status 0 when it holds (the number of events
and the head hash on stdout, to be recorded outside the database), 1 at the first broken link or
when the database's append-only triggers are missing or disabled."""

from __future__ import annotations

import argparse
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.audit import chain
from inbeeld.audit.verification import RecordedHead, missing_append_only_triggers, verify_chain

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def sha256_hex(value: str) -> str:
    if not SHA256_HEX.fullmatch(value.lower()):
        raise argparse.ArgumentTypeError(f"{value!r} is not a SHA-256 hash (64 hex digits)")
    return value.lower()


def event_count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of events (0 or more)")
    return int(value)


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain event by event; report the first broken link (exit"
        " status 1) or the number of events and the head hash to record elsewhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-count",
            type=event_count,
            metavar="N",
            help="the count an earlier run reported: the trail must still have that many events",
        )
        parser.add_argument(
            "--expect-head",
            type=sha256_hex,
            metavar="HASH",
            help="the head an earlier run reported: it must still be in the chain (with"
            " --expect-count: as event number N)",
        )
        parser.add_argument(
            "--anchor",
            type=sha256_hex,
            default=chain.GENESIS,
            metavar="HASH",
            help="the prev_hash of the first event, when older events were removed under the"
            " retention policy (default: the start of the chain, 64 zeros)",
        )

    def handle(self, *args, **options) -> None:
        result = verify_chain(
            anchor=options["anchor"],
            recorded=RecordedHead(options["expect_count"], options["expect_head"]),
        )
        if result.broken is not None:
            held = (
                f"The chain of the {result.count} events itself holds."
                if result.broken.at_end
                else f"The {result.count} events before it hold."
            )
            raise CommandError(
                f"audit trail BROKEN {result.broken.place}: {result.broken.problem}. {held}"
            )
        missing = missing_append_only_triggers()
        if missing:
            raise CommandError(
                f"the chain of the {result.count} events holds, but the database no longer"
                f" guards the audit trail: trigger(s) {', '.join(missing)} missing or disabled"
                " (restore them: docs/audit.md)"
            )
        last = (
            f", the last is event {result.last_id} of {result.last_at.isoformat()}"
            if result.last_at is not None
            else ""
        )
        self.stdout.write(f"Audit trail intact: {result.count} events{last}.")
        self.stdout.write(f"count {result.count}")
        self.stdout.write(f"head {result.head}")
        self.stdout.write(
            "Record both outside the database; check later with: inbeeld audit-verify"
            f" --expect-count {result.count} --expect-head {result.head}"
        )
