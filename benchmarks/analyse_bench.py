"""Benchmark of `inbeeld analyse` against the floor (DuckDB reading the same files).

    python benchmarks/analyse_bench.py --students 1000000 --students 2500000

For each size: generate the demo municipality once (kept under bench-data/), then time
1. the floor: DuckDB reading the same CSV files and grouping the absences by student;
2. `inbeeld analyse` on the same directory.
Each command runs in its own process; wall time and peak memory (max RSS from wait4) are measured
per process. Prints a Markdown table for docs/performance.md and writes bench-data/results.json.
Targets (issue 2): analyse within 3x the floor and under 4 GB at 1,000,000 students; the country
(2,500,000) completes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
ON = "2025-06-20"
FLOOR_SCRIPT = """
import duckdb, sys
d = sys.argv[1]
con = duckdb.connect()
for name in ("schools", "students", "enrolments", "exemptions"):
    con.execute(f"create table {name} as select * from read_csv('{d}/{name}.csv', all_varchar=true)")
rows = con.execute(
    f"select student_id, count(*), min(start_date), max(end_date) "
    f"from read_csv('{d}/absences.csv', all_varchar=true) group by student_id"
).fetchall()
print(len(rows))
"""


def measure(command: list[str], label: str) -> dict[str, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{label} failed with exit status {code}:\n{stderr[-2000:]}")
    result = {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}
    print(f"  {label}: {result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB", file=sys.stderr)
    return result


def ensure_data(students: int, seed: int) -> Path:
    target = DATA / f"{students}"
    if (target / "absences.csv").exists():
        return target
    print(f"generating {students:,} students", file=sys.stderr)
    measure(
        [
            sys.executable,
            "-m",
            "inbeeld.cli",
            "demo-data",
            str(target),
            "--students",
            str(students),
            "--seed",
            str(seed),
            "--on",
            ON,
            "--quiet",
        ],
        "demo-data",
    )
    return target


def count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 24), b"")) - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, action="append", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = []
    for students in args.students:
        directory = ensure_data(students, args.seed)
        out = DATA / f"{students}-out"
        repeat = args.repeat if students <= 1_000_000 else 1
        floors, runs = [], []
        for i in range(repeat):
            print(f"{students:,} students, run {i + 1}/{repeat}", file=sys.stderr)
            floors.append(
                measure([sys.executable, "-c", FLOOR_SCRIPT, str(directory)], "floor (DuckDB)")
            )
            runs.append(
                measure(
                    [
                        sys.executable,
                        "-m",
                        "inbeeld.cli",
                        "analyse",
                        str(directory),
                        "--on",
                        ON,
                        "--out",
                        str(out),
                        "--quiet",
                    ],
                    "inbeeld analyse",
                )
            )
        floor = min(r["seconds"] for r in floors)
        analyse = min(r["seconds"] for r in runs)
        results.append(
            {
                "students": students,
                "absence_rows": count_rows(directory / "absences.csv"),
                "enrolment_rows": count_rows(directory / "enrolments.csv"),
                "floor_seconds": floor,
                "floor_peak_mb": max(r["peak_mb"] for r in floors),
                "analyse_seconds": analyse,
                "analyse_peak_mb": max(r["peak_mb"] for r in runs),
                "ratio": round(analyse / floor, 2),
                "runs": repeat,
            }
        )
    machine = {
        "date": dt.datetime.now().astimezone().date().isoformat(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    DATA.mkdir(exist_ok=True)
    (DATA / "results.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )
    print(
        f"\nMachine: {machine['platform']}, {machine['cpus']} CPUs, {machine['memory_gb']} GB, "
        f"Python {machine['python']}, {machine['date']}\n"
    )
    print(
        "| students | absence rows | floor (DuckDB) | inbeeld analyse | ratio | peak memory analyse |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['students']:,} | {r['absence_rows']:,} | {r['floor_seconds']:.2f} s | "
            f"{r['analyse_seconds']:.2f} s | {r['ratio']:.2f}x | {r['analyse_peak_mb'] / 1024:.2f} GB |"
        )


if __name__ == "__main__":
    main()
