"""Issue 12 §2: long sickness (a sick spell of ``choices.LONG_SICKNESS_SCHOOL_DAYS`` school
days) is a report for the samenwerkingsverband, given by the bulk engine apart from the
meldingen of RULES.md §4. Zuid 2024/25: autumn vacation 19–27 Oct."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.rules import choices
from inbeeld.rules.absence import REPORT_LANGDURIG_ZIEK, RULES
from inbeeld.rules.engine import analyse
from inbeeld.rules.tests.builders import (
    CALENDAR,
    ZUID_VO,
    d,
    dataset,
    enrol,
    record,
    sick,
    student,
)


def reports(absences, on: str) -> list[tuple[str, dt.date, dt.date, str]]:
    child = record(student("2011-05-05"), [enrol(ZUID_VO, "2023-08-01")], absences)
    result = analyse(dataset([child]), d(on), CALENDAR)
    assert REPORT_LANGDURIG_ZIEK not in set(result.meldingen["rule"].to_list())
    return [
        (row["rule"], row["start_date"], row["end_date"], row["brin"])
        for row in result.reports.iter_rows(named=True)
    ]


def test_the_threshold_is_four_lesweken_and_not_a_melding_of_rules_md() -> None:
    assert choices.LONG_SICKNESS_SCHOOL_DAYS == 20
    assert REPORT_LANGDURIG_ZIEK not in RULES


@pytest.mark.parametrize(
    ("absences", "on", "expected"),
    [
        # Mon 2 Sep – Fri 27 Sep: 20 school days → one report ending on the 20th
        ([sick("2024-09-02", "2024-09-27")], "2024-10-04", [("2024-09-02", "2024-09-27")]),
        # to Thu 26 Sep: 19 school days → none
        ([sick("2024-09-02", "2024-09-26")], "2024-10-04", []),
        # the 20th day lies after the reference date: not yet
        ([sick("2024-09-02", "2024-09-27")], "2024-09-26", []),
        # across the autumn vacation: 7–18 Oct (10), 28 Oct–8 Nov (10) → ends Fri 8 Nov
        ([sick("2024-10-07", "2024-11-08")], "2024-11-15", [("2024-10-07", "2024-11-08")]),
        # a spell of 40 school days gives one report, not two
        ([sick("2024-09-02", "2024-10-25")], "2024-11-15", [("2024-09-02", "2024-09-27")]),
        # a school day without sick hours breaks the spell: 2–20 Sep (15) and 24 Sep–18 Oct (19)
        (
            [sick("2024-09-02", "2024-09-20"), sick("2024-09-24", "2024-10-18")],
            "2024-11-15",
            [],
        ),
    ],
    ids=["20-days", "19-days", "not-yet", "across-vacation", "one-per-spell", "broken-spell"],
)
def test_long_sickness_reports(absences, on, expected) -> None:
    assert reports(absences, on) == [
        (REPORT_LANGDURIG_ZIEK, d(start), d(end), ZUID_VO) for start, end in expected
    ]
