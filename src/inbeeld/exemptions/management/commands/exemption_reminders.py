"""``inbeeld exemption-reminders [--on DATE]``: tell leerplicht which exemptions to renew (daily)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.exemptions.services import remind_renewals


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen datum van de vorm JJJJ-MM-DD") from None


class Command(BaseCommand):
    help = "Notify leerplicht of exemptions whose renewal is due (once per exemption and year)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="reference date YYYY-MM-DD (default today)")

    def handle(self, *args, **options) -> None:
        count = remind_renewals(on=options["on"])
        self.stdout.write(f"Herinneringen verstuurd voor {count} vrijstelling(en).")
