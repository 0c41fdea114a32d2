"""The reader never crashes on bad input (issue 10): any number of bad values in any column of any
file gives :class:`ExchangeError` naming every bad line (file, line, column), and through the CLI
exit status 2, no traceback and nothing written.

Exchange directories are generated from the valid set in ``test_exchange.BASE``: rows are drawn
from it (so ids may repeat or go missing), then cells are replaced by values that are bad for their
column (wrong or impossible dates, unknown codes, non-numbers, empty required values, too long
strings, bad BSN/onderwijsnummer, malformed BRIN/municipality), by harmless odd text (commas, quotes,
unicode, long) in free-text columns, by unknown references or by an end before the start. The
expected problems are worked out here independently of the reader.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import tempfile
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.cli import main
from inbeeld.rules.calendar import REGIONS
from inbeeld.rules.exchange import COLUMNS, ExchangeError, Problem, read_exchange
from inbeeld.rules.identifiers import is_valid_bsn, is_valid_onderwijsnummer
from inbeeld.rules.model import ARTICLES, REASONS, SECTORS
from inbeeld.rules.tests.test_exchange import BASE, make_dir

ON = "2025-06-20"
KIND = {name: {c.name: c.kind for c in columns} for name, columns in COLUMNS.items()}
REQUIRED = {name: {c.name for c in columns if c.required} for name, columns in COLUMNS.items()}
OPTIONAL_FILES = ("absences", "exemptions", "calendar")
CHOICES = {"sector": SECTORS, "region": REGIONS, "reason": REASONS, "article": ARTICLES}


def _rows(name: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(BASE[name])))
    return header, rows


BASE_ROWS = {name: _rows(name) for name in BASE}


def _with_column(name: str, column: str, values: list[str]) -> None:
    """Add an optional column of exchange format v2 (RULES.md §7) to the base rows."""
    header, rows = BASE_ROWS[name]
    BASE_ROWS[name] = (
        [*header, column],
        [[*row, values[i % len(values)]] for i, row in enumerate(rows)],
    )


# the v2 columns and codes (RULES.md §7) are fuzzed like the others
_with_column("enrolments", "hours_per_day", ["", "2.5", "4"])
_with_column("exemptions", "permanent", ["true", "false"])
BASE_ROWS["absences"][1].extend(
    [
        ["S0000001", "2025-02-03", "2025-02-04", "luxe", ""],
        ["S0000001", "2025-03-03", "2025-03-03", "11a", "2"],
    ]
)
BASE_ROWS["exemptions"][1].extend(
    [
        ["S0000002", "3a", "2023-08-01", "", "false"],
        ["S0000001", "5a_trekkend", "2024-08-01", "", ""],
    ]
)

# text that survives the reader's trimming unchanged: no control characters, no surrounding space
_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=12,
)
_long = st.integers(200, 2000).map(lambda n: "x" * n)


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number_in_range(value: str) -> bool:
    try:
        hours = float(value)
    except ValueError:
        return False
    return 0 < hours <= 24


def _valid(kind: str, value: str) -> bool:
    """Whether a non-empty, trimmed value is accepted for a column of ``kind`` (RULES.md §6)."""
    if kind == "date":
        return _is_date(value)
    if kind == "brin":
        return re.fullmatch(r"[0-9]{2}[A-Z]{2}([0-9]{2})?", value) is not None
    if kind == "bsn":
        return is_valid_bsn(value)
    if kind == "onderwijsnummer":
        return is_valid_onderwijsnummer(value)
    if kind in CHOICES:
        return value in CHOICES[kind]
    if kind == "municipality":
        return re.fullmatch(r"GM[0-9]{4}", value) is not None
    if kind == "hours":
        return _is_number_in_range(value)
    if kind == "bool":
        return value.lower() in ("true", "1", "yes", "ja", "false", "0", "no", "nee")
    return True


BAD_EXAMPLES = {
    "date": ["2025-02-30", "2025-13-01", "20-06-2025", "2025/01/06", "2025-1-6", "morgen", "0"],
    "brin": ["12ab", "1AB", "12ABC", "ABCD", "12AB0", "12AB012"],
    "bsn": ["111222334", "12345", "abcdefghi", "000000000", "1112223330", "11122233x"],
    "onderwijsnummer": ["100000005", "200000004", "10000000", "1000000041"],
    "municipality": ["GM14", "gm0014", "0014", "GM00140", "Groningen"],
    "hours": ["abc", "0", "-1", "25", "nan", "inf", "2,5", "1e3"],
    "bool": ["maybe", "2", "waar", "t"],
    "sector": ["PO", "havo", "p o"],
    "region": ["Noord", "oost", "zuid-west"],
    "reason": ["spijbelen", "Ziek", "ziek!", "verlof"],
    "article": ["5d", "5A", "16", "art. 5a"],
}


def _bad_value(kind: str) -> st.SearchStrategy[str]:
    """A value that is wrong for a column of ``kind`` (empty counts only for required columns)."""
    options = [st.sampled_from(BAD_EXAMPLES[kind]), _text, _long] if kind in BAD_EXAMPLES else []
    return st.one_of(*options).filter(lambda v: not _valid(kind, v)) if options else st.nothing()


def _odd_text() -> st.SearchStrategy[str]:
    """Harmless text for free-text columns: quotes, commas, unicode, very long."""
    return st.one_of(_text, _long, st.sampled_from(["a,b", '"quoted"', 'x""y', "é ü ß", "a;b"]))


def _padding(
    name: str, header: list[str], files: dict[str, tuple[list[str], list[list[str]]]], n: int
) -> list[list[str]]:
    """``n`` valid rows for file ``name`` with ids of their own (students P..., schools ..ZZ..)."""
    student = next((row[0] for row in files["students"][1] if row[0]), "S0000001")
    brin = next((row[0] for row in files["schools"][1] if row[0]), "12AB")
    values = {
        "schools": lambda i: {"brin": f"{i // 100:02d}ZZ{i % 100:02d}", "name": f"School {i}"},
        "students": lambda i: {"student_id": f"P{i:07d}"},
        "enrolments": lambda i: {"student_id": student, "brin": brin},
        "absences": lambda i: {"student_id": student},
        "exemptions": lambda i: {"student_id": student},
        "calendar": lambda i: {},
    }[name]
    template = dict(zip(header, BASE_ROWS[name][1][0], strict=True))
    return [[{**template, **values(i)}[c] for c in header] for i in range(n)]


@st.composite
def exchange_dirs(draw: st.DrawFn) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Files (header, rows) built from BASE with bad values put anywhere."""
    files: dict[str, tuple[list[str], list[list[str]]]] = {}
    for name, (header, rows) in BASE_ROWS.items():
        least = 0 if name in OPTIONAL_FILES else 1
        chosen = draw(st.lists(st.sampled_from(rows), min_size=least, max_size=5))
        files[name] = (header, [list(row) for row in chosen])
    # padding with valid rows makes Polars read a file in several chunks
    for name in draw(st.sets(st.sampled_from(list(files)))):
        header, rows = files[name]
        at = draw(st.integers(0, len(rows)))
        rows[at:at] = _padding(name, header, files, draw(st.sampled_from([300, 3000])))
    names = [name for name, (_, rows) in files.items() if rows]
    for _ in range(draw(st.integers(0, 12))):
        name = draw(st.sampled_from(names))
        header, rows = files[name]
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(header))
        kind = KIND[name][column]
        required = column in REQUIRED[name]
        options = []
        if kind in BAD_EXAMPLES:
            options.append(_bad_value(kind))
        else:
            options.append(_odd_text())
        if required:
            options.append(st.just(""))
        if column == "student_id" and name != "students":
            options.append(st.sampled_from(["S9999999", "onbekend"]))  # unknown student
        if column == "brin" and name == "enrolments":
            options.append(st.just("99ZZ"))  # unknown school
        if column == "end_date":
            options.append(st.just("1990-01-01"))  # before every start
        if column in ("student_id", "brin") and name in ("students", "schools"):
            others = [r[header.index(column)] for r in BASE_ROWS[name][1]]
            options.append(st.sampled_from(others))  # a duplicate, or a student left out
        row[header.index(column)] = draw(st.one_of(*options))
    return files


