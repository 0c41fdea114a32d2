"""Crash safety (issue 14): ``kill -9`` of ``inbeeld import`` and of ``inbeeld detect`` at random
moments, a few seeds, on a file SQLite database. After each kill the database is consistent (an
import's rows and its finished record, or neither; no detection run half stored), the next run
completes, and the end state (students, statuses, meldingen) equals a clean run's."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ON = "2026-11-02"
STUDENTS = 1500
SRC = Path(__file__).resolve().parents[1] / "src"
SETUP = """
import django; django.setup()
from inbeeld.accounts.services import organisation_create
from inbeeld.demo import setup
organisation_create(actor=None, type="gemeente", name=setup.MUNICIPALITY_NAME,
                    code=setup.MUNICIPALITY, municipality_code=setup.MUNICIPALITY)
"""

pytestmark = pytest.mark.slow


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INBEELD_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="inbeeld.conf.settings.dev",
        INBEELD_DATABASE_URL=f"sqlite:///{database}",
        INBEELD_DEBUG="false",
        INBEELD_LOG_LEVEL="WARNING",
        PYTHONPATH=f"{SRC}{os.pathsep}{env.get('PYTHONPATH', '')}",
    )
    return env


def _inbeeld(database: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "inbeeld.cli", *args]


def _run(database: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        _inbeeld(database, *args), env=_env(database), check=True, capture_output=True, timeout=600
    )
    return time.perf_counter() - started


def _killed(database: Path, after: float, *args: str) -> None:
    process = subprocess.Popen(
        _inbeeld(database, *args),
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def _state(database: Path) -> dict[str, object]:
    with sqlite3.connect(database) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "students": one("select count(*) from people_student"),
            "absences": one("select count(*) from attendance_absencerecord"),
            "imports_done": one("select count(*) from attendance_importbatch where state='done'"),
            "imports_running": one(
                "select count(*) from attendance_importbatch where state='running'"
            ),
            "runs": one("select count(*) from attendance_detectionrun"),
            "runs_unfinished": one(
                "select count(*) from attendance_detectionrun where finished_at is null"
            ),
            "statuses": one("select count(*) from attendance_studentstatus"),
            "meldingen": one("select count(*) from attendance_melding"),
            "integrity": one("pragma integrity_check"),
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A migrated database with the gemeente, the demo files, and a clean run's end state."""
    base = tmp_path_factory.mktemp("crash")
    files, empty = base / "files", base / "empty.sqlite3"
    subprocess.run(
        _inbeeld(empty, "demo-data", str(files), "--students", str(STUDENTS), "--seed", "7",
                 "--on", ON),
        env=_env(empty), check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    _run(empty, "migrate", "--noinput")
    subprocess.run(
        [sys.executable, "-c", SETUP], env=_env(empty), check=True, capture_output=True, timeout=120
    )
    clean = base / "clean.sqlite3"
    shutil.copyfile(empty, clean)
    import_seconds = _run(clean, "import", str(files), "--organisation", "gemeente:GM0014")
    detect_seconds = _run(clean, "detect", "--on", ON)
    return {
        "base": base,
        "files": files,
        "empty": empty,
        "clean": _state(clean),
        "import_seconds": import_seconds,
        "detect_seconds": detect_seconds,
    }


def _import_args(world) -> tuple[str, ...]:
    return ("import", str(world["files"]), "--organisation", "gemeente:GM0014", "--quiet")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_leaves_a_consistent_database_and_the_next_run_completes(world, seed):
    rng = random.Random(seed)
    clean = world["clean"]
    database = world["base"] / f"seed-{seed}.sqlite3"
    shutil.copyfile(world["empty"], database)

    # an import killed at a random moment: all its rows and its finished record, or none
    # (the process's start takes about half of the time: kill it in the second half)
    _killed(database, world["import_seconds"] * rng.uniform(0.5, 1.0), *_import_args(world))
    after = _state(database)
    assert after["integrity"] == "ok"
    if after["imports_done"]:
        assert (after["students"], after["absences"]) == (clean["students"], clean["absences"])
    else:
        assert (after["students"], after["absences"]) == (0, 0)
    # the next import completes (when the killed one had not) and no import stays "running"
    if not after["imports_done"]:
        _run(database, *_import_args(world))
    after = _state(database)
    assert after["imports_running"] == 0
    assert (after["students"], after["absences"]) == (clean["students"], clean["absences"])

    # a detection killed at a random moment: the run with all it stored, or nothing
    _killed(database, world["detect_seconds"] * rng.uniform(0.5, 1.0), "detect", "--on", ON)
    after = _state(database)
    assert after["integrity"] == "ok"
    assert after["runs_unfinished"] == 0
    if after["runs"]:
        assert (after["statuses"], after["meldingen"]) == (clean["statuses"], clean["meldingen"])
    else:
        assert (after["statuses"], after["meldingen"]) == (0, 0)
    # the next detection completes; the end state is the clean run's
    _run(database, "detect", "--on", ON)
    after = _state(database)
    assert after["runs_unfinished"] == 0
    for key in ("students", "absences", "statuses", "meldingen"):
        assert after[key] == clean[key], key
