"""``inbeeld refresh-figures [--on DATE]``: recompute the thuiszitter episodes (issue 5)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.conf.commands import add_on_argument, is_quiet, progress
from inbeeld.monitor.jobs import FIGURES
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.operations.services import JobAlreadyActiveError, held


class Command(BaseCommand):
    help = "Recompute every thuiszitter episode (RULES.md §5) from the database for the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser, quiet=True)

    def handle(self, *args, **options) -> None:
        say = progress(self, quiet=is_quiet(options))
        try:  # synchronous, under the web's guard: never beside a refresh of the worker
            with held(FIGURES):
                refresh = refresh_episodes(on=options["on"], progress=say)
        except JobAlreadyActiveError as active:
            raise CommandError(
                f"De cijfers worden al ververst (taak {active.job.pk}, {active.job.state}); "
                "probeer het later opnieuw."
            ) from None
        counts = refresh.counts
        self.stdout.write(
            f"Cijfers op {refresh.on_date.isoformat()}: {counts['students']} leerlingen, "
            f"{counts['episodes']} episodes, {counts['ongoing']} lopend, "
            f"{counts['over_3_months']} langer dan drie maanden ({counts['seconds']} s)"
        )
