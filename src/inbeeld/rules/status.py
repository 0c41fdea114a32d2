"""The status of one child on a reference date (RULES.md §5, §7 (v2)).

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
from inbeeld.rules.calendar import ONE_DAY, SchoolCalendar
from inbeeld.rules.duty import NONE, DutyPeriod
from inbeeld.rules.exemptions import exempts_on, first_day_in_effect
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


@dataclass(frozen=True, slots=True)
class OutOfSchool:
    """What the absoluut-verzuim rules read about one child (RULES.md §5 category 2, §7 (v2)):
    duty, enrolments, exemptions and the home region whose school days count."""

    period: DutyPeriod
    enrolments: Sequence[Enrolment]
    exemptions: Sequence[Exemption]
    region: str
    calendar: SchoolCalendar

    def on(self, day: dt.date) -> bool:
        """Under duty, not enrolled and not exempted on ``day`` (a day of an absoluut-verzuim
        stretch; LPW art. 2 lid 1, 4a; only rows that exempt the child that day count, see
        :func:`inbeeld.rules.exemptions.exempts_on`)."""
        return (
            self.period.on(day) != NONE
            and not any(e.covers(day) for e in self.enrolments)
            and not any(exempts_on(x, self.period, day) for x in self.exemptions)
        )


def absoluut_verzuim_since(child: OutOfSchool, on: dt.date) -> dt.date | None:
    """RULES.md §7 (v2) "absoluut verzuim only where school is missed" (LPW art. 2 lid 1 and art.
    4a: absoluut verzuim): the first school day (home region) of the unbroken stretch of calendar
    days out of school (:meth:`OutOfSchool.on`) that holds ``on``, or None when the stretch holds
    no school day up to ``on`` (a gap of weekends, holidays or a summer vacation is no verzuim)."""
    start = on
    while child.on(start - ONE_DAY):
        start -= ONE_DAY
    first = child.calendar.first_school_day_on_or_after(child.region, start)
    return first if first <= on else None


def status_on(
    *,
    student_id: str,
    period: DutyPeriod,
    enrolments: Sequence[Enrolment],
    exemptions: Sequence[Exemption],
    on: dt.date,
    lrv_run_start: dt.date | None,
    lrv_run_length: int,
    region: str,
    calendar: SchoolCalendar,
) -> StudentStatus:
    """The status row of RULES.md §5 and §7 (v2) for one child.

    ``vrijgesteld`` when a row exempts the child on ``on`` (:func:`exemptions.exempts_on`: 3a/3b
    never, 15 only under kwalificatieplicht; LPW art. 5, 5a, 15), since the latest first day in
    effect of those rows; ``absoluut_verzuim`` when not enrolled and the stretch holds a school day
    of the home region ``region`` up to ``on`` (:func:`absoluut_verzuim_since`); else
    ``langdurig_relatief_verzuim`` when enrolled with an LRV run going on. ``lrv_run_start`` and
    ``lrv_run_length`` describe the run of whole-day unexcused school days going on at the last
    school day up to ``on`` (0 when none).
    """
    duty = period.on(on)
    category: str | None = None
    since: dt.date | None = None
    if duty != NONE:
        covering = [x for x in exemptions if exempts_on(x, period, on)]
        if covering:  # art. 5, 5a, 15 LPW
            category, since = VRIJGESTELD, max(first_day_in_effect(x, period) for x in covering)
        elif not any(e.covers(on) for e in enrolments):
            child = OutOfSchool(period, enrolments, exemptions, region, calendar)
            since = absoluut_verzuim_since(child, on)
            category = ABSOLUUT_VERZUIM if since is not None else None
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
