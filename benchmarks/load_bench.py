"""The mixed load of issue 14 on PostgreSQL: 50 concurrent users for 10 minutes on 100,000 pupils.

    python benchmarks/load_bench.py [--students 100000] [--users 50] [--seconds 600] [--reuse]

1. The database of `app_bench.py` (the demo municipality of that size imported and detected; with
   ``--reuse`` the one a former run left), the leerplicht team's 5,000 open meldingen, and up to 200
   cases led by the demo leerplichtambtenaar with a personal API token (``load_world.py``).
2. gunicorn serves the application; locust (headless, ``locustfile_mixed.py``) runs the users:
   leerplichtambtenaren (Vandaag, thuiszitters, child page, case page), beleidsmedewerkers (the
   monitor) and systems on the API (student search, meldingen, cases; contact log writes).
3. Every 10 s the resident memory of each gunicorn worker is read from /proc.
Targets: no failed request, p95 under 300 ms for every page and endpoint, and no growth of the
workers' memory over the run (the sum of the workers' memory at the end within 5% of that at the
end of the first measured minute). Prints a Markdown summary for docs/performance.md and writes
bench-data/load-results.json; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from app_bench import (
    DATA,
    WARMUP,
    analyze,
    bench_env,
    busy_team,
    locust_stats,
    prepare,
    serve,
    shell,
    swarm,
)

ROOT = Path(__file__).resolve().parent.parent
P95_MS = 300
MEMORY_GROWTH = 0.05
SAMPLE_SECONDS = 10


def worker_memory(master: int) -> int:
    """The sum of the resident memory (bytes) of the gunicorn master's workers."""
    total = 0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except FileNotFoundError:  # a worker that just restarted
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a former run")
    parser.add_argument("--database", default="inbeeld_bench")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    env = bench_env(args.database)
    prepare(students=args.students, database=args.database, reuse=args.reuse)
    open_meldingen = busy_team(env, 5000)
    code = (
        "import runpy;runpy.run_path("
        f"{str(ROOT / 'benchmarks' / 'load_world.py')!r}, run_name='__main__')"
    )
    world = json.loads(shell(code, env))
    analyze(args.database)
    print(
        f"  {len(world['cases'])} cases, {open_meldingen:,} open meldingen in the team",
        file=sys.stderr,
    )
    prefix = DATA / "load"
    samples: list[tuple[float, int]] = []
    with serve(env, args.port) as server:
        started = time.monotonic()
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                samples.append((time.monotonic() - started, worker_memory(server.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            swarm(
                locustfile="locustfile_mixed.py",
                users=args.users,
                seconds=args.seconds + WARMUP,
                port=args.port,
                prefix=prefix,
                env={
                    **env,
                    "INBEELD_BENCH_CASES": ",".join(map(str, world["cases"])),
                    "INBEELD_BENCH_STUDENTS": ",".join(map(str, world["children"])),
                    "INBEELD_BENCH_TOKEN": world["token"],
                    "INBEELD_BENCH_WARMUP": str(WARMUP),
                    "PYTHONPATH": str(ROOT / "benchmarks"),
                },
            )
        finally:
            done.set()
            sampler.join()
    stats = {
        name: row
        for name, row in locust_stats(prefix).items()
        if name not in ("Aggregated", "login form", "login")
    }
    settled = [m for t, m in samples if t >= WARMUP + 60]
    first, last = (settled[0], settled[-1]) if settled else (0, 0)
    growth = (last - first) / first if first else float("nan")
    failures = sum(int(row["failures"]) for row in stats.values())
    slow = [name for name, row in stats.items() if row["p95_ms"] >= P95_MS]
    result = {
        "students": args.students,
        "users": args.users,
        "seconds": args.seconds,
        "cases": len(world["cases"]),
        "open_meldingen_of_the_team": open_meldingen,
        "pages": stats,
        "worker_memory_bytes": samples,
        "worker_memory_growth": growth,
    }
    (DATA / "load-results.json").write_text(json.dumps(result, indent=2))
    print(f"\n{args.users} users for {args.seconds} s on {args.students:,} pupils (PostgreSQL)\n")
    print("| page or endpoint | requests | failures | median | p95 |\n|---|---:|---:|---:|---:|")
    for name, row in sorted(stats.items()):
        print(
            f"| {name} | {row['requests']:,} | {row['failures']} | {row['median_ms']:.0f} ms "
            f"| {row['p95_ms']:.0f} ms |"
        )
    print(
        f"\nworkers' memory: {first / 2**20:.0f} MB after the first minute, "
        f"{last / 2**20:.0f} MB at the end ({growth:+.1%}); samples every {SAMPLE_SECONDS} s: "
        f"{len(samples)}"
    )
    missed = []
    if failures:
        missed.append(f"{failures} failed requests")
    if slow:
        missed.append(f"p95 of {P95_MS} ms passed by: {', '.join(slow)}")
    if not settled or growth > MEMORY_GROWTH:
        missed.append(f"the workers' memory grew by {growth:+.1%}")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
