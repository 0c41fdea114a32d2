"""The exchange format v1 reader (RULES.md §6): typed frames, and every problem with file/line/column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.rules import exchange
from inbeeld.rules.exchange import (
    ExchangeError,
    Problem,
    read_calendar,
    read_exchange,
    write_exchange,
)
from inbeeld.rules.model import SCHEMAS

BASE = {
    "schools": (
        "brin,name,sector,region,municipality,hours_per_day,partnership\n"
        "12AB,De Linde,po,noord,GM0014,,PO2001\n"
        '34CD01,"Lyceum, Het",vo,midden,GM0344,6.5,\n'
    ),
    "students": (
        "student_id,birth_date,municipality,region,startkwalificatie_date,"
        "kwalificatieplicht_exempt,bsn,onderwijsnummer,given_names,family_name,postcode\n"
        "S0000001,2012-03-04,GM0014,noord,,,111222333,,Anna,Jansen,9701AB\n"
        "S0000002,2008-05-06,GM0344,,2025-06-30,true,10000008,,Bram,de Vries,\n"
        "S0000003,2010-09-10,GM0344,,,false,,100000004,Chris,Bakker,\n"
    ),
    "enrolments": (
        "student_id,brin,start_date,end_date\n"
        "S0000001,12AB,2016-08-01,\n"
        "S0000002,34CD01,2020-08-01,2025-07-31\n"
        "S0000003,34CD01,2022-08-01,\n"
    ),
    "absences": (
        "student_id,start_date,end_date,reason,hours_per_day\n"
        "S0000001,2025-01-06,2025-01-07,ziek,\n"
        "S0000002,2025-01-08,2025-01-08,ongeoorloofd,2.5\n"
    ),
    "exemptions": ("student_id,article,start_date,end_date\nS0000003,5a,2024-09-01,\n"),
    "calendar": (
        "region,start_date,end_date,name\nnoord,2025-02-15,2025-02-23,voorjaarsvakantie\n"
    ),
}
#: the line a row appended to a BASE file lands on
NEXT_LINE = {name: text.count("\n") + 1 for name, text in BASE.items()}


def make_dir(root: Path, **files: str | bytes | None) -> Path:
    """An exchange directory: BASE with ``files`` replacing (or, when None, removing) some."""
    directory = root / "exchange"
    directory.mkdir(exist_ok=True)
    contents: dict[str, str | bytes | None] = {**BASE, **files}
    for name, text in contents.items():
        if text is None:
            continue
        path = directory / f"{name}.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return directory


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(ExchangeError) as info:
        read_exchange(directory)
    return info.value.problems


def where(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.column) for p in problems]


# -- a valid directory -----------------------------------------------------------------------------


def test_reads_typed_frames(tmp_path: Path) -> None:
    ds = read_exchange(make_dir(tmp_path))
    for name in ("schools", "students", "enrolments", "absences", "exemptions", "calendar"):
        frame = getattr(ds, name)
        assert frame.schema == pl.Schema(SCHEMAS[name]), name
    assert ds.schools.rows() == [
        ("12AB", "De Linde", "po", "noord", "GM0014", 5.0, "PO2001"),  # default hours for po
        ("34CD01", "Lyceum, Het", "vo", "midden", "GM0344", 6.5, None),
    ]
    students = ds.students
    assert students["kwalificatieplicht_exempt"].to_list() == [False, True, False]
    assert students["bsn"].to_list() == ["111222333", "010000008", None]
    assert students["onderwijsnummer"].to_list() == [None, None, "100000004"]
    assert students["region"].to_list() == ["noord", None, None]
    assert students["startkwalificatie_date"].to_list() == [None, dt.date(2025, 6, 30), None]
    assert ds.enrolments["line"].to_list() == [2, 3, 4]
    assert ds.enrolments["end_date"].to_list() == [None, dt.date(2025, 7, 31), None]
    assert ds.absences["hours_per_day"].to_list() == [None, 2.5]
    assert ds.calendar is not None
    assert ds.calendar.rows() == [
        ("noord", dt.date(2025, 2, 15), dt.date(2025, 2, 23), "voorjaarsvakantie")
    ]


def test_optional_files_may_be_missing(tmp_path: Path) -> None:
    ds = read_exchange(make_dir(tmp_path, absences=None, exemptions=None, calendar=None))
    assert ds.absences.is_empty()
    assert ds.absences.schema == pl.Schema(SCHEMAS["absences"])
    assert ds.exemptions.is_empty()
    assert ds.exemptions.schema == pl.Schema(SCHEMAS["exemptions"])
    assert ds.calendar is None


def test_empty_optional_file_has_no_rows(tmp_path: Path) -> None:
    ds = read_exchange(make_dir(tmp_path, exemptions=""))
    assert ds.exemptions.is_empty()


def test_unknown_columns_ignored_and_column_order_free(tmp_path: Path) -> None:
    enrolments = (
        "note,end_date,brin,line,student_id,start_date\n"
        "hello,,12AB,99,S0000001,2016-08-01\n"
        "x,2025-07-31,34CD01,,S0000002,2020-08-01\n"
        ",,34CD01,,S0000003,2022-08-01\n"
    )
    ds = read_exchange(make_dir(tmp_path, enrolments=enrolments))
    assert ds.enrolments.columns == list(SCHEMAS["enrolments"])
    assert ds.enrolments["brin"].to_list() == ["12AB", "34CD01", "34CD01"]
    assert ds.enrolments["line"].to_list() == [2, 3, 4]


def test_values_are_trimmed_and_empty_is_null(tmp_path: Path) -> None:
    absences = (
        " student_id , start_date,end_date,reason,hours_per_day\n"
        " S0000001 , 2025-01-06 ,2025-01-07,  ziek  ,   \n"
        '"S0000002","2025-01-08","2025-01-08","ongeoorloofd",""\n'
    )
    ds = read_exchange(make_dir(tmp_path, absences=absences))
    assert ds.absences.rows() == [
        ("S0000001", dt.date(2025, 1, 6), dt.date(2025, 1, 7), "ziek", None),
        ("S0000002", dt.date(2025, 1, 8), dt.date(2025, 1, 8), "ongeoorloofd", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("true", True), ("TRUE", True), ("1", True), ("Yes", True), ("ja", True)],
        *[("false", False), ("0", False), ("no", False), ("NEE", False), ("", False)],
    ],
)
def test_kwalificatieplicht_exempt_words(tmp_path: Path, text: str, expected: bool) -> None:
    students = (
        "student_id,birth_date,municipality,kwalificatieplicht_exempt\n"
        f"S0000001,2012-03-04,GM0014,{text}\n"
        "S0000002,2008-05-06,GM0344,\n"
        "S0000003,2010-09-10,GM0344,\n"
    )
    ds = read_exchange(make_dir(tmp_path, students=students))
    assert ds.students["kwalificatieplicht_exempt"][0] is expected


def test_blank_lines_are_ignored_but_keep_their_number(tmp_path: Path) -> None:
    enrolments = (
        "student_id,brin,start_date,end_date\n"
        "S0000001,12AB,2016-08-01,\n"
        "\n"
        "S0000002,34CD01,2020-08-01,2025-07-31\n"
        "S0000003,34CD01,2022-08-01,\n"
        "\n"
    )
    ds = read_exchange(make_dir(tmp_path, enrolments=enrolments))
    assert ds.enrolments["line"].to_list() == [2, 4, 5]


def test_quoted_line_break_in_a_value(tmp_path: Path) -> None:
    schools = BASE["schools"] + '56EF,"School\nmet twee regels",vo,zuid,GM0796,,\n'
    enrolments = BASE["enrolments"] + "S0000003,56EF,2023-08-01,\n"
    ds = read_exchange(make_dir(tmp_path, schools=schools, enrolments=enrolments))
    assert ds.schools["name"][2] == "School\nmet twee regels"


def test_progress_is_reported(tmp_path: Path) -> None:
    messages: list[str] = []
    read_exchange(make_dir(tmp_path), progress=messages.append)
    assert "reading students.csv" in messages
    assert any("absences.csv: 2 rows" in m for m in messages)


# -- problems --------------------------------------------------------------------------------------


def test_problem_text() -> None:
    problem = Problem(
        "absences.csv", 17, "end_date", "end date 2025-01-03 is before start date 2025-01-05"
    )
    assert str(problem) == (
        "absences.csv:17: column end_date: end date 2025-01-03 is before start date 2025-01-05"
    )
    assert str(Problem("schools.csv", 0, "", "required file is missing")) == (
        "schools.csv: required file is missing"
    )
    error = ExchangeError([problem, problem])
    assert error.problems == [problem, problem]
    assert str(error).splitlines() == [
        "2 problems in the exchange files:",
        f"  {problem}",
        f"  {problem}",
    ]
    assert isinstance(error, Exception)


def test_error_text_is_capped_but_problems_are_complete() -> None:
    many = [Problem("absences.csv", i, "reason", "unknown reason x") for i in range(2, 502)]
    error = ExchangeError(many)
    assert len(error.problems) == 500
    assert str(error).endswith("... and 400 more")


@pytest.mark.parametrize("name", ["schools", "students", "enrolments"])
def test_missing_required_file(tmp_path: Path, name: str) -> None:
    problems = problems_of(make_dir(tmp_path, **{name: None}))
    assert problems == [
        Problem(
            f"{name}.csv",
            0,
            "",
            f"required file is missing (neither {name}.csv nor {name}.parquet exists)",
        )
    ]


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("schools", "brin"),
        ("schools", "name"),
        ("schools", "sector"),
        ("schools", "region"),
        ("schools", "municipality"),
        ("students", "student_id"),
        ("students", "birth_date"),
        ("students", "municipality"),
        ("enrolments", "student_id"),
        ("enrolments", "brin"),
        ("enrolments", "start_date"),
        ("absences", "student_id"),
        ("absences", "start_date"),
        ("absences", "end_date"),
        ("absences", "reason"),
        ("exemptions", "student_id"),
        ("exemptions", "article"),
        ("exemptions", "start_date"),
        ("calendar", "region"),
        ("calendar", "start_date"),
        ("calendar", "end_date"),
    ],
)
def test_missing_required_column(tmp_path: Path, name: str, column: str) -> None:
    frame = pl.read_csv(BASE[name].encode(), infer_schema=False).drop(column)
    problems = problems_of(make_dir(tmp_path, **{name: frame.write_csv()}))
    assert Problem(f"{name}.csv", 1, column, f"required column {column} is missing") in problems
    if column not in ("student_id", "brin"):  # those also silence the cross-file checks
        assert len(problems) == 1, problems


@pytest.mark.parametrize(
    ("name", "row", "column", "message"),
    [
        # required value empty
        ("schools", "56EF,,vo,zuid,GM0796,,", "name", "required value name is empty"),
        (
            "students",
            "S0000004,,GM0014,,,,,,,,",
            "birth_date",
            "required value birth_date is empty",
        ),
        ("enrolments", "S0000001,12AB,,", "start_date", "required value start_date is empty"),
        (
            "absences",
            ",2025-01-06,2025-01-06,ziek,",
            "student_id",
            "required value student_id is empty",
        ),
        ("exemptions", "S0000001,,2025-01-01,", "article", "required value article is empty"),
        ("calendar", "zuid,2025-01-01,,", "end_date", "required value end_date is empty"),
        # dates
        (
            "students",
            "S0000004,2025-02-30,GM0014,,,,,,,,",
            "birth_date",
            "date 2025-02-30 is not a valid YYYY-MM-DD date",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,2025-13-01,,,,,,",
            "startkwalificatie_date",
            "date 2025-13-01 is not a valid YYYY-MM-DD date",
        ),
        (
            "enrolments",
            "S0000001,12AB,2016-8-1,",
            "start_date",
            "date 2016-8-1 is not a valid YYYY-MM-DD date",
        ),
        (
            "enrolments",
            "S0000001,12AB,2016-08-01,31-07-2017",
            "end_date",
            "date 31-07-2017 is not a valid YYYY-MM-DD date",
        ),
        (
            "absences",
            "S0000001,20250106,2025-01-06,ziek,",
            "start_date",
            "date 20250106 is not a valid YYYY-MM-DD date",
        ),
        (
            "exemptions",
            "S0000001,5a,2025-01-01T00:00,",
            "start_date",
            "date 2025-01-01T00:00 is not a valid YYYY-MM-DD date",
        ),
        (
            "calendar",
            "zuid,2025-02-29,2025-03-01,",
            "start_date",
            "date 2025-02-29 is not a valid YYYY-MM-DD date",
        ),
        # identifiers
        (
            "schools",
            "56ef,X,vo,zuid,GM0796,,",
            "brin",
            "brin 56ef is malformed (expected 2 digits and 2 capital letters, "
            "optionally 2 more digits, like 12AB or 12AB01)",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,,,123456789,,,,",
            "bsn",
            "bsn 123456789 fails the 11-proef",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,,,1234-5678,,,,",
            "bsn",
            "bsn 1234-5678 is malformed (expected 9 digits, or 8 without the leading zero)",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,,,,100000005,,,",
            "onderwijsnummer",
            "onderwijsnummer 100000005 fails the 11-proef (remainder 5)",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,,,,200000002,,,",
            "onderwijsnummer",
            "onderwijsnummer 200000002 is malformed (expected 9 digits starting with 10)",
        ),
        # codes
        (
            "schools",
            "56EF,X,havo,zuid,GM0796,,",
            "sector",
            "unknown sector havo (expected one of po/so/vo/vso/mbo)",
        ),
        (
            "schools",
            "56EF,X,vo,west,GM0796,,",
            "region",
            "unknown region west (expected one of noord/midden/zuid)",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,Noord,,,,,,,",
            "region",
            "unknown region Noord (expected one of noord/midden/zuid)",
        ),
        (
            "calendar",
            "oost,2025-01-01,2025-01-02,",
            "region",
            "unknown region oost (expected one of noord/midden/zuid)",
        ),
        (
            "schools",
            "56EF,X,vo,zuid,0796,,",
            "municipality",
            "municipality 0796 is malformed (expected GM and 4 digits, like GM0363)",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM14,,,,,,,,",
            "municipality",
            "municipality GM14 is malformed (expected GM and 4 digits, like GM0363)",
        ),
        (
            "schools",
            "56EF,X,vo,zuid,GM0796,0,",
            "hours_per_day",
            "hours_per_day 0 is not a positive number of at most 24",
        ),
        (
            "schools",
            "56EF,X,vo,zuid,GM0796,25,",
            "hours_per_day",
            "hours_per_day 25 is not a positive number of at most 24",
        ),
        (
            "schools",
            '56EF,X,vo,zuid,GM0796,"5,5",',
            "hours_per_day",
            "hours_per_day 5,5 is not a positive number of at most 24",
        ),
        (
            "absences",
            "S0000001,2025-01-06,2025-01-06,ziek,-2",
            "hours_per_day",
            "hours_per_day -2 is not a positive number of at most 24",
        ),
        (
            "absences",
            "S0000001,2025-01-06,2025-01-06,ziek,nan",
            "hours_per_day",
            "hours_per_day nan is not a positive number of at most 24",
        ),
        (
            "students",
            "S0000004,2012-01-01,GM0014,,,maybe,,,,,",
            "kwalificatieplicht_exempt",
            "kwalificatieplicht_exempt maybe is not true or false "
            "(accepted: true/1/yes/ja, false/0/no/nee)",
        ),
        (
            "absences",
            "S0000001,2025-01-06,2025-01-06,vakantie,",
            "reason",
            "unknown reason vakantie (expected one of ongeoorloofd/ziek/geoorloofd/luxe/11a)",
        ),
        (
            "exemptions",
            "S0000001,5d,2025-01-01,",
            "article",
            "unknown article 5d (expected one of 5a/5b/5c/15/3a/3b/5a_trekkend)",
        ),
        # end before start
        (
            "enrolments",
            "S0000001,12AB,2024-08-01,2024-07-31",
            "end_date",
            "end date 2024-07-31 is before start date 2024-08-01",
        ),
        (
            "absences",
            "S0000001,2025-01-05,2025-01-03,ziek,",
            "end_date",
            "end date 2025-01-03 is before start date 2025-01-05",
        ),
        (
            "exemptions",
            "S0000001,5a,2025-01-05,2025-01-04",
            "end_date",
            "end date 2025-01-04 is before start date 2025-01-05",
        ),
        (
            "calendar",
            "zuid,2025-03-01,2025-02-22,",
            "end_date",
            "end date 2025-02-22 is before start date 2025-03-01",
        ),
        # duplicates (the later line is reported)
        (
            "students",
            "S0000002,2012-01-01,GM0014,,,,,,,,",
            "student_id",
            "duplicate student_id S0000002 (first on line 3)",
        ),
        (
            "schools",
            "12AB,Dubbel,po,noord,GM0014,,",
            "brin",
            "duplicate brin 12AB (first on line 2)",
        ),
        # references
        (
            "enrolments",
            "S0000009,12AB,2024-08-01,",
            "student_id",
            "unknown student S0000009 (not in students.csv)",
        ),
        (
            "absences",
            "S0000009,2025-01-06,2025-01-06,ziek,",
            "student_id",
            "unknown student S0000009 (not in students.csv)",
        ),
        (
            "exemptions",
            "S0000009,5a,2025-01-01,",
            "student_id",
            "unknown student S0000009 (not in students.csv)",
        ),
        (
            "enrolments",
            "S0000001,99ZZ,2024-08-01,",
            "brin",
            "unknown school 99ZZ (not in schools.csv)",
        ),
        (
            "enrolments",
            "S0000001,12AB02,2024-08-01,",
            "brin",
            "unknown school 12AB02 (not in schools.csv)",
        ),
        # short lines, which the reader's fast path must not take: the quoted comma of
        # "Lyceum, Het" must not make up for the comma a short line lacks, nor a quoted one
        (
            "schools",
            "56EF,De Es,po,zuid,GM0796,",
            "",
            "line has 6 fields but the header has 7 (truncated or ragged line)",
        ),
        (
            "students",
            'S0000004,2012-03-04,GM0014,noord,,,,,Dirk,"Berg, van den"',
            "",
            "line has 10 fields but the header has 11 (truncated or ragged line)",
        ),
    ],
)
def test_each_problem_kind(tmp_path: Path, name: str, row: str, column: str, message: str) -> None:
    problems = problems_of(make_dir(tmp_path, **{name: BASE[name] + row + "\n"}))
    assert problems == [Problem(f"{name}.csv", NEXT_LINE[name], column, message)]


def test_malformed_brin_in_enrolments_is_not_also_unknown(tmp_path: Path) -> None:
    enrolments = BASE["enrolments"] + "S0000001,12-AB,2024-08-01,\n"
    problems = problems_of(make_dir(tmp_path, enrolments=enrolments))
    assert where(problems) == [("enrolments.csv", 5, "brin")]
    assert problems[0].message.startswith("brin 12-AB is malformed")


def test_several_problems_in_one_file_all_reported(tmp_path: Path) -> None:
    absences = (
        BASE["absences"]
        + "S0000001,2025-01-10,2025-01-09,ziek,\n"  # 4: end before start
        + "S0000001,2025-01-10,2025-01-10,ziek,30\n"  # 5: hours
        + "S0000077,2025-13-10,2025-01-10,lui,\n"  # 6: unknown student, date, reason
        + "S0000002,2025-01-10,,,\n"  # 7: two empty required values
    )
    problems = problems_of(make_dir(tmp_path, absences=absences))
    assert where(problems) == [
        ("absences.csv", 4, "end_date"),
        ("absences.csv", 5, "hours_per_day"),
        ("absences.csv", 6, "student_id"),
        ("absences.csv", 6, "start_date"),
        ("absences.csv", 6, "reason"),
        ("absences.csv", 7, "end_date"),
        ("absences.csv", 7, "reason"),
    ]
    assert problems[2].message == "unknown student S0000077 (not in students.csv)"


def test_problems_across_files_all_reported(tmp_path: Path) -> None:
    directory = make_dir(
        tmp_path,
        schools=BASE["schools"] + "56EF,X,vo,west,GM0796,,\n",
        students=BASE["students"] + "S0000004,2012-01-01,GM0014,,,,123456789,,,,\n",
        absences=BASE["absences"] + "S0000001,2025-01-06,2025-01-06,vakantie,\n",
        calendar="region,start_date,end_date\nzuid,2025-01-01\n",
    )
    problems = problems_of(directory)
    assert where(problems) == [
        ("schools.csv", 4, "region"),
        ("students.csv", 5, "bsn"),
        ("absences.csv", 4, "reason"),
        ("calendar.csv", 2, ""),
    ]


def test_truncated_file(tmp_path: Path) -> None:
    """A file cut off in the middle of its last row: that row is reported, the rest checked."""
    text = BASE["absences"] + "S0000001,2025-01-20,2025-01-2"
    text = text.replace("S0000002,2025-01-08,2025-01-08", "S0000002,2025-01-08,2025-01-07")
    problems = problems_of(make_dir(tmp_path, absences=text))
    assert problems == [
        Problem(
            "absences.csv",
            3,
            "end_date",
            "end date 2025-01-07 is before start date 2025-01-08",
        ),
        Problem(
            "absences.csv",
            4,
            "",
            "line has 3 fields but the header has 5 (truncated or ragged line)",
        ),
    ]


def test_ragged_lines(tmp_path: Path) -> None:
    enrolments = BASE["enrolments"] + "S0000001,12AB\nS0000001,12AB,2024-08-01,,extra,more\n"
    problems = problems_of(make_dir(tmp_path, enrolments=enrolments))
    assert problems == [
        Problem(
            "enrolments.csv",
            5,
            "",
            "line has 2 fields but the header has 4 (truncated or ragged line)",
        ),
        Problem("enrolments.csv", 6, "", "line has 6 fields but the header has 4 (ragged line)"),
    ]


def test_truncated_inside_quotes(tmp_path: Path) -> None:
    enrolments = BASE["enrolments"] + 'S0000001,12AB,"2024-08'
    problems = problems_of(make_dir(tmp_path, enrolments=enrolments))
    assert where(problems) == [("enrolments.csv", 5, "")]
    assert problems[0].message.startswith("cannot be parsed as CSV")


def test_latin1_file(tmp_path: Path) -> None:
    students = BASE["students"].replace("Bakker", "Bakkér").encode("latin-1")
    problems = problems_of(make_dir(tmp_path, students=students))
    assert problems == [
        Problem(
            "students.csv",
            4,
            "",
            "file is not valid UTF-8 (byte 0xe9 on line 4); save it as UTF-8",
        )
    ]


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    students = ("\ufeff" + BASE["students"].replace("Bakker", "Bakkér")).replace("\n", "\r\n")
    ds = read_exchange(make_dir(tmp_path, students=students.encode("utf-8")))
    assert ds.students["family_name"].to_list() == ["Jansen", "de Vries", "Bakkér"]
    assert ds.students["postcode"].to_list() == ["9701AB", None, None]


def test_blank_crlf_lines_are_ignored(tmp_path: Path) -> None:
    enrolments = BASE["enrolments"].replace("\n", "\r\n") + "\r\n"
    ds = read_exchange(make_dir(tmp_path, enrolments=enrolments.encode()))
    assert ds.enrolments["line"].to_list() == [2, 3, 4]


def test_semicolon_separated_file(tmp_path: Path) -> None:
    absences = BASE["absences"].replace(",", ";")
    problems = problems_of(make_dir(tmp_path, absences=absences))
    assert where(problems) == [("absences.csv", 1, "")]
    assert "this file seems to use ';'" in problems[0].message


def test_duplicate_header_column(tmp_path: Path) -> None:
    exemptions = "student_id,article,start_date,article\nS0000003,5a,2024-09-01,5b\n"
    problems = problems_of(make_dir(tmp_path, exemptions=exemptions))
    assert problems == [
        Problem(
            "exemptions.csv", 1, "article", "column article appears more than once in the header"
        )
    ]


def test_empty_required_file(tmp_path: Path) -> None:
    problems = problems_of(make_dir(tmp_path, schools=""))
    assert problems == [Problem("schools.csv", 1, "", "file is empty (no header line)")]


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ExchangeError) as info:
        read_exchange(tmp_path / "nope")
    assert "is not a directory" in str(info.value)


# -- parquet and writing ---------------------------------------------------------------------------


def test_parquet_equals_csv(tmp_path: Path) -> None:
    from_csv = read_exchange(make_dir(tmp_path))
    directory = tmp_path / "parquet"
    directory.mkdir()
    # typed columns, as another tool would write them; bsn as a number loses its leading zero
    from_csv.schools.write_parquet(directory / "schools.parquet")
    from_csv.students.with_columns(pl.col("bsn").cast(pl.Int64())).write_parquet(
        directory / "students.parquet"
    )
    from_csv.enrolments.drop("line").with_columns(
        pl.col("start_date").cast(pl.Datetime())
    ).write_parquet(directory / "enrolments.parquet")
    # all-text columns work too
    pl.read_csv(BASE["absences"].encode(), infer_schema=False).write_parquet(
        directory / "absences.parquet"
    )
    from_csv.exemptions.write_parquet(directory / "exemptions.parquet")
    assert from_csv.calendar is not None
    from_csv.calendar.write_parquet(directory / "calendar.parquet")
    from_parquet = read_exchange(directory)
    for name in ("schools", "students", "enrolments", "absences", "exemptions", "calendar"):
        assert getattr(from_parquet, name).equals(getattr(from_csv, name)), name


def test_parquet_problems_name_the_parquet_file(tmp_path: Path) -> None:
    directory = make_dir(tmp_path, absences=None)
    pl.DataFrame(
        {
            "student_id": ["S0000001", "S0000099"],
            "start_date": [dt.date(2025, 1, 6), dt.date(2025, 1, 6)],
            "end_date": [dt.date(2025, 1, 6), dt.date(2025, 1, 5)],
            "reason": ["ziek", "ziek"],
        }
    ).write_parquet(directory / "absences.parquet")
    problems = problems_of(directory)
    assert where(problems) == [
        ("absences.parquet", 3, "student_id"),
        ("absences.parquet", 3, "end_date"),
    ]
    assert problems[0].message == "unknown student S0000099 (not in students.csv)"


def test_csv_wins_over_parquet(tmp_path: Path) -> None:
    directory = make_dir(tmp_path)
    pl.DataFrame({"nonsense": [1]}).write_parquet(directory / "absences.parquet")
    assert read_exchange(directory).absences.height == 2


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    original = read_exchange(make_dir(tmp_path))
    out = write_exchange(original, tmp_path / "written")
    assert sorted(p.name for p in out.iterdir()) == [
        "absences.csv",
        "calendar.csv",
        "enrolments.csv",
        "exemptions.csv",
        "schools.csv",
        "students.csv",
    ]
    assert "line" not in (out / "enrolments.csv").read_text().splitlines()[0]
    students = (out / "students.csv").read_text().splitlines()
    assert students[2] == "S0000002,2008-05-06,GM0344,,2025-06-30,true,010000008,,Bram,de Vries,"
    again = read_exchange(out)
    for name in ("schools", "students", "enrolments", "absences", "exemptions", "calendar"):
        assert getattr(again, name).equals(getattr(original, name)), name


def test_write_without_calendar(tmp_path: Path) -> None:
    original = read_exchange(make_dir(tmp_path, calendar=None))
    out = write_exchange(original, tmp_path / "written")
    assert not (out / "calendar.csv").exists()
    assert read_exchange(out).calendar is None


def test_read_calendar(tmp_path: Path) -> None:
    """One calendar file on its own: typed as Dataset.calendar, or every problem at once."""
    path = tmp_path / "vrije-dagen.csv"
    path.write_text("region,start_date,end_date,name\nnoord,2025-03-14,2025-03-14,Studiedag\n")
    frame = read_calendar(path)
    assert frame.schema == pl.Schema(SCHEMAS["calendar"])
    assert frame.rows() == [("noord", dt.date(2025, 3, 14), dt.date(2025, 3, 14), "Studiedag")]
    # a calendar of one region: the column may be left out
    path.write_text("start_date,end_date\n2025-04-18,2025-04-18\n")
    assert read_calendar(path, region="zuid").rows() == [
        ("zuid", dt.date(2025, 4, 18), dt.date(2025, 4, 18), None)
    ]
    with pytest.raises(ExchangeError) as caught:
        read_calendar(path)
    assert where(caught.value.problems) == [("vrije-dagen.csv", 1, "region")]
    path.write_text(
        "region,start_date,end_date,name\n"
        "noord,2025-05-01,2025-05-01,Dag\n"
        "zuid,2025-06-01,2025-06-01,\n"
        "noord,2025-13-01,2025-13-01,\n"
        "noord,2025-07-02,2025-07-01,Een heel lange naam\n"
    )
    with pytest.raises(ExchangeError) as caught:
        read_calendar(path, region="noord", max_name_length=10)
    assert where(caught.value.problems) == [
        ("vrije-dagen.csv", 3, "region"),
        ("vrije-dagen.csv", 4, "end_date"),
        ("vrije-dagen.csv", 4, "start_date"),
        ("vrije-dagen.csv", 5, "end_date"),
        ("vrije-dagen.csv", 5, "name"),
    ]
    assert (
        caught.value.problems[0].message == "region zuid is not noord, the region of this calendar"
    )
    with pytest.raises(ExchangeError) as caught:
        read_calendar(tmp_path / "missing.csv")
    assert where(caught.value.problems) == [("missing.csv", 0, "")]


@pytest.mark.slow
def test_large_absences_file(tmp_path: Path) -> None:
    """200,000 generated absence rows read (checked by hand: well under a second)."""
    n = 200_000
    directory = make_dir(tmp_path, absences=None)
    days = pl.date_range(dt.date(2024, 8, 1), dt.date(2025, 7, 31), eager=True)
    start = days.sample(n, with_replacement=True, seed=7)
    pl.DataFrame(
        {
            "student_id": pl.Series(["S0000001", "S0000002", "S0000003"] * (n // 3 + 1))[:n],
            "start_date": start,
            "reason": pl.Series(["ziek", "ongeoorloofd", "geoorloofd", "ziek"] * (n // 4)),
        }
    ).with_columns(
        end_date=pl.col("start_date") + pl.duration(days=1),
        hours_per_day=pl.when(pl.int_range(n) % 5 == 0).then(pl.lit(2.5)),
    ).write_csv(directory / "absences.csv")
    ds = read_exchange(directory)
    assert ds.absences.height == n
    assert ds.absences.schema == pl.Schema(SCHEMAS["absences"])
    assert ds.absences["hours_per_day"].null_count() == n - n // 5


def test_two_malformed_dates_among_empty_columns_are_problems_not_a_crash(tmp_path: Path) -> None:
    """Found by the import fuzz test (issue 9): Polars 2.1 panicked formatting these messages."""
    students = (
        "student_id,birth_date,municipality,bsn,onderwijsnummer,given_names,family_name,postcode\n"
        "F0,2014-01-01,GM0014,,,,,\n"
        "F1,2014-01-01,GM0014,,,,,\n"
        "F2,01-01-2014,GM0014,,,,,\n"
        "F3,01-01-2014,GM0014,,,,,\n"
    )
    enrolments = "student_id,brin,start_date,end_date\nF0,12AB,2020-08-01,\n"
    problems = problems_of(
        make_dir(tmp_path, students=students, enrolments=enrolments, absences=None, exemptions=None)
    )
    assert where(problems) == [("students.csv", 4, "birth_date"), ("students.csv", 5, "birth_date")]


# -- the fast path: a file whose lines provably all have the header's width --------------------


def fuzzed_lines(alphabet: str):
    """300 examples of one to six lines of up to 12 characters from ``alphabet`` (the test's
    ``lines``) under a header of 2 to 4 columns (its ``width``)."""
    lines = st.lists(st.text(alphabet=alphabet, max_size=12), min_size=1, max_size=6)
    fuzz = settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    return lambda test: fuzz(given(lines, st.integers(min_value=2, max_value=4))(test))


@fuzzed_lines('ab,"\r\n ')
def test_the_fast_path_only_takes_files_whose_lines_are_complete(
    tmp_path: Path, lines: list[str], width: int
) -> None:
    """Whenever the fast path accepts a file, the csv module finds exactly the header's number of
    fields on every line, and Polars' general read gives the same frame."""
    path = tmp_path / "fuzz.csv"
    header = ",".join(f"c{i}" for i in range(width))
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode())
    complete = exchange._every_line_complete(path)
    if complete is None:
        return
    frame = complete.frame
    records = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    assert [len(r) for r in records] == [width] * len(records)
    general = pl.read_csv(
        path, infer_schema=False, truncate_ragged_lines=True, empty_string_is_null=False
    )
    assert frame.select(pl.all().replace("", None)).equals(
        general.select(pl.all().replace("", None))
    )


@fuzzed_lines('ab,"\r\n \t\u00a0')
def test_values_are_trimmed_as_if_every_column_were(
    tmp_path: Path, lines: list[str], width: int
) -> None:
    """Only the columns that need it are trimmed; the values are the same as trimming all."""
    directory = tmp_path / "trim"
    directory.mkdir(exist_ok=True)
    header = ",".join(["student_id", "start_date", "end_date", "reason"][:width])
    (directory / "absences.csv").write_bytes(("\n".join([header, *lines]) + "\n").encode())
    problems: list[Problem] = []
    raw = exchange._read_file(directory / "absences.csv", "absences", problems, None)
    if raw is None:
        return
    columns = sorted(raw.present)
    plain = exchange._read_csv(directory / "absences.csv", "absences", "absences.csv", [])
    assert plain is not None
    everything = plain.frame.select(pl.col(c).str.strip_chars().replace("", None) for c in columns)
    assert raw.frame.select(columns).equals(everything)
