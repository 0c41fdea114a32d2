"""The status of one child on a reference date (RULES.md §5).

Only when the child is under duty, the first that holds of: ``vrijgesteld``, ``absoluut_verzuim``,
``langdurig_relatief_verzuim``. The Thuiszitterspact's thuiszitter is the union of the latter two;
``over_3_months`` marks those at home since three calendar months or longer
(:func:`inbeeld.rules.periods.over_three_months`, the test escalation and the monitor use too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from inbeeld.rules import choices
from inbeeld.rules.calendar import ONE_DAY
from inbeeld.rules.duty import NONE, DutyPeriod
from inbeeld.rules.model import Enrolment, Exemption
from inbeeld.rules.periods import over_three_months

VRIJGESTELD = "vrijgesteld"
ABSOLUUT_VERZUIM = "absoluut_verzuim"
LANGDURIG_RELATIEF_VERZUIM = "langdurig_relatief_verzuim"
CATEGORIES = (VRIJGESTELD, ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)
THUISZITTER_CATEGORIES = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)


@dataclass(frozen=True, slots=True)
class StudentStatus:
    """One row of status.csv."""

    student_id: str
    duty: str
    leerplicht_start: dt.date
    leerplicht_end: dt.date
    kwalificatieplicht_end: dt.date | None
    category: str | None
    since: dt.date | None
    over_3_months: bool


def absoluut_verzuim_since(
    period: DutyPeriod,
    enrolments: Sequence[Enrolment],
    exemptions: Sequence[Exemption],
    on: dt.date,
) -> dt.date:
    """First day of the unbroken stretch, reaching ``on``, of days under duty without enrolment and
    without exemption (RULES.md §5, category 2; absoluut verzuim: LPW art. 2 lid 1, 4a lid 1)."""
    day = on
    while True:
        previous = day - ONE_DAY
        if (
            period.on(previous) == NONE
            or any(e.covers(previous) for e in enrolments)
            or any(x.covers(previous) for x in exemptions)
        ):
            return day
        day = previous


def status_on(
    *,
    student_id: str,
    period: DutyPeriod,
    enrolments: Sequence[Enrolment],
    exemptions: Sequence[Exemption],
    on: dt.date,
    lrv_run_start: dt.date | None,
    lrv_run_length: int,
) -> StudentStatus:
    """The status row of RULES.md §5 for one child.

    ``lrv_run_start`` and ``lrv_run_length`` describe the run of whole-day unexcused school days
    going on at the last school day up to ``on`` (0 when none).
    """
    duty = period.on(on)
    category: str | None = None
    since: dt.date | None = None
    if duty != NONE:
        covering = [x for x in exemptions if x.covers(on)]
        if covering:  # art. 5, 5a, 15, 3a/3b LPW
            category, since = VRIJGESTELD, max(x.start for x in covering)
        elif not any(e.covers(on) for e in enrolments):
            category = ABSOLUUT_VERZUIM
            since = absoluut_verzuim_since(period, enrolments, exemptions, on)
        elif lrv_run_length >= choices.LRV_RUN_SCHOOL_DAYS:
            category, since = LANGDURIG_RELATIEF_VERZUIM, lrv_run_start
    return StudentStatus(
        student_id=student_id,
        duty=duty,
        leerplicht_start=period.leerplicht_start,
        leerplicht_end=period.leerplicht_end,
        kwalificatieplicht_end=period.kwalificatieplicht_end,
        category=category,
        since=since,
        over_3_months=since is not None and over_three_months(since, on),
    )
