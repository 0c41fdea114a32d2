"""``inbeeld refresh-figures [--on DATE]``: recompute the thuiszitter episodes (issue 5)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.monitor.refresh import refresh_episodes


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = "Recompute every thuiszitter episode (RULES.md §5) from the database for the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args, **options) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.perf_counter()

        def say(message: str) -> None:
            if not quiet:
                self.stderr.write(f"[{time.perf_counter() - started:7.1f} s] {message}")

        refresh = refresh_episodes(on=options["on"], progress=say)
        counts = refresh.counts
        self.stdout.write(
            f"Cijfers op {refresh.on_date.isoformat()}: {counts['students']} leerlingen, "
            f"{counts['episodes']} episodes, {counts['ongoing']} lopend, "
            f"{counts['over_3_months']} langer dan drie maanden ({counts['seconds']} s)"
        )
