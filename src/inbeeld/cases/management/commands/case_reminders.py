"""``inbeeld case-reminders [--on DATE]``: remind who carries an action that is due within two
days or overdue (once each). Run daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from inbeeld.cases.services import remind_due_actions
from inbeeld.conf.commands import add_on_argument


class Command(BaseCommand):
    help = "Send reminders for case actions due within two days or overdue (daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args, **options) -> None:
        made = remind_due_actions(on=options["on"])
        self.stdout.write(f"Herinneringen voor acties in casussen: {made} berichten")
