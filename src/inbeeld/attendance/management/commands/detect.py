"""``inbeeld detect [--on DATE]``: run the rules over the database and store the findings."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.attendance.detection import detection_run
from inbeeld.conf.commands import add_on_argument, is_quiet, progress
from inbeeld.operations.services import JobAlreadyActiveError, held


class Command(BaseCommand):
    help = "Run detection (RULES.md §2–§5) over the database and store statuses and meldingen."

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser, quiet=True)

    def handle(self, *args, **options) -> None:
        say = progress(self, quiet=is_quiet(options))
        try:  # synchronous, under the web's guard: never beside a detection of the worker
            with held("detection"):
                run = detection_run(on=options["on"], progress=say)
        except JobAlreadyActiveError as active:
            raise CommandError(
                f"Er loopt al een detectie (taak {active.job.pk}, {active.job.state}); "
                "probeer het later opnieuw."
            ) from None
        counts = run.counts
        self.stdout.write(
            f"Detectie op {run.on_date.isoformat()}: {counts['students']} leerlingen, "
            f"{counts['meldingen_new']} nieuwe meldingen, "
            f"{counts['statuses_changed']} statussen gewijzigd, "
            f"{counts['thuiszitters']} thuiszitters ({counts['seconds']} s)"
        )
        if counts.get("rules_upgraded_from"):  # RULES.md §7: the first run under new rules
            self.stdout.write(
                f"Regels v{counts['rules_upgraded_from']} → v{counts['rules_version']}: alle "
                "statussen opnieuw geschreven; de meldingen blijven zoals ze waren"
            )
