"""``inbeeld zorgsignalen-voorstellen [--on DATE]``: let the care signals propose the pupils of each
school team's school for its list (stored; a member accepts or dismisses). Idempotent; run daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from inbeeld.conf.commands import add_on_argument
from inbeeld.prevention.sweep import proposals_sweep


class Command(BaseCommand):
    help = "Store the school teams' proposals of the care signals (idempotent, daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser)

    def handle(self, *args, **options) -> None:
        result = proposals_sweep(on=options["on"])
        self.stdout.write(
            f"Zorgsignalen: {result.teams} schoolteams, {result.children} leerlingen bekeken, "
            f"{result.proposed} nieuwe voorstellen"
        )
