"""RULES.md §7 "Calendars back to 2011/12": bulk engine = reference on school careers from 2008 on.

The random careers (``random_data.random_dataset_long_careers``) start around 1 August and
1 September of 2008-2012 and change school around summers and holidays, so the 12-full-school-years
rule meets uncovered years (the weekday rule, 1 September to 30 June) and covered ones.
"""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.rules.engine import analyse, calendar_for
from inbeeld.rules.tests.random_data import random_dataset_long_careers
from inbeeld.rules.tests.test_engine_matches_reference import assert_same_output


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("on", [dt.date(2024, 9, 2), dt.date(2021, 6, 30)])
def test_bulk_equals_reference_on_long_careers(seed, on):
    students, _ = assert_same_output(random_dataset_long_careers(seed, 50, on), on)
    assert students == 50


def test_long_careers_reach_the_twelve_year_rule_before_the_age_rule():
    """The data can fail the test above: some students end leerplicht by 12 full years (before 31
    July of the year they turn 16), counting years before and after 2011."""
    data = random_dataset_long_careers(3, 50)
    status = analyse(data, dt.date(2024, 9, 2), calendar_for(data)).status
    births = dict(zip(data.students["student_id"], data.students["birth_date"], strict=True))
    early = [
        row["student_id"]
        for row in status.iter_rows(named=True)
        if row["leerplicht_end"] is not None
        and row["leerplicht_end"].year
        < births[row["student_id"]].year + 16 + (births[row["student_id"]].month >= 8)
    ]
    assert early
