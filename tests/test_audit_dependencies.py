"""The dependency audit's wrapper (scripts/audit_dependencies.py): a found vulnerability fails,
an ignored one with its reason passes, an unreachable service passes with NOT CHECKED."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pip_audit_answers(monkeypatch, *, report: dict | None, stderr: str = "", code: int = 0):
    def run(command, **kwargs):
        if report is not None:
            Path(command[command.index("--output") + 1]).write_text(json.dumps(report))
        return subprocess.CompletedProcess(command, code, "", stderr)

    monkeypatch.setattr(subprocess, "run", run)


VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "4.2.0",
            "vulns": [{"id": "GHSA-1", "fix_versions": ["4.2.1"]}],
        },
        {"name": "polars", "version": "2.1.0", "vulns": []},
    ]
}


def test_a_known_vulnerability_fails(audit, monkeypatch, tmp_path, capsys):
    _pip_audit_answers(monkeypatch, report=VULNERABLE, code=1)
    assert audit.main(["--lock", "x", "--ignore", str(tmp_path / "none.txt")]) == 1
    assert "django 4.2.0: GHSA-1 (fixed in 4.2.1)" in capsys.readouterr().out


def test_an_ignored_vulnerability_needs_a_reason(audit, tmp_path):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text(
        "# comment\nGHSA-1   only the admin's X feature, which Inbeeld does not use\n"
    )
    assert audit.ignored(ignore) == {
        "GHSA-1": "only the admin's X feature, which Inbeeld does not use"
    }
    ignore.write_text("GHSA-1\n")
    with pytest.raises(SystemExit, match="needs a reason"):
        audit.ignored(ignore)


def test_clean_packages_pass(audit, monkeypatch, tmp_path, capsys):
    clean = {"dependencies": [d | {"vulns": []} for d in VULNERABLE["dependencies"]]}
    _pip_audit_answers(monkeypatch, report=clean)
    assert audit.main(["--ignore", str(tmp_path / "none.txt")]) == 0
    assert "no known vulnerabilities in 2 packages" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("report", "stderr"),
    [
        (None, "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/"),
        ({"dependencies": [{"name": "django", "skip_reason": "not found on PyPI"}]}, ""),
    ],
)
def test_an_unreachable_service_is_said_and_passes(
    audit, monkeypatch, tmp_path, capsys, report, stderr
):
    _pip_audit_answers(monkeypatch, report=report, stderr=stderr, code=1)
    assert audit.main(["--ignore", str(tmp_path / "none.txt")]) == 0
    assert "NOT CHECKED" in capsys.readouterr().out


def test_another_failure_fails(audit, monkeypatch, tmp_path):
    _pip_audit_answers(monkeypatch, report=None, stderr="invalid requirement", code=2)
    assert audit.main(["--ignore", str(tmp_path / "none.txt")]) == 2