def expected_problems(
    files: dict[str, tuple[list[str], list[list[str]]]],
) -> set[tuple[str, int, str]]:
    """(file, line, column) of every problem, worked out without the reader."""
    out: set[tuple[str, int, str]] = set()
    for name, (header, rows) in files.items():
        for line, row in enumerate(rows, start=2):
            values = dict(zip(header, row, strict=True))
            for column, value in values.items():
                kind = KIND[name][column]
                if value == "":
                    if column in REQUIRED[name]:
                        out.add((f"{name}.csv", line, column))
                elif not _valid(kind, value):
                    out.add((f"{name}.csv", line, column))
            start, end = values.get("start_date", ""), values.get("end_date", "")
            if _is_date(start) and _is_date(end) and end < start:
                out.add((f"{name}.csv", line, "end_date"))
    for name, key in (("students", "student_id"), ("schools", "brin")):
        header, rows = files[name]
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            value = row[header.index(key)]
            if value and value in seen:
                out.add((f"{name}.csv", line, key))
            seen.add(value)
    students = {row[0] for row in files["students"][1] if row[0]}
    schools = {row[0] for row in files["schools"][1] if row[0]}
    for name in ("enrolments", "absences", "exemptions"):
        header, rows = files[name]
        for line, row in enumerate(rows, start=2):
            student = row[header.index("student_id")]
            if student and student not in students:
                out.add((f"{name}.csv", line, "student_id"))
            if name == "enrolments":
                brin = row[header.index("brin")]
                if brin and _valid("brin", brin) and brin not in schools:
                    out.add((f"{name}.csv", line, "brin"))
    return out


