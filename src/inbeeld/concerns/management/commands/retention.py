"""``inbeeld retention [--on DATE]``: delete what has passed its retention period (concerns after
five years, with their matches)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inbeeld.concerns.retention import purge_concerns


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = "Delete concerns (and their matches) whose retention period of five years has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")

    def handle(self, *args, **options) -> None:
        on = options["on"] or timezone.localdate()
        deleted = purge_concerns(on=on)
        self.stdout.write(f"Bewaartermijnen op {on.isoformat()}: {deleted} zorgen verwijderd.")
