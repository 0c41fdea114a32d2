"""``inbeeld daily [--on DATE]``: the day's work (detection, figures, reminders, retention)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.schedule.daily import run_day


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = (
        "The day's work in order: detection (with the system's concerns), the monitor's "
        "figures, reminders of actions and renewals, retention. Exit code 1 when a step failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")

    def handle(self, *args, **options) -> None:
        report = run_day(on=options["on"], progress=lambda m: self.stdout.write(m))
        if not report.ok:
            raise CommandError("mislukt: " + ", ".join(sorted(report.failed)))