def write_dir(root: Path, files: dict[str, tuple[list[str], list[list[str]]]]) -> Path:
    texts: dict[str, str | bytes | None] = {}
    for name, (header, rows) in files.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        texts[name] = buffer.getvalue()
    return make_dir(root, **texts)


def check_directory(root: Path, files: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    directory = write_dir(root, files)
    expected = expected_problems(files)
    try:
        read_exchange(directory)
    except ExchangeError as error:
        problems: list[Problem] = error.problems
    except BaseException:  # anything else is a crash: show it
        pytest.fail(f"the reader crashed:\n{traceback.format_exc()}")
    else:
        problems = []
    found = {(p.file, p.line, p.column) for p in problems}
    assert found == expected, [str(p) for p in problems]
    if not expected:
        return

    out = root / "out"
    out.mkdir(exist_ok=True)
    (out / "status.csv").write_text("earlier\n", encoding="utf-8")
    capture = io.StringIO()
    with contextlib.redirect_stderr(capture), contextlib.redirect_stdout(io.StringIO()):
        code = main(["analyse", str(directory), "--on", ON, "--out", str(out), "--quiet"])
    err = capture.getvalue()
    assert code == 2, err
    assert "Traceback" not in err
    for file, line, column in expected:
        assert f"{file}:{line}: column {column}: " in err, (file, line, column)
    assert sorted(p.name for p in out.iterdir()) == ["status.csv"]
    assert (out / "status.csv").read_text(encoding="utf-8") == "earlier\n"


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(files=exchange_dirs())
def test_any_bad_values_give_every_problem_and_exit_2(files) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_directory(Path(tmp), files)


def test_several_unknown_reasons_in_a_long_file_are_all_listed(tmp_path: Path) -> None:
    # issue 10: several bad values in a file Polars reads in chunks panicked the reader
    # ("assertion failed: i < self.len()") when it formatted the messages; now every one is listed
    header, rows = BASE_ROWS["absences"]
    padding = _padding(
        "absences",
        header,
        {"students": BASE_ROWS["students"], "schools": BASE_ROWS["schools"]},
        3000,
    )
    bad = [*rows[:1], *padding[:1500], *rows, *padding[1500:], *rows]
    reason = header.index("reason")
    lines = [2, 1503, len(bad) + 1]
    for line, value in zip(lines, ["spijbelen", "Ziek", "verlof"], strict=True):
        bad[line - 2] = [*bad[line - 2]]
        bad[line - 2][reason] = value
    files = {name: BASE_ROWS[name] for name in BASE_ROWS} | {"absences": (header, bad)}
    assert expected_problems(files) == {("absences.csv", line, "reason") for line in lines}
    check_directory(tmp_path, files)
