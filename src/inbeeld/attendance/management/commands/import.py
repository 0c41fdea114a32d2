# ruff: noqa: N999  (the command is called "import": inbeeld import PATH)
"""``inbeeld import PATH --organisation CODE``: import an exchange directory or zip (issue 3 §3).

All or nothing. Progress goes to stderr, the summary to stdout. Exit status 0 when imported, 2 when
refused (every problem printed as ``file:line: column: message``) or when the organisation is
unknown.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inbeeld.accounts.models import Organisation, OrganisationType
from inbeeld.attendance.imports import import_exchange
from inbeeld.attendance.models import ImportBatch
from inbeeld.rules.exchange import Problem

EXIT_BAD_INPUT = 2


def _organisation(code: str) -> Organisation:
    """The organisation with this code; ``TYPE:CODE`` chooses when codes of two types collide."""
    kind, _, plain = code.rpartition(":")
    found = Organisation.objects.filter(code=plain.strip())
    if kind:
        if kind not in OrganisationType.values:
            raise CommandError(
                f"unknown organisation type {kind!r} (one of {', '.join(OrganisationType.values)})",
                returncode=EXIT_BAD_INPUT,
            )
        found = found.filter(type=kind)
    matches = list(found[:3])
    if not matches:
        raise CommandError(
            f"no organisation with code {code!r}: create it first (inbeeld beheer) or check "
            "the code (the CBS code of a gemeente, the BRIN of a school)",
            returncode=EXIT_BAD_INPUT,
        )
    if len(matches) > 1:
        kinds = ", ".join(f"{m.type}:{m.code}" for m in matches)
        raise CommandError(
            f"code {code!r} belongs to more than one organisation ({kinds}); write TYPE:CODE",
            returncode=EXIT_BAD_INPUT,
        )
    return matches[0]


class Command(BaseCommand):
    help = "Import the exchange format v1 (a directory or a .zip): all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="directory or .zip with the exchange format v1 files")
        parser.add_argument(
            "--organisation",
            required=True,
            metavar="CODE",
            help="code of the importing organisation (CBS code, BRIN, or TYPE:CODE)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args, path: str, organisation: str, quiet: bool, **options) -> None:
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source} does not exist", returncode=EXIT_BAD_INPUT)
        importer = _organisation(organisation)
        started = time.perf_counter()

        def progress(message: str) -> None:
            if not quiet:
                self.stderr.write(f"[{time.perf_counter() - started:7.1f} s] {message}")
                self.stderr.flush()

        batch = import_exchange(
            source=source, organisation=importer, progress=progress, source_name=str(source)
        )
        if batch.state == ImportBatch.State.REFUSED:
            problems = getattr(batch, "all_problems", None) or [
                Problem(**p) for p in batch.problems
            ]
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import {batch.pk} refused: {len(problems)} problem(s) in {source}; "
                "nothing was stored",
                returncode=EXIT_BAD_INPUT,
            )
        self.stdout.write(f"Import {batch.pk} for {importer.name}: {source}")
        self.stdout.write(
            f"{'file':<18} {'read':>9} {'created':>9} {'updated':>9} {'unchanged':>9}"
        )
        for file, figures in batch.counts.items():
            self.stdout.write(
                f"{file:<18} {figures.get('read', 0):>9,} {figures.get('created', 0):>9,} "
                f"{figures.get('updated', 0):>9,} {figures.get('unchanged', 0):>9,}"
            )
            if figures.get("combined"):
                self.stdout.write(
                    f"  {figures['combined']:,} row(s) of {file} combined with another row of the "
                    "same student, start date and reason (hours add up, RULES.md §3)"
                )
            if figures.get("deleted"):
                self.stdout.write(f"  {figures['deleted']:,} earlier period(s) replaced")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
