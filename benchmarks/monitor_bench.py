"""Benchmark of the figures (issue 5): refresh the episodes, count the leerplichttelling.

    python benchmarks/monitor_bench.py [--database postgres://postgres@127.0.0.1:5432/inbeeld_bench]
                                       [--setup 100000] [--on 2025-06-20] [--year 2024]

Without ``--setup`` it uses a database that already holds the demo pupils (the one
``benchmarks/app_bench.py`` leaves behind: ``inbeeld_bench``, 100,000 pupils). With ``--setup N``
it first creates that database afresh with N demo pupils (demo-data, demo-setup, detect; the
meldingen are needed for the relatief-verzuim count). Then it times, in this process:

1. ``refresh_episodes(on=...)``: database → rules episodes → Episode table;
2. ``leerplichttelling`` of the school year, for everything and for the largest gemeente, raw and
   published (target: under 10 s on 100,000 pupils);
3. the three files (CSV, XLSX, PDF) of the gemeente's count.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from app_bench import run  # the same timed step (this folder is on the path of a script)

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"


def setup(database_url: str, students: int, on: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{server}/postgres", "-c", sql], check=True, capture_output=True)
    inbeeld = str(ROOT / ".venv" / "bin" / "inbeeld")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inbeeld.conf.settings.dev",
        "INBEELD_DATABASE_URL": database_url,
        "INBEELD_DEBUG": "false",
        "INBEELD_DEMO": "true",
    }
    directory = ROOT / "bench-data" / f"app-{students}"
    run([inbeeld, "migrate", "--noinput"], env, "migrate")
    if not (directory / "students.csv").exists():
        run(
            [
                inbeeld,
                "demo-data",
                str(directory),
                "--students",
                str(students),
                "--seed",
                "5",
                "--on",
                on,
                "--quiet",
            ],
            env,
            "demo-data",
        )
    run(
        [inbeeld, "demo-setup", "--directory", str(directory), "--on", on, "--no-detect"],
        env,
        "import and demo users",
    )
    run([inbeeld, "detect", "--on", on, "--quiet"], env, "detect")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=f"{PG}/inbeeld_bench")
    parser.add_argument("--setup", type=int, default=0, help="create the database with N pupils")
    parser.add_argument("--on", default="2025-06-20")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    if args.setup:
        setup(args.database, args.setup, args.on)
    os.environ["DJANGO_SETTINGS_MODULE"] = "inbeeld.conf.settings.dev"
    os.environ["INBEELD_DATABASE_URL"] = args.database
    os.environ.setdefault("INBEELD_DEBUG", "false")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db.models import Count

    from inbeeld.monitor.exports import telling_csv, telling_pdf, telling_xlsx
    from inbeeld.monitor.models import Episode
    from inbeeld.monitor.refresh import refresh_episodes
    from inbeeld.monitor.scope import FigureScope
    from inbeeld.monitor.telling import leerplichttelling
    from inbeeld.people.models import Student

    results: list[tuple[str, float]] = []

    def timed(label: str, function):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
        results.append((label, seconds))
        print(f"  {label}: {seconds:.2f} s", file=sys.stderr)
        return value

    pupils = Student.objects.count()
    refresh = timed("refresh_episodes", lambda: refresh_episodes(on=dt.date.fromisoformat(args.on)))
    largest = (
        Episode.objects.values("municipality_code").annotate(n=Count("id")).order_by("-n").first()
    )
    everything = timed("leerplichttelling (all)", lambda: leerplichttelling(school_year=args.year))
    timed("published (all)", everything.published)
    scope = FigureScope.for_gemeente(largest["municipality_code"]) if largest else None
    gemeente = timed(
        "leerplichttelling (largest gemeente)",
        lambda: leerplichttelling(school_year=args.year, scope=scope),
    )
    timed("CSV", lambda: telling_csv(gemeente))
    timed("XLSX", lambda: telling_xlsx(gemeente))
    timed("PDF", lambda: telling_pdf(gemeente))
    print(f"\n{pupils:,} pupils, {refresh.counts['episodes']:,} episodes, on {args.on}\n")
    print("| step | seconds |\n|---|---:|")
    for label, seconds in results:
        print(f"| {label} | {seconds:.2f} |")
    print(
        f"\nthuiszitters {everything.label}: {everything.value('thuiszitters'):,} "
        f"(absoluut verzuim {everything.value('absoluut_verzuim'):,}, "
        f"LRV {everything.value('lrv_total'):,})"
    )


if __name__ == "__main__":
    main()
