"""``inbeeld case-reminders [--on DATE]``: remind who carries an action that is due within two
days or overdue (once each). Run daily."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.cases.services import remind_due_actions


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = "Send reminders for case actions due within two days or overdue (daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")

    def handle(self, *args, **options) -> None:
        made = remind_due_actions(on=options["on"])
        self.stdout.write(f"Herinneringen voor acties in casussen: {made} berichten")
