"""The ``inbeeld`` command.

    inbeeld analyse DIR --on DATE --out OUTDIR
    inbeeld leerplicht BIRTH_DATE [--region R] [--on DATE]
    inbeeld demo-data OUTDIR --students N --seed S [--on DATE]
    inbeeld signalen-backtest [--on DATE] [--out DIR] [--from DIR]   (a management command)
    inbeeld COMMAND …   any Django management command (migrate, runserver, import, detect, …)

Exit status: 0 done, 2 bad input (every problem is named on stderr, nothing is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_BAD_INPUT = 2


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date of the form YYYY-MM-DD"
        ) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    return number


def _progress(quiet: bool) -> Callable[[str], None]:
    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(
                f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True
            )

    return say


def _today() -> dt.date:
    return dt.datetime.now().astimezone().date()


def cmd_analyse(args: argparse.Namespace) -> int:
    from inbeeld.rules.analyse import run_analysis
    from inbeeld.rules.exchange import ExchangeError

    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"inbeeld analyse: {directory} is not a directory", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        summary = run_analysis(directory, args.on, Path(args.out), progress=_progress(args.quiet))
    except ExchangeError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"inbeeld analyse: {len(error.problems)} problem(s) in {directory}; nothing was written",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    print(summary.text())
    print(f"\nGeschreven: {Path(args.out) / 'status.csv'} en {Path(args.out) / 'meldingen.csv'}")
    return 0


def cmd_leerplicht(args: argparse.Namespace) -> int:
    from inbeeld.rules.calendar import SchoolCalendar
    from inbeeld.rules.duty import (
        DutyPeriod,
        kwalificatieplicht_end,
        leerplicht_end_by_age,
        leerplicht_start,
    )
    from inbeeld.rules.model import Student

    calendar = SchoolCalendar()
    birth = args.birth_date
    student = Student(
        "?",
        birth,
        startkwalificatie_date=args.startkwalificatie,
        kwalificatieplicht_exempt=args.exempt,
    )
    start = leerplicht_start(birth, args.region or "", calendar)
    end = leerplicht_end_by_age(birth)
    period = DutyPeriod(start, end, kwalificatieplicht_end(student, end))
    on = args.on or _today()
    names = {
        "leerplicht": "leerplichtig",
        "kwalificatieplicht": "kwalificatieplichtig",
        "none": "niet leerplichtig of kwalificatieplichtig",
    }
    print(f"Geboren:                 {birth:%d-%m-%Y}")
    print(f"Regio:                   {args.region or 'geen (alleen weekenden en feestdagen)'}")
    print(f"Leerplicht begint:       {period.leerplicht_start:%d-%m-%Y}  (LPW art. 3 lid 1)")
    print(
        f"Leerplicht eindigt:      {period.leerplicht_end:%d-%m-%Y}  (31 juli van het schooljaar"
        " waarin het kind 16 wordt; eerder na 12 volledige schooljaren)"
    )
    if period.kwalificatieplicht_end:
        print(f"Kwalificatieplicht tot:  {period.kwalificatieplicht_end:%d-%m-%Y}  (LPW art. 4b)")
    else:
        print("Kwalificatieplicht:      niet van toepassing")
    print(f"Op {on:%d-%m-%Y}:           {names[period.on(on)]}")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from inbeeld.demo.generator import generate_demo_data

    summary = generate_demo_data(
        Path(args.outdir),
        students=args.students,
        seed=args.seed,
        on=args.on or _today(),
        progress=_progress(args.quiet),
    )
    print(f"Demo data written to {args.outdir}: {summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inbeeld", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    analyse = sub.add_parser("analyse", help="apply the rules to an exchange directory")
    analyse.add_argument("directory", help="directory with the exchange format v1 files")
    analyse.add_argument("--on", type=_date, required=True, help="reference date YYYY-MM-DD")
    analyse.add_argument("--out", required=True, help="directory for status.csv and meldingen.csv")
    analyse.add_argument("--quiet", action="store_true", help="no progress on stderr")
    analyse.set_defaults(func=cmd_analyse)

    leerplicht = sub.add_parser("leerplicht", help="when duty starts and ends for one child")
    leerplicht.add_argument("birth_date", type=_date, help="birth date YYYY-MM-DD")
    leerplicht.add_argument("--region", choices=["noord", "midden", "zuid"])
    leerplicht.add_argument("--on", type=_date, help="date to ask about (default today)")
    leerplicht.add_argument(
        "--startkwalificatie", type=_date, help="date a startkwalificatie was obtained"
    )
    leerplicht.add_argument("--exempt", action="store_true", help="exempt from kwalificatieplicht")
    leerplicht.set_defaults(func=cmd_leerplicht)

    demo = sub.add_parser("demo-data", help="write a synthetic municipality in the exchange format")
    demo.add_argument("outdir")
    demo.add_argument("--students", type=_positive, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--on", type=_date, help="reference date the data leads up to (default today)"
    )
    demo.add_argument("--quiet", action="store_true")
    demo.set_defaults(func=cmd_demo_data)
    return parser


OWN_COMMANDS = {"analyse", "leerplicht", "demo-data", "-h", "--help"}


def run_django(argv: Sequence[str]) -> int:
    """Any other command is a Django management command (migrate, runserver, detect, …)."""
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inbeeld.conf.settings.dev")
    command, *rest = argv
    # `inbeeld demo-setup` runs the management command demo_setup
    execute_from_command_line(["inbeeld", command.replace("-", "_"), *rest])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] not in OWN_COMMANDS:
        return run_django(arguments)
    parser = build_parser()
    args = parser.parse_args(arguments)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
