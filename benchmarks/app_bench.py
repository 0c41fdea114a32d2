"""Benchmark of the application on PostgreSQL (issue 3): 100,000 pupils with a year of absences.

    python benchmarks/app_bench.py [--students 100000] [--users 20] [--seconds 60]

1. A fresh PostgreSQL database `inbeeld_bench`, migrated; the demo municipality of that size is
   generated and imported through the normal import (timed).
2. `inbeeld detect` (timed): the first run, which stores every status and melding, and a second
   run on the same data, which must change nothing. Target: under 60 s.
3. `inbeeld refresh-figures` and the leerplichttelling of the gemeente (issue 5: under 10 s).
4. The demo gemeente's team gets 5,000 open meldingen (``vandaag_world.py``; one in five assigned
   to the demo leerplichtambtenaar, the rest to nobody yet): the morning of a busy team.
5. gunicorn serves the application; locust (headless) runs 20 concurrent users: leerplicht-
   ambtenaren who open "Vandaag" (the home page, issue 11), the thuiszitters list ("Wie zit er
   thuis?") and child pages (target: p95 under 300 ms for each), and one in five a
   beleidsmedewerker opening the monitor's dashboard (target: p95 under 500 ms).
Prints a Markdown summary for docs/performance.md and writes bench-data/app-results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
ON = "2025-06-20"
PG = "postgres://postgres@127.0.0.1:5432"
#: seconds for every simulated user to log in before the measured minute (see locustfile.py)
WARMUP = 20
#: gunicorn workers: the pages are CPU-bound, so one per core plus one
WORKERS = (os.cpu_count() or 2) + 1


def run(command: list[str], env: dict[str, str], label: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{label} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    print(f"  {label}: {seconds:.1f} s", file=sys.stderr)
    return seconds


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-c", sql],
        check=True,
        capture_output=True,
    )


def analyze(database: str) -> None:
    """Fresh planner statistics for the whole benchmark database, as PostgreSQL's autovacuum
    keeps them in production. This machine's PostgreSQL runs without autovacuum: without this,
    the rows the benchmark adds after the import (the team's meldingen, the cases) are planned
    for the sizes of before."""
    psql("ANALYZE", database)


INBEELD = str(ROOT / ".venv" / "bin" / "inbeeld")


#: the Redis database of the benchmarks' cache, emptied before a server starts
BENCH_REDIS_DB = 13


def bench_env(database: str) -> dict[str, str]:
    """The environment of every command and server of a benchmark on its PostgreSQL database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inbeeld.conf.settings.dev",
        "INBEELD_DATABASE_URL": f"{PG}/{database}",
        "INBEELD_DEBUG": "false",
        "INBEELD_DEMO": "true",
        "INBEELD_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # as in production (docs/deployment.md): one cache shared by the workers, in Redis
        "INBEELD_CACHE_URL": f"redis://127.0.0.1:6379/{BENCH_REDIS_DB}",
        # the systems on the API call every 1–3 s: more than a token's default 1000 an hour (the
        # throttle has its own tests; here it would only answer 429 in place of the work)
        "INBEELD_API_TOKEN_RATE": "100000/hour",
    }


