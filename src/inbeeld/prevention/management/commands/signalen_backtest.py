"""``inbeeld signalen-backtest [--on DATE] [--out DIR] [--from EXCHANGE_DIR]``: replay the care
signals over the history and report how well they foresaw thuiszitters, per signal and per group
(issue 12 §4; docs/algoritmeregister.md, "Eerlijkheidstoets")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inbeeld.conf.commands import add_on_argument, is_quiet, progress


def _every(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{value!r} is geen geheel aantal dagen") from None
    if not 1 <= number <= 366:
        raise CommandError(f"--every {value}: kies 1 tot en met 366 dagen")
    return number


class Command(BaseCommand):
    help = (
        "Replay the care signals (zorgsignalen) over the history on past reference days and "
        "report precision, recall and lead time per signal and per school type, age group and "
        "postcode area (screen, CSV, HTML)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_on_argument(parser, quiet=True)
        parser.add_argument(
            "--out", default="signalen-backtest", help="directory for the CSV and HTML files"
        )
        parser.add_argument(
            "--from",
            dest="exchange",
            help="an exchange directory instead of the database (no waiting lists, no meldingen)",
        )
        parser.add_argument(
            "--every", type=_every, default=14, help="days between reference days (default 14)"
        )
        parser.add_argument(
            "--postcode-digits",
            type=int,
            choices=(2, 4),
            default=4,
            help="postcode area: 4 (PC4, default) or 2 (region)",
        )

    def handle(self, *args, **options) -> None:
        from inbeeld.rules.backtest import SETTINGS, backtest_dataset
        from inbeeld.rules.backtest_report import text, write_report

        say = progress(self, quiet=is_quiet(options))
        on = options["on"] or timezone.localdate()
        settings = dataclasses.replace(
            SETTINGS, every_days=options["every"], postcode_digits=options["postcode_digits"]
        )
        if options["exchange"]:
            from inbeeld.rules.exchange import ExchangeError, read_exchange

            directory = Path(options["exchange"])
            if not directory.is_dir():
                raise CommandError(f"{directory} is geen map")
            try:
                dataset = read_exchange(directory, progress=say)
            except ExchangeError as error:
                for problem in error.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{len(error.problems)} probleem/problemen in {directory}; niets geschreven"
                ) from None
            source = f"uitwisselmap {directory}"
            result = backtest_dataset(dataset, on, settings=settings, progress=say)
        else:
            from inbeeld.prevention.backtest import backtest_database

            source = "database"
            result = backtest_database(on, settings=settings, progress=say)
        self.stdout.write(text(result, source))
        paths = write_report(result, Path(options["out"]), source)
        if not options["exchange"]:
            from inbeeld.prevention.backtest import record_backtest

            record_backtest(result, str(options["out"]))
        self.stdout.write("\nGeschreven: " + ", ".join(str(p) for p in paths))
