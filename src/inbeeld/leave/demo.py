"""Three demo leave requests at the demo school (issue 4 §5), recorded by ``demo-school`` through
the services, with dates relative to the demo's reference date ``on``:

1. holiday leave (art. 13a) of one school week with the employer's statement, granted by the school;
2. weighty circumstances (art. 14) of three school weeks: more than ten school days, forwarded to
   leerplicht (the demo gemeente), still open;
3. holiday leave in the first two lesweken of the school year: the law forbids it, recorded as
   refused at once.

Runs once: with any leave request present it does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from django.db import transaction

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.selectors import actor_of_username
from inbeeld.leave import selectors, services
from inbeeld.leave.models import LeaveRequest
from inbeeld.people.models import Exemption, Student
from inbeeld.people.selectors import school_of
from inbeeld.rules.calendar import monday_of, school_year_start
from inbeeld.rules.leave import HOLIDAY, PROTECTED_FIRST_LESWEKEN, WEIGHTY, first_lesweken

DAY = dt.timedelta(days=1)
WEEK = 7 * DAY


def _pupils(actor: Actor, on: dt.date, count: int, avoid: Collection[int]) -> list[Student]:
    """Pupils of the actor's school living in the school's municipality (so the demo gemeente
    sees the forwarded request), without an exemption, not in ``avoid``: the first by name."""
    school = school_of(actor=actor)
    return list(
        selectors.pupils_for_leave(actor=actor, on=on)
        .filter(municipality_code=school.municipality_code)
        .exclude(pk__in=Exemption.objects.values("student_id"))
        .exclude(pk__in=list(avoid))[:count]
    )


def _free_week(
    *, student: Student, school, kind: str, after: dt.date, weeks: int, employer: bool
) -> tuple[dt.date, dt.date] | None:
    """The first run of ``weeks`` full lesweken (Monday to Friday) from ``after`` on that the law
    allows for this kind of leave (school days: five a week)."""
    monday = monday_of(after) + WEEK
    for _ in range(52):
        start, end = monday, monday + (weeks - 1) * WEEK + 4 * DAY
        assessment = selectors.assess(
            student=student,
            school=school,
            kind=kind,
            start=start,
            end=end,
            employer_statement=employer,
        )
        if assessment.may_be_granted and assessment.school_days == 5 * weeks:
            return start, end
        monday += WEEK
    return None


@transaction.atomic
def leave_demo(
    *,
    on: dt.date,
    say: Callable[[str], None] = lambda message: None,
    avoid: Collection[int] = (),
) -> list[LeaveRequest]:
    """``avoid``: children (pks) other demo stories already use."""
    if LeaveRequest.objects.exists():
        say("demo leave requests already there")
        return []
    school_actor = actor_of_username("demo-school")
    if school_actor is None or school_of(actor=school_actor) is None:
        say("no demo school user: no demo leave requests")
        return []
    school = school_of(actor=school_actor)
    pupils = _pupils(school_actor, on, 3, avoid)
    made: list[LeaveRequest] = []

    # 1. holiday leave of one school week, asked six weeks before, granted by the school
    if pupils:
        child = pupils[0]
        week = _free_week(
            student=child, school=school, kind=HOLIDAY, after=on - 4 * WEEK, weeks=1, employer=True
        )
        if week is not None:
            asked = min(week[0] - 6 * WEEK, on)
            leave = services.leave_request_register(
                actor=school_actor,
                student=child,
                kind=HOLIDAY,
                start_date=week[0],
                end_date=week[1],
                employer_statement=True,
                requested_on=asked,
            )
            made.append(
                services.leave_request_decide(
                    actor=school_actor,
                    leave=leave,
                    grant=True,
                    note="Werkgeversverklaring gezien (seizoenswerk vader).",
                    on=asked + WEEK,
                )
            )

    # 2. weighty circumstances, three school weeks: to leerplicht, open
    if len(pupils) > 1:
        child = pupils[1]
        weeks = _free_week(
            student=child, school=school, kind=WEIGHTY, after=on, weeks=3, employer=False
        )
        if weeks is not None:
            made.append(
                services.leave_request_register(
                    actor=school_actor,
                    student=child,
                    kind=WEIGHTY,
                    start_date=weeks[0],
                    end_date=weeks[1],
                    reason="Begrafenis van een grootouder in het buitenland",
                    requested_on=on - 3 * DAY,
                )
            )

    # 3. holiday leave in the first two lesweken of the school year: refused at once
    if len(pupils) > 2:
        child = pupils[2]
        calendar, region = selectors.school_calendar(school)
        year = school_year_start(on)
        first_day, _ = first_lesweken(calendar, region, year, PROTECTED_FIRST_LESWEKEN)
        made.append(
            services.leave_request_register(
                actor=school_actor,
                student=child,
                kind=HOLIDAY,
                start_date=first_day,
                end_date=first_day + 4 * DAY,
                employer_statement=True,
                requested_on=min(first_day - 3 * WEEK, on),
                record_refused=True,
            )
        )
    say(f"{len(made)} demo leave requests")
    return made
