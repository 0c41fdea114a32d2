"""``inbeeld exemption-reminders [--on DATE]``: tell leerplicht which exemptions to renew (daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from inbeeld.conf.commands import add_on_argument
from inbeeld.exemptions.services import remind_renewals


class Command(BaseCommand):
    help = "Notify leerplicht of exemptions whose renewal is due (once per exemption and year)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args, **options) -> None:
        count = remind_renewals(on=options["on"])
        self.stdout.write(f"Herinneringen verstuurd voor {count} vrijstelling(en).")
