"""``inbeeld retention [--on DATE]``: delete what has passed its retention period (concerns after
five years, with their matches)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from inbeeld.concerns.retention import purge_concerns
from inbeeld.conf.commands import add_on_argument


class Command(BaseCommand):
    help = "Delete concerns (and their matches) whose retention period of five years has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args, **options) -> None:
        on = options["on"] or timezone.localdate()
        deleted = purge_concerns(on=on)
        self.stdout.write(f"Bewaartermijnen op {on.isoformat()}: {deleted} zorgen verwijderd.")
