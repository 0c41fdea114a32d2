"""The Django side of the care signals (zorgsignalen, issue 12 §3): gather one child's data and
evaluate the plain rules of :mod:`inbeeld.rules.care_signals` as of a day.

Scoped: only for a child the actor may see (``people.selectors.student_for``); of that child only
what the actor may see otherwise too: the meldingen routed to the actor's organisation and the
waiting lists of the cases the actor's organisation works on. The absences, enrolments and earlier
thuiszitter episodes are the ones the child's page shows. Reads nothing the rules may not use
(no nationality, origin, religion, gender or family income). Writes nothing: the child's page
that shows the signals records the view (audit) itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.attendance.explanations import CATEGORY_LABELS, RULE_LABELS
from inbeeld.attendance.facts import student_facts
from inbeeld.attendance.models import MeldingState
from inbeeld.attendance.selectors import meldingen_of_child
from inbeeld.barriers.selectors import barriers_for
from inbeeld.barriers.workflow import BarrierKind
from inbeeld.monitor.models import Episode
from inbeeld.people.models import Student
from inbeeld.people.selectors import student_for
from inbeeld.rules.absence import school_days
from inbeeld.rules.care_signals import (
    THRESHOLDS,
    CareSignal,
    CareSignalThresholds,
    ChildFacts,
    EnrolmentSpan,
    MeldingFact,
    SchoolDay,
    ThuiszitterEpisode,
    WaitingList,
    care_signals_on,
)
from inbeeld.rules.duty import duty_period, home_region


def _school_days(student: Student, on: dt.date, t: CareSignalThresholds) -> tuple[SchoolDay, ...]:
    """The counted school days the absence rules need, with their unexcused and sick hours, as
    the detection counts them (the child's own timetable, the regional calendar)."""
    facts = student_facts(student=student)
    record = facts.record
    weeks = max(2 * t.unexcused_window_weeks, t.sick_window_weeks) + 1
    days = school_days(
        enrolments=record.enrolments,
        absences=record.absences,
        schools=facts.schools,
        calendar=facts.calendar,
        duty=duty_period(record.student, record.enrolments, facts.schools, facts.calendar),
        region=home_region(record.student, record.enrolments, facts.schools),
        first=on - dt.timedelta(weeks=weeks),
        last=on,
        birth_date=record.student.birth_date,
    )
    return tuple(SchoolDay(d.day, d.unexcused, d.sick) for d in days if d.counted)


def child_facts(
    *, actor: Actor, student: Student, on: dt.date, thresholds: CareSignalThresholds = THRESHOLDS
) -> ChildFacts:
    """What the rules read of one child the actor may see (the caller checked the scope)."""
    enrolments = tuple(
        EnrolmentSpan(str(e.school_id), e.school.name, e.start_date, e.end_date)
        for e in student.enrolments.select_related("school").order_by("start_date", "pk")
        if e.start_date <= on
    )
    episodes = tuple(
        ThuiszitterEpisode(CATEGORY_LABELS.get(e.category, e.category), e.start_date, e.end_date)
        for e in Episode.objects.filter(student=student, start_date__lte=on).order_by("start_date")
    )
    waiting_lists = tuple(
        WaitingList(b.started_on, b.ended_on)
        for b in barriers_for(actor=actor).filter(
            case__student=student, kind=BarrierKind.WAITING_LIST, started_on__lte=on
        )
    )
    meldingen = tuple(
        MeldingFact(
            RULE_LABELS.get(m.rule, m.rule),
            timezone.localdate(m.created_at),
            m.state == MeldingState.OPEN,
        )
        for m in meldingen_of_child(actor=actor, student=student)
        .verzuimmeldingen()  # a report for information awaits no handling (issue 12 §2)
        .order_by("created_at")
    )
    return ChildFacts(
        school_days=_school_days(student, on, thresholds),
        enrolments=enrolments,
        episodes=episodes,
        waiting_lists=waiting_lists,
        meldingen=meldingen,
    )


def care_signals_for(
    *, actor: Actor, student: Student, on: dt.date | None = None
) -> list[CareSignal]:
    """The care signals that fire for ``student`` on ``on`` (today by default); none for a child
    the actor may not see."""
    if student_for(actor=actor, pk=student.pk) is None:
        return []
    on = on or timezone.localdate()
    facts = child_facts(actor=actor, student=student, on=on)
    return list(care_signals_on(facts, on).fired)
