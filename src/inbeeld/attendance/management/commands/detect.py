"""``inbeeld detect [--on DATE]``: run the rules over the database and store the findings."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.attendance.detection import detection_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = "Run detection (RULES.md §2–§5) over the database and store statuses and meldingen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args, **options) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        started = time.perf_counter()

        def say(message: str) -> None:
            if not quiet:
                self.stderr.write(f"[{time.perf_counter() - started:7.1f} s] {message}")

        run = detection_run(on=options["on"], progress=say)
        counts = run.counts
        self.stdout.write(
            f"Detectie op {run.on_date.isoformat()}: {counts['students']} leerlingen, "
            f"{counts['meldingen_new']} nieuwe meldingen, "
            f"{counts['statuses_changed']} statussen gewijzigd, "
            f"{counts['thuiszitters']} thuiszitters ({counts['seconds']} s)"
        )