def shell(code: str, env: dict[str, str]) -> str:
    """The last line ``inbeeld shell -c code`` prints (the shell may print a line about
    auto-imports first)."""
    result = subprocess.run(
        [INBEELD, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def serve(env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    """gunicorn serving the application on ``port`` while the block runs (ready when the login
    page answers)."""
    subprocess.run(["redis-cli", "-n", str(BENCH_REDIS_DB), "flushdb"], check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "inbeeld.wsgi:application",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "inbeeld.conf.settings.dev"},
        cwd=ROOT / "src",
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def swarm(
    *, locustfile: str, users: int, seconds: int, port: int, prefix: Path, env: dict[str, str]
) -> None:
    """locust, headless, with ``users`` simulated users for ``seconds``; statistics to
    ``prefix``_stats.csv."""
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "benchmarks" / locustfile),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def locust_stats(prefix: Path) -> dict[str, dict[str, float]]:
    """Per request name: requests, failures, median, p95 and requests per second."""
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "rps": float(row["Requests/s"]),
            }
    return stats


def busy_team(env: dict[str, str], open_meldingen: int) -> int:
    """Top the demo gemeente's team up to ``open_meldingen`` open meldingen (vandaag_world.py);
    returns how many it has."""
    code = (
        "import runpy;runpy.run_path("
        f"{str(ROOT / 'benchmarks' / 'vandaag_world.py')!r}, run_name='__main__')"
    )
    return int(shell(code, {**env, "INBEELD_BENCH_OPEN_MELDINGEN": str(open_meldingen)}))


def worklist_children(env: dict[str, str]) -> str:
    """Up to 500 ids of the gemeente's thuiszitters (its worklist), comma-separated."""
    return shell(
        "from inbeeld.attendance.models import StudentStatus as S;"
        "print(','.join(str(i) for i in S.objects.filter(category__in=['absoluut_verzuim',"
        "'langdurig_relatief_verzuim'], student__municipality_code='GM0014')"
        ".values_list('student_id', flat=True)[:500]))",
        env,
    )


def prepare(*, students: int, database: str, reuse: bool) -> tuple[float, float]:
    """A fresh database ``database`` with the demo municipality of ``students`` pupils imported
    and detected (unless ``reuse``). Returns the seconds of the import and of the first detection
    (NaN when reused)."""
    env = bench_env(database)
    inbeeld = INBEELD
    directory = DATA / f"app-{students}"
    print(f"{students:,} pupils in PostgreSQL", file=sys.stderr)
    imported = first = float("nan")
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        psql(f"CREATE DATABASE {database}")
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
                    ON,
                    "--quiet",
                ],
                env,
                "demo-data",
            )
        imported = run(
            [inbeeld, "demo-setup", "--directory", str(directory), "--on", ON, "--no-detect"],
            env,
            "import and demo users",
        )
        first = run([inbeeld, "detect", "--on", ON, "--quiet"], env, "detect (first run)")
    return imported, first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a former run")
    parser.add_argument("--open-meldingen", type=int, default=5000, help="of the team (Vandaag)")
    parser.add_argument("--database", default="inbeeld_bench")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    database, port = args.database, args.port
    inbeeld, env = INBEELD, bench_env(database)
    imported, first = prepare(students=args.students, database=database, reuse=args.reuse)
    again = run([inbeeld, "detect", "--on", ON, "--quiet"], env, "detect (same data again)")
    figures = run([inbeeld, "refresh-figures", "--on", ON, "--quiet"], env, "refresh figures")
    telling = run(
        [
            inbeeld,
            "shell",
            "-c",
            "from inbeeld.monitor.telling import leerplichttelling;"
            "from inbeeld.monitor.scope import FigureScope;"
            "from inbeeld.accounts.models import Organisation;"
            "g = Organisation.objects.get(type='gemeente', code='GM0014');"
            "leerplichttelling(school_year=2024, scope=FigureScope.for_organisation(g))",
        ],
        env,
        "leerplichttelling 2024/25 of the gemeente (process start included)",
    )

    cold = subprocess.run(
        [
            inbeeld,
            "shell",
            "-c",
            "import time;from django.core.cache import cache;from django.test import Client;"
            "from inbeeld.accounts.models import User;"
            "c = Client(); c.force_login(User.objects.get(username='demo-beleid'));"
            "c.get('/monitor/');"  # load templates and code once: a server process is warm
            "t = [];\n"
            "for y in ('', '?schooljaar=2023', ''):\n"
            "    cache.clear()\n"
            "    s = time.perf_counter(); r = c.get('/monitor/' + y); t.append(time.perf_counter() - s)\n"
            "    assert r.status_code == 200, r.status_code\n"
            "print(round(1000 * max(t)))",
        ],
        env={**env, "INBEELD_ALLOWED_HOSTS": "testserver,127.0.0.1"},
        capture_output=True,
        text=True,
        check=True,
    )
    cold_ms = int(cold.stdout.strip().splitlines()[-1])
    print(f"  monitor dashboard, figures not cached: {cold_ms} ms", file=sys.stderr)

    open_meldingen = busy_team(env, args.open_meldingen)
    analyze(args.database)
    print(f"  open meldingen of the leerplicht team: {open_meldingen:,}", file=sys.stderr)
    ids = worklist_children(env)
    prefix = DATA / "locust"
    with serve(env, port):
        swarm(
            locustfile="locustfile.py",
            users=args.users,
            seconds=args.seconds + WARMUP,
            port=port,
            prefix=prefix,
            env={**env, "INBEELD_BENCH_STUDENTS": ids, "INBEELD_BENCH_WARMUP": str(WARMUP)},
        )
    stats = locust_stats(prefix)
    result = {
        "students": args.students,
        "import_and_users_seconds": round(imported, 1),
        "detect_first_seconds": round(first, 1),
        "detect_again_seconds": round(again, 1),
        "refresh_figures_seconds": round(figures, 1),
        "leerplichttelling_seconds": round(telling, 1),
        "dashboard_uncached_ms": cold_ms,
        "open_meldingen_of_the_team": open_meldingen,
        "users": args.users,
        "seconds": args.seconds,
        "pages": stats,
    }
    (DATA / "app-results.json").write_text(json.dumps(result, indent=2))
    print("\n| step | result |\n|---|---:|")
    print(f"| import {args.students:,} pupils (demo-setup) | {imported:.1f} s |")
    print(f"| detect, first run | {first:.1f} s |")
    print(f"| detect, same data again | {again:.1f} s |")
    print(f"| refresh figures (episodes) | {figures:.1f} s |")
    print(f"| leerplichttelling of the gemeente, in a new process | {telling:.1f} s |")
    print(
        f"| monitor dashboard, one request with the figures not cached (slowest of 3) | {cold_ms} ms |"
    )
    for name in ("Vandaag", "home", "child page", "monitor dashboard"):
        if name in stats:
            s = stats[name]
            what = (
                f"Vandaag ({open_meldingen:,} open meldingen in the team)"
                if name == "Vandaag"
                else "Wie zit er thuis? (thuiszitters)"
                if name == "home"
                else name
            )
            print(
                f"| {what}: p95 / median ({args.users} users, {s['requests']} requests, "
                f"{s['failures']} failures) | {s['p95_ms']:.0f} ms / {s['median_ms']:.0f} ms |"
            )


if __name__ == "__main__":
    main()
