"""The simple implementation: one student at a time, one day at a time.

It composes ``duty``, ``absence`` and ``status`` literally as RULES.md reads. It answers questions
about one child (the application's explanations, ``inbeeld leerplicht``) and is the yardstick the
bulk engine is tested against on generated data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inbeeld.rules.absence import (
    LrvState,
    Melding,
    effective_enrolment,
    luxe_meldingen,
    melding_order,
    meldingen_for,
    school_days,
)
from inbeeld.rules.calendar import SchoolCalendar
from inbeeld.rules.duty import DutyPeriod, duty_period, home_region
from inbeeld.rules.model import Dataset, School, StudentRecord
from inbeeld.rules.status import StudentStatus, status_on


@dataclass(frozen=True, slots=True)
class StudentAnalysis:
    status: StudentStatus
    meldingen: tuple[Melding, ...]
    period: DutyPeriod


def analyse_student(
    record: StudentRecord, schools: dict[str, School], calendar: SchoolCalendar, on: dt.date
) -> StudentAnalysis:
    """Status on ``on`` and every melding ending on or before it, for one child (RULES.md §2–§5,
    §7 v2), ordered as in meldingen.csv (``absence.melding_order``)."""
    student = record.student
    region = home_region(student, record.enrolments, schools)
    period = duty_period(student, record.enrolments, schools, calendar)
    starts = [a.start for a in record.absences if a.start <= on]
    state = LrvState()
    meldingen: list[Melding] = []
    if starts:
        days = school_days(
            enrolments=record.enrolments,
            absences=record.absences,
            schools=schools,
            calendar=calendar,
            duty=period,
            region=region,
            first=min(starts),
            last=on,
            birth_date=student.birth_date,
        )
        meldingen = meldingen_for(student.student_id, days, calendar, state)
        # RULES.md §7 (v2): luxe verzuim, one melding per row (LPW art. 11 onder f / 13a)
        meldingen += luxe_meldingen(student.student_id, record.absences, days, on)
        meldingen.sort(key=melding_order)
    status = status_on(
        student_id=student.student_id,
        period=period,
        enrolments=record.enrolments,
        exemptions=record.exemptions,
        on=on,
        lrv_run_start=state.run_start,
        lrv_run_length=state.run_length,
        region=region,
        calendar=calendar,
    )
    return StudentAnalysis(status=status, meldingen=tuple(meldingen), period=period)


def school_of_enrolment(record: StudentRecord, day: dt.date) -> str | None:
    enrolment = effective_enrolment(record.enrolments, day)
    return enrolment.brin if enrolment else None


def analyse_dataset_simply(
    dataset: Dataset, calendar: SchoolCalendar, on: dt.date
) -> tuple[list[StudentStatus], list[Melding]]:
    """Every student of ``dataset``, one at a time (the reference for the bulk engine)."""
    schools = dataset.schools_by_brin()
    statuses: list[StudentStatus] = []
    meldingen: list[Melding] = []
    for record in dataset.student_records():
        result = analyse_student(record, schools, calendar, on)
        statuses.append(result.status)
        meldingen.extend(result.meldingen)
    return statuses, meldingen
