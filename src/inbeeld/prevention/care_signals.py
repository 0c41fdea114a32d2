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

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.attendance.explanations import CATEGORY_LABELS, RULE_LABELS
from inbeeld.attendance.facts import calendar_from_database, dataset_from_database, student_facts
from inbeeld.attendance.models import MeldingState
from inbeeld.attendance.selectors import meldingen_of_children
from inbeeld.barriers.selectors import barriers_for
from inbeeld.barriers.workflow import BarrierKind
from inbeeld.monitor.models import Episode
from inbeeld.people.models import Enrolment, Student
from inbeeld.people.selectors import student_for, students_visible_to
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
    care_signals_in,
    care_signals_on,
    history_from_facts,
)
from inbeeld.rules.duty import duty_period, home_region
from inbeeld.rules.signal_replay import history_from_dataset


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


def _facts_of(*, actor: Actor, students: Sequence[Student], on: dt.date) -> dict[int, ChildFacts]:
    """What the rules read of the children the actor may see (the caller checked the scope), but
    their school days: a handful of queries for all of them."""
    ids = [s.pk for s in students]
    enrolments: dict[int, list[EnrolmentSpan]] = defaultdict(list)
    for e in (
        Enrolment.objects.filter(student__in=ids, start_date__lte=on)
        .select_related("school")
        .order_by("student_id", "start_date", "pk")
    ):
        enrolments[e.student_id].append(
            EnrolmentSpan(str(e.school_id), e.school.name, e.start_date, e.end_date)
        )
    episodes: dict[int, list[ThuiszitterEpisode]] = defaultdict(list)
    for e in Episode.objects.filter(student__in=ids, start_date__lte=on).order_by(
        "student_id", "start_date", "pk"
    ):
        episodes[e.student_id].append(
            ThuiszitterEpisode(
                CATEGORY_LABELS.get(e.category, e.category), e.start_date, e.end_date
            )
        )
    waiting_lists: dict[int, list[WaitingList]] = defaultdict(list)
    for student_id, since, ended in (
        barriers_for(actor=actor)
        .filter(case__student__in=ids, kind=BarrierKind.WAITING_LIST, started_on__lte=on)
        .order_by("started_on", "pk")
        .values_list("case__student_id", "started_on", "ended_on")
    ):
        waiting_lists[student_id].append(WaitingList(since, ended))
    meldingen: dict[int, list[MeldingFact]] = defaultdict(list)
    for m in (
        meldingen_of_children(actor=actor, student_ids=ids)
        .verzuimmeldingen()  # a report for information awaits no handling (issue 12 §2)
        .order_by("created_at", "pk")
    ):
        meldingen[m.student_id].append(
            MeldingFact(
                RULE_LABELS.get(m.rule, m.rule),
                timezone.localdate(m.created_at),
                m.state == MeldingState.OPEN,
            )
        )
    return {
        pk: ChildFacts(
            enrolments=tuple(enrolments[pk]),
            episodes=tuple(episodes[pk]),
            waiting_lists=tuple(waiting_lists[pk]),
            meldingen=tuple(meldingen[pk]),
        )
        for pk in ids
    }


def child_facts(
    *, actor: Actor, student: Student, on: dt.date, thresholds: CareSignalThresholds = THRESHOLDS
) -> ChildFacts:
    """What the rules read of one child the actor may see (the caller checked the scope)."""
    facts = _facts_of(actor=actor, students=[student], on=on)[student.pk]
    return dataclasses.replace(facts, school_days=_school_days(student, on, thresholds))


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


def care_signals_of_pupils(
    *, actor: Actor, students: Sequence[Student], on: dt.date
) -> dict[int, list[CareSignal]]:
    """The care signals that fire on ``on`` for each of ``students`` the actor may see, by the
    child's key (a child without signals has no entry): what :func:`care_signals_for` gives each
    of them, from one run of the conditions for all (the school teams' sweep). The school days
    come from the bulk engine's day table over the children's data (the same counting as the
    detection and the child's page)."""
    ids = [s.pk for s in students]
    visible = set(students_visible_to(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    pupils = [s for s in students if s.pk in visible]
    if not pupils:
        return {}
    children = {
        str(pk): facts for pk, facts in _facts_of(actor=actor, students=pupils, on=on).items()
    }
    history = history_from_facts(children)
    days = history_from_dataset(
        dataset_from_database(student_ids=[s.pk for s in pupils]),
        on,
        calendar=calendar_from_database(),
        episodes=history.episodes,
    ).school_days
    history = dataclasses.replace(history, school_days=days)
    return {int(key): list(fired) for key, fired in care_signals_in(history, children, on).items()}
