"""Leave requests (art. 13a, 14) and exemption requests (art. 5, 15, 3a) against the law."""

from __future__ import annotations

import datetime as dt

import pytest

from inbeeld.rules.calendar import SchoolCalendar
from inbeeld.rules.duty import DutyPeriod
from inbeeld.rules.exemption_review import ExemptionRequest, check_exemption_request
from inbeeld.rules.leave import (
    HOLIDAY,
    LEERPLICHT,
    SCHOOL,
    WEIGHTY,
    assess_leave_request,
    first_lesweken,
)

CAL = SchoolCalendar()
D = dt.date


def test_first_two_lesweken_of_2024_25_per_region():
    # noord: summer vacation until Sun 1 Sep 2024 -> lesweken 2-8 and 9-15 Sep
    assert first_lesweken(CAL, "noord", D(2024, 8, 1), 2) == (D(2024, 9, 2), D(2024, 9, 15))
    # zuid: summer until Sun 18 Aug -> 19-25 Aug and 26 Aug-1 Sep
    assert first_lesweken(CAL, "zuid", D(2024, 8, 1), 2) == (D(2024, 8, 19), D(2024, 9, 1))


@pytest.mark.parametrize(
    ("start", "end", "earlier", "statement", "days", "refused"),
    [
        # a week in March in noord: 5 school days, fine
        (D(2025, 3, 10), D(2025, 3, 14), False, True, 5, []),
        # 11 school days is one too many
        (D(2025, 3, 10), D(2025, 3, 24), False, True, 11, ["ten hoogste 10 schooldagen"]),
        # 10 school days exactly is allowed
        (D(2025, 3, 10), D(2025, 3, 21), False, True, 10, []),
        # once per school year
        (D(2025, 3, 10), D(2025, 3, 14), True, True, 5, ["één keer per schooljaar"]),
        # never in the first two lesweken (noord: 2-15 Sep 2024)
        (D(2024, 9, 12), D(2024, 9, 20), False, True, 7, ["eerste 2 lesweken"]),
        # from the third leesweek on it can
        (D(2024, 9, 16), D(2024, 9, 20), False, True, 5, []),
        # without an employer's statement
        (D(2025, 3, 10), D(2025, 3, 14), False, False, 5, ["werkgeversverklaring"]),
        # a period without school days needs no leave (the spring vacation in noord)
        (D(2025, 2, 15), D(2025, 2, 23), False, True, 0, ["geen schooldagen"]),
    ],
)
def test_holiday_leave(start, end, earlier, statement, days, refused):
    result = assess_leave_request(
        kind=HOLIDAY,
        start=start,
        end=end,
        region="noord",
        calendar=CAL,
        holiday_leave_earlier_this_year=earlier,
        employer_statement=statement,
    )
    assert result.school_days == days
    assert result.decided_by == SCHOOL
    assert len(result.refusals) == len(refused)
    for expected, found in zip(refused, result.refusals, strict=True):
        assert expected in found
    assert result.may_be_granted == (not refused)


@pytest.mark.parametrize(
    ("earlier", "start", "end", "decider"),
    [
        (0, D(2025, 3, 10), D(2025, 3, 21), SCHOOL),  # 10 school days: the school
        (0, D(2025, 3, 10), D(2025, 3, 24), LEERPLICHT),  # 11: the leerplichtambtenaar
        (8, D(2025, 3, 10), D(2025, 3, 11), SCHOOL),  # 8 + 2 = 10
        (8, D(2025, 3, 10), D(2025, 3, 12), LEERPLICHT),  # 8 + 3 = 11
    ],
)
def test_weighty_circumstances_who_decides(earlier, start, end, decider):
    result = assess_leave_request(
        kind=WEIGHTY,
        start=start,
        end=end,
        region="noord",
        calendar=CAL,
        weighty_days_earlier_this_year=earlier,
    )
    assert result.decided_by == decider
    assert result.may_be_granted


def test_unknown_kind_of_leave_is_refused_with_a_message():
    with pytest.raises(ValueError, match="unknown kind of leave"):
        assess_leave_request(
            kind="x", start=D(2025, 3, 10), end=D(2025, 3, 10), region="noord", calendar=CAL
        )


PERIOD = DutyPeriod(D(2016, 9, 1), D(2027, 7, 31), D(2029, 3, 1))


def request(**kw):
    base = {
        "article": "5a",
        "requested_on": D(2025, 5, 1),
        "start": D(2025, 8, 1),
        "birth_date": D(2011, 3, 2),
    }
    base.update(kw)
    return ExemptionRequest(**base)


@pytest.mark.parametrize(
    ("kw", "problems"),
    [
        ({"statement_date": D(2025, 2, 1)}, []),  # exactly three months before 1 May
        ({"statement_date": D(2025, 1, 31)}, ["ouder dan 3 maanden"]),
        ({"statement_date": None}, ["ontbreekt"]),
        (
            {"statement_date": D(2025, 4, 1), "statement_by_treating_professional": True},
            ["behandelt"],
        ),
        ({"statement_date": D(2025, 5, 2)}, ["na de aanvraag"]),
        # renewal for 2025/26 asked on 1 May: in time; on 1 July: too late
        ({"statement_date": D(2025, 4, 1), "renewal": True}, []),
        (
            {"statement_date": D(2025, 6, 15), "renewal": True, "requested_on": D(2025, 7, 1)},
            ["vóór 01-07-2025"],
        ),
        ({"article": "5b"}, []),
        ({"article": "5b", "attended_denomination_school_last_year": True}, ["vervalt"]),
        # art. 15 only under kwalificatieplicht (from 1 Aug 2027 here)
        ({"article": "15", "start": D(2027, 8, 1)}, []),
        ({"article": "15", "start": D(2026, 8, 1)}, ["kwalificatieplichtigen"]),
        # art. 3a from 14: born 2 March 2011 -> 2 March 2025
        ({"article": "3a", "start": D(2025, 3, 2)}, []),
        ({"article": "3a", "start": D(2025, 3, 1)}, ["vanaf 14 jaar"]),
        ({"article": "5c"}, []),
    ],
)
def test_exemption_requests(kw, problems):
    found = check_exemption_request(request(**kw), PERIOD)
    assert len(found) == len(problems), found
    for expected, text in zip(problems, found, strict=True):
        assert expected in text
