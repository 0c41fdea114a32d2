"""``inbeeld daily [--on DATE]``: the day's work (detection, figures, reminders, retention)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.conf.commands import add_on_argument
from inbeeld.schedule.daily import run_day


class Command(BaseCommand):
    help = (
        "The day's work in order: detection (with the system's concerns), the monitor's "
        "figures, reminders of actions and renewals, retention. Exit code 1 when a step failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args, **options) -> None:
        report = run_day(on=options["on"], progress=lambda m: self.stdout.write(m))
        if not report.ok:
            raise CommandError("mislukt: " + ", ".join(sorted(report.failed)))
