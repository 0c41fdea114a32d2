"""RULES.md §7: "over three months" is one function (rules.periods), used by the status, the
escalation proposals and the episodes of the monitor: ``since`` ≤ the day minus 3 calendar months,
end-of-month clipped (§5), the day itself included.

Each boundary case gives the first day that counts; the day before must not count, the day itself
and the day after must. Then status, escalation and episodes (both engines) are checked to agree on
every day of a range.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from inbeeld.rules.calendar import ONE_DAY, day_number
from inbeeld.rules.duty import DutyPeriod
from inbeeld.rules.episodes import episodes_of_student, thuiszitter_episodes
from inbeeld.rules.escalation import SCHOOL_TEAM, CaseFacts, escalation_proposal
from inbeeld.rules.model import Enrolment
from inbeeld.rules.periods import (
    first_day_over_three_months,
    first_day_over_three_months_days,
    latest_since_over_three_months,
    over_three_months,
)
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM, status_on
from inbeeld.rules.tests.builders import (
    CALENDAR,
    SCHOOLS,
    ZUID_PO,
    both,
    d,
    dataset,
    enrol,
    record,
    student,
)

#: (since, the first day that is over three months)
FIRST_DAYS = [
    pytest.param("2024-10-05", "2025-01-05", id="plain-day"),
    pytest.param("2024-01-15", "2024-04-15", id="mid-month"),
    pytest.param("2024-07-01", "2024-10-01", id="first-of-month"),
    pytest.param("2024-12-31", "2025-03-31", id="year-crossing-31st-exists"),
    pytest.param("2024-11-15", "2025-02-15", id="year-crossing"),
    # 31 January: 30 April − 3 months = 30 January < 31 January; 1 May − 3 months = 1 February
    pytest.param("2025-01-31", "2025-05-01", id="31-jan-common"),
    pytest.param("2024-01-31", "2024-05-01", id="31-jan-leap"),
    pytest.param("2025-01-30", "2025-04-30", id="30-jan"),
    pytest.param("2024-03-31", "2024-07-01", id="31-mar"),
    pytest.param("2024-08-31", "2024-12-01", id="31-aug"),
    pytest.param("2024-10-31", "2025-01-31", id="31-oct-31st-exists"),
    # into February: the 29th, 30th and 31st of November have no day three months on
    pytest.param("2024-11-28", "2025-02-28", id="28-nov-common"),
    pytest.param("2024-11-29", "2025-03-01", id="29-nov-common"),
    pytest.param("2024-11-30", "2025-03-01", id="30-nov-common"),
    pytest.param("2023-11-29", "2024-02-29", id="29-nov-leap"),
    pytest.param("2023-11-30", "2024-03-01", id="30-nov-leap"),
    pytest.param("2099-11-29", "2100-03-01", id="29-nov-2100-not-leap"),
    pytest.param("2399-11-29", "2400-02-29", id="29-nov-2400-leap"),
    # out of February: 28 May − 3 months = 28 February
    pytest.param("2025-02-28", "2025-05-28", id="28-feb-common"),
    pytest.param("2024-02-28", "2024-05-28", id="28-feb-leap"),
    pytest.param("2024-02-29", "2024-05-29", id="29-feb-leap"),
    pytest.param("2025-03-01", "2025-06-01", id="1-mar"),
]


@pytest.mark.parametrize(("since", "first"), FIRST_DAYS)
def test_the_day_before_the_day_itself_and_the_day_after(since, first):
    since, first = d(since), d(first)
    assert not over_three_months(since, first - ONE_DAY)
    assert over_three_months(since, first)
    assert over_three_months(since, first + ONE_DAY)
    assert first_day_over_three_months(since) == first
    assert latest_since_over_three_months(first) >= since
    assert latest_since_over_three_months(first - ONE_DAY) < since


@pytest.mark.parametrize(
    ("since", "on", "expected"),
    [
        ("2024-10-05", "2025-01-04", False),  # the day before
        ("2024-10-05", "2025-01-05", True),  # the day itself: ≤, not <
        ("2024-10-05", "2025-01-06", True),  # the day after
        ("2024-10-06", "2025-01-05", False),
        # end-of-month clipping (§5): 31 May − 3 months = 28/29 February
        ("2025-02-28", "2025-05-31", True),
        ("2025-03-01", "2025-05-31", False),
        ("2024-02-29", "2024-05-31", True),
        ("2024-03-01", "2024-05-31", False),
        ("2025-02-28", "2025-05-29", True),  # 29 May − 3 months = 28 Feb (clipped)
        ("2025-02-28", "2025-05-27", False),
        # 28 Feb 2025 − 3 months = 28 Nov 2024 (a plain day, not "the end of November")
        ("2024-11-28", "2025-02-28", True),
        ("2024-11-29", "2025-02-28", False),
        # 30 April − 3 months = 30 January: since 31 January is not yet over
        ("2025-01-31", "2025-04-30", False),
        ("2025-01-30", "2025-04-30", True),
    ],
)
def test_over_three_months(since, on, expected):
    assert over_three_months(d(since), d(on)) is expected


def test_the_first_day_is_the_first_day_the_test_holds_and_the_array_form_agrees():
    day = dt.date(2023, 1, 1)
    starts = []
    while day < dt.date(2025, 3, 1):
        first = day
        while not over_three_months(day, first):
            first += ONE_DAY
        assert first_day_over_three_months(day) == first, day
        starts.append(day)
        day += ONE_DAY
    numbers = np.array([day_number(s) for s in starts], dtype=np.int64)
    got = pl.Series(first_day_over_three_months_days(numbers)).cast(pl.Int32).cast(pl.Date)
    assert got.to_list() == [first_day_over_three_months(s) for s in starts]


# -- status, escalation and episodes agree -----------------------------------------------------

PERIOD = DutyPeriod(dt.date(2016, 6, 1), dt.date(2030, 7, 31), dt.date(2032, 3, 9))
ENROLLED = (Enrolment(ZUID_PO, dt.date(2016, 6, 1), None),)


def _escalates(since: dt.date, on: dt.date) -> bool:
    proposal = escalation_proposal(CaseFacts(on=on, step=SCHOOL_TEAM, at_home_since=since))
    return proposal is not None and any("maanden thuis" in r for r in proposal.reasons)


def test_status_escalation_and_episodes_agree_on_every_day():
    """Every since from 2023 to early 2025, every day from 80 to 100 days later."""
    since = dt.date(2023, 1, 1)
    while since < dt.date(2025, 3, 1):
        first = first_day_over_three_months(since)
        for offset in range(80, 101):
            on = since + dt.timedelta(days=offset)
            expected = over_three_months(since, on)
            status = status_on(
                student_id="S1",
                period=PERIOD,
                enrolments=ENROLLED,
                exemptions=(),
                on=on,
                lrv_run_start=since,
                lrv_run_length=20,
                region="zuid",
                calendar=CALENDAR,
            )
            assert status.category == LANGDURIG_RELATIEF_VERZUIM
            assert status.over_3_months is expected, (since, on)
            assert _escalates(since, on) is expected, (since, on)
            assert (first <= on) is expected, (since, on)  # the episodes' over_3_months_on
            # the bulk engine's form: since ≤ a cut-off day number
            cutoff = day_number(latest_since_over_three_months(on))
            assert (day_number(since) <= cutoff) is expected, (since, on)
        since += ONE_DAY


PUPIL = "2014-03-10"  # leerplicht until 31 July 2030


@pytest.mark.parametrize(
    "since",
    [
        "2025-01-31",  # Fri: 30 April no, 1 May yes
        "2024-01-31",  # Wed, leap year
        "2023-11-29",  # Wed: 29 February 2024
        "2023-11-30",  # Thu: 1 March 2024
        "2024-11-29",  # Fri: 1 March 2025
        "2024-02-29",  # Thu, leap day: 29 May 2024 (28 Feb 2025 is in zuid's spring vacation)
        "2024-10-31",  # Thu: 31 January 2025
    ],
)
def test_both_engines_status_episodes_and_escalation_agree_at_the_boundary(since):
    """A child whose enrolment ends the day before ``since`` (a school day): absoluut verzuim
    from ``since``; from three days before the first day over three months to three days after."""
    since_day = d(since)
    rec = record(student(PUPIL), [enrol(ZUID_PO, "2019-04-01", str(since_day - ONE_DAY))])
    first = first_day_over_three_months(since_day)
    for offset in range(-3, 4):
        on = first + dt.timedelta(days=offset)
        expected = offset >= 0
        reference, bulk = both(rec, on)
        for result in (reference, bulk):
            assert result.status.category == ABSOLUUT_VERZUIM
            assert result.status.since == since_day
            assert result.status.over_3_months is expected, (on, result)
        assert _escalates(reference.status.since, on) is expected
        simple = episodes_of_student(rec, SCHOOLS, CALENDAR, on)
        bulk_episodes = thuiszitter_episodes(dataset([rec]), on, CALENDAR)
        assert len(simple) == bulk_episodes.height == 1
        passed = simple[0].over_3_months_on
        assert passed == bulk_episodes["over_3_months_on"][0]
        assert (passed is not None and passed <= on) is expected
        assert passed == (first if expected else None)
