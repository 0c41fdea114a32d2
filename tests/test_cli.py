"""The `inbeeld` command end to end: demo data in, status.csv and meldingen.csv out."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from inbeeld.cli import main
from inbeeld.rules.engine import MELDING_COLUMNS, STATUS_COLUMNS

ON = "2025-06-20"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    assert (
        main(
            [
                "demo-data",
                str(directory),
                "--students",
                "3000",
                "--seed",
                "3",
                "--on",
                ON,
                "--quiet",
            ]
        )
        == 0
    )
    return directory


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_analyse_writes_both_files_and_a_summary(demo_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyse", str(demo_dir), "--on", ON, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "Leerlingen in het bestand:" in printed.out
    assert "thuiszitters (absoluut + LRV)" in printed.out
    assert "16 uur in 4 lesweken" in printed.out
    assert "duty" in printed.err  # progress on stderr
    status = read_rows(out / "status.csv")
    meldingen = read_rows(out / "meldingen.csv")
    assert tuple(status[0]) == STATUS_COLUMNS
    assert tuple(meldingen[0]) == MELDING_COLUMNS
    assert len(status) == 3000
    assert {row["rule"] for row in meldingen} == {
        "16_uur",
        "lrv",
        "mazl_7_dagen",
        "mazl_4_in_12",
        "luxe_verzuim",  # the demo's luxe rows (RULES.md §7)
    }
    assert all(row["end_date"] <= ON for row in meldingen)
    assert all(row["hours"] == "" for row in meldingen if row["rule"] != "16_uur")
    assert all(float(row["hours"]) >= 16 for row in meldingen if row["rule"] == "16_uur")
    categories = {row["category"] for row in status}
    assert {"vrijgesteld", "absoluut_verzuim", "langdurig_relatief_verzuim"} <= categories
    for row in status:
        assert row["over_3_months"] in {"true", "false"}
        dt.date.fromisoformat(row["leerplicht_start"])
        if row["category"] == "":
            assert row["since"] == ""
            assert row["over_3_months"] == "false"


def test_bad_input_exits_2_names_every_problem_and_writes_nothing(demo_dir, tmp_path, capsys):
    bad = tmp_path / "bad"
    shutil.copytree(demo_dir, bad)
    lines = (bad / "absences.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("reason")] = "spijbelen"
    lines[1] = ",".join(row)
    row = lines[2].split(",")
    row[header.index("start_date")] = "2025-02-30"
    lines[2] = ",".join(row)
    (bad / "absences.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "status.csv").write_text("earlier result\n", encoding="utf-8")

    assert main(["analyse", str(bad), "--on", ON, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "absences.csv:2: column reason: unknown reason spijbelen" in err
    assert (
        "absences.csv:3: column start_date: date 2025-02-30 is not a valid YYYY-MM-DD date" in err
    )
    assert "2 problem(s)" in err
    assert (out / "status.csv").read_text(encoding="utf-8") == "earlier result\n"
    assert not (out / "meldingen.csv").exists()


def test_missing_directory_exits_2(tmp_path, capsys):
    assert main(["analyse", str(tmp_path / "nope"), "--on", ON, "--out", str(tmp_path / "o")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_bad_reference_date_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["analyse", str(tmp_path), "--on", "20-06-2025", "--out", str(tmp_path / "o")])
    assert exit_info.value.code == 2
    assert "is not a date of the form YYYY-MM-DD" in capsys.readouterr().err


def test_leerplicht_for_one_child(capsys):
    # 5th birthday 28 Feb 2024 -> from 1 March 2024 (a Friday, a school day in noord)
    assert main(["leerplicht", "2019-02-28", "--region", "noord", "--on", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Leerplicht begint:       01-03-2024" in out
    assert "Leerplicht eindigt:      31-07-2035" in out
    assert "Kwalificatieplicht tot:  27-02-2037" in out
    assert "leerplichtig" in out


def test_leerplicht_with_startkwalificatie_before_the_end(capsys):
    assert (
        main(
            ["leerplicht", "2008-10-01", "--startkwalificatie", "2025-07-01", "--on", "2025-09-01"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Kwalificatieplicht:      niet van toepassing" in out
    assert "niet leerplichtig of kwalificatieplichtig" in out


def test_docs_rules_md_is_generated_from_the_code():
    from inbeeld.rules.docs import render

    committed = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == render(), (
        "run `make docs` and commit docs/rules.md"
    )
