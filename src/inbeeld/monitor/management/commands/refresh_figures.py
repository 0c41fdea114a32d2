"""``inbeeld refresh-figures [--on DATE]``: recompute the thuiszitter episodes (issue 5)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from inbeeld.conf.commands import add_on_argument, is_quiet, progress
from inbeeld.monitor.refresh import refresh_episodes


class Command(BaseCommand):
    help = "Recompute every thuiszitter episode (RULES.md §5) from the database for the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser, quiet=True)

    def handle(self, *args, **options) -> None:
        say = progress(self, quiet=is_quiet(options))
        refresh = refresh_episodes(on=options["on"], progress=say)
        counts = refresh.counts
        self.stdout.write(
            f"Cijfers op {refresh.on_date.isoformat()}: {counts['students']} leerlingen, "
            f"{counts['episodes']} episodes, {counts['ongoing']} lopend, "
            f"{counts['over_3_months']} langer dan drie maanden ({counts['seconds']} s)"
        )
