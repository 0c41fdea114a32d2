"""The demo's sick pupil (issue 12 §2): one pupil of the demo school sick for weeks up to the
demo's day, so that detection routes a MAZL melding to the school and GGD Groningen (the demo
GGD: its region is the demo municipality) and reports the long sickness to the demo school's
samenwerkingsverband. Runs before the detection of ``inbeeld demo-setup``; a second run adds
nothing (the absence's natural key).

The spell runs from about nine weeks before the demo's day (not before the first weeks of the
school year) to the last weekday before it; early in a school year it may fall short of
``choices.LONG_SICKNESS_SCHOOL_DAYS`` school days, and the demo then shows the MAZL melding
alone (the story says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from inbeeld.attendance.models import AbsenceRecord
from inbeeld.people.models import Enrolment, School, Student
from inbeeld.people.scope import current
from inbeeld.rules import choices
from inbeeld.rules.calendar import school_year_start
from inbeeld.rules.model import SICK

SPELL_WEEKS = 9
#: the spell starts no earlier than this many days after 1 August (after every region's summer)
YEAR_START_MARGIN = dt.timedelta(days=35)


def _weekday_before(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _spell(on: dt.date) -> tuple[dt.date, dt.date]:
    end = _weekday_before(on)
    start = end - dt.timedelta(weeks=SPELL_WEEKS)
    start = max(start, school_year_start(on) + YEAR_START_MARGIN)
    return start - dt.timedelta(days=start.weekday()), end  # from a Monday


def _pupil(school: School, on: dt.date, start: dt.date, end: dt.date) -> Student | None:
    """The first pupil of ``school`` (by key), 12 to 15 years old, without absences in the
    spell: a child whose record the story does not muddle."""
    enrolled = Enrolment.objects.filter(current("", on), school=school).values("student_id")
    busy = AbsenceRecord.objects.filter(start_date__lte=end, end_date__gte=start).values(
        "student_id"
    )
    return (
        Student.objects.filter(
            pk__in=enrolled,
            birth_date__gt=on.replace(year=on.year - 16),
            birth_date__lte=on.replace(year=on.year - 12),
        )
        .exclude(pk__in=busy)
        .order_by("pk")
        .first()
    )


def sick_pupil_demo(*, on: dt.date, say: Callable[[str], None], school: School) -> None:
    """Plant the sick spell (once; a demo that has it already is left alone)."""
    start, end = _spell(on)
    if AbsenceRecord.objects.filter(
        reason=SICK, start_date=start, end_date=end, student__enrolments__school=school
    ).exists():
        return
    pupil = _pupil(school, on, start, end)
    if pupil is None:
        say("demo: no pupil free for the sick spell (MAZL, langdurig ziek)")
        return
    AbsenceRecord.objects.create(
        student=pupil,
        start_date=start,
        end_date=end,
        reason=SICK,
        organisation=school.organisation,
    )
    say(
        f"demo: pupil {pupil.pk} sick {start.isoformat()} – {end.isoformat()} (MAZL to the GGD; "
        f"langdurig ziek to the samenwerkingsverband from {choices.LONG_SICKNESS_SCHOOL_DAYS} "
        "school days)"
    )
