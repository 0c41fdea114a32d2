"""The demo's concerns: the school and the GGD each register one about a pupil of the demo school
whose long absence is already a concern of the system, so the demo shows matches (issue 4 §1).

The school registers from the child's page; the GGD, which does not see the child, by BSN and
birth date. The GGD then sees who else is involved and how to reach them, never the child's data
(issue 9): it sees a child only through a case team it is in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from inbeeld.accounts.selectors import actor_of_username
from inbeeld.concerns.models import Concern
from inbeeld.concerns.services import concern_register
from inbeeld.people.selectors import students_visible_to


def concerns_demo(
    *, on: dt.date, say: Callable[[str], None] = lambda message: None, avoid: set[int] = frozenset()
) -> list[Concern]:
    if Concern.objects.filter(system=False).exists():
        say("demo concerns already there")
        return []
    school, ggd = actor_of_username("demo-school"), actor_of_username("demo-ggd")
    if school is None or ggd is None:
        return []
    with_system_concern = Concern.objects.filter(system=True).values("student_id")
    student = (
        students_visible_to(actor=school, on=on)
        .filter(pk__in=with_system_concern, bsn__isnull=False)
        .exclude(pk__in=avoid)
        .order_by("pk")
        .first()
    )
    if student is None:
        say("no pupil of the demo school with a system concern: no demo concerns")
        return []
    made = [
        concern_register(
            actor=school,
            student_id=student.pk,
            domain="school",
            contact_name="Sanne Bakker (zorgcoördinator)",
            contact_phone="050 123 45 67",
            contact_email="s.bakker@example.org",
            on=on,
        ),
        concern_register(
            actor=ggd,
            bsn=student.bsn,
            birth_date=student.birth_date,
            domain="health",
            urgent=True,
            contact_name="Eva Mulder (jeugdarts)",
            contact_phone="050 765 43 21",
            contact_email="e.mulder@example.org",
            on=on,
        ),
    ]
    say("2 demo concerns about one pupil: school, GGD and the system match")
    return made
