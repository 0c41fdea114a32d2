"""Reads of findings, already limited to what the acting organisation may see (need-to-know).

Every list of children goes through ``people.selectors.students_visible_to``; worklists also need
``Permission.VIEW_WORKLIST`` (a beleidsmedewerker sees figures only, never a child).
"""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.explanations import CATEGORY_LABELS, MONTHS, RULE_LABELS
from inbeeld.attendance.facts import calendar_from_database
from inbeeld.attendance.models import (
    AbsenceRecord,
    DetectionRun,
    Melding,
    MeldingState,
    StudentStatus,
)
from inbeeld.audit.models import AuditEvent
from inbeeld.audit.selectors import access_history_of_student
from inbeeld.people.models import Enrolment, Exemption, Student
from inbeeld.people.selectors import student_for, students_visible_to
from inbeeld.rules.calendar import ONE_DAY, SchoolCalendar, school_year_start
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

THUISZITTER_CATEGORIES = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)
OPEN_STATES = (MeldingState.OPEN, MeldingState.IN_BEHANDELING)

#: sort keys of the thuiszitters table → ORDER BY (the second field keeps the order stable)
THUISZITTER_SORTS: dict[str, tuple[str, ...]] = {
    "since": ("since", "student__family_name", "pk"),
    "-since": ("-since", "student__family_name", "pk"),
    "duration": ("-school_days_at_home", "since", "pk"),
    "-duration": ("school_days_at_home", "-since", "pk"),
    "name": ("student__family_name", "student__given_names", "pk"),
    "-name": ("-student__family_name", "-student__given_names", "-pk"),
    "school": ("school_name", "student__family_name", "pk"),
    "-school": ("-school_name", "student__family_name", "pk"),
    "category": ("category", "since", "pk"),
    "-category": ("-category", "since", "pk"),
}
DEFAULT_SORT = "since"


@dataclass(frozen=True)
class ThuiszitterFilters:
    category: str = ""  # "" = both categories
    over_3_months: bool = False
    school: str = ""  # school name contains
    q: str = ""  # child's name contains


def latest_run() -> DetectionRun | None:
    return (
        DetectionRun.objects.filter(finished_at__isnull=False)
        .order_by("-started_at", "-id")
        .first()
    )


def thuiszitters_for(
    *,
    actor: Actor,
    filters: ThuiszitterFilters | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[StudentStatus]:
    """The children in scope whose status is absoluut or langdurig relatief verzuim.

    Each row is a StudentStatus with ``student`` loaded, ``category``, ``since``,
    ``school_days_at_home``, ``over_3_months`` and ``school_name`` (the school of the latest
    enrolment started on or before today: the current one, or the last one left).
    """
    if not actor.can(Permission.VIEW_WORKLIST):
        return StudentStatus.objects.none()
    filters = filters or ThuiszitterFilters()
    today = timezone.localdate()
    latest_school = (
        Enrolment.objects.filter(student=OuterRef("student"), start_date__lte=today)
        .order_by("-start_date", "-id")
        .values("school__name")[:1]
    )
    rows = (
        StudentStatus.objects.filter(
            category__in=THUISZITTER_CATEGORIES,
            student__in=students_visible_to(actor=actor),
        )
        .select_related("student")
        .annotate(school_name=Subquery(latest_school))
    )
    if filters.category in THUISZITTER_CATEGORIES:
        rows = rows.filter(category=filters.category)
    if filters.over_3_months:
        rows = rows.filter(over_3_months=True)
    if filters.school:
        rows = rows.filter(school_name__icontains=filters.school)
    if filters.q:
        for word in filters.q.split():
            rows = rows.filter(
                Q(student__given_names__icontains=word) | Q(student__family_name__icontains=word)
            )
    return rows.order_by(*THUISZITTER_SORTS.get(sort, THUISZITTER_SORTS[DEFAULT_SORT]))


def weeks_since(since: dt.date | None, on: dt.date | None) -> int | None:
    if since is None or on is None:
        return None
    return max((on - since).days // 7, 0)


def worklist_meldingen_for(*, actor: Actor) -> QuerySet[Melding]:
    """Meldingen routed to the actor's organisation whose child is in scope (any state)."""
    if not actor.can(Permission.VIEW_WORKLIST):
        return Melding.objects.none()
    return (
        Melding.objects.filter(
            organisations=actor.organisation, student__in=students_visible_to(actor=actor)
        )
        .select_related("student", "school")
        .order_by("-end_date", "student__family_name", "pk")
    )


def open_meldingen_for(*, actor: Actor) -> QuerySet[Melding]:
    """The worklist: meldingen for the actor's organisation, child in scope, not closed."""
    return worklist_meldingen_for(actor=actor).filter(state__in=OPEN_STATES)


def students_matching(*, actor: Actor, query: str, limit: int = 50) -> list[Student]:
    """Search by name, BSN or student number (external id) among the children in scope."""
    query = query.strip()
    if not query or not actor.can(Permission.SEARCH_STUDENTS):
        return []
    scoped = students_visible_to(actor=actor)
    compact = query.replace(" ", "").replace(".", "")
    condition = Q(external_id__iexact=query) | Q(bsn=compact) | Q(onderwijsnummer=compact)
    words = query.split()
    name = Q()
    for word in words:
        name &= Q(given_names__icontains=word) | Q(family_name__icontains=word)
    return list(
        scoped.filter(condition | name).order_by("family_name", "given_names", "pk")[:limit]
    )


# -- the child's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    #: "school", "weekend", "vrij" (vacation/holiday), "buiten" (outside the month: padding)
    kind: str
    reason: str = ""  # the absence reason that colours the day (ongeoorloofd > ziek > geoorloofd)
    label: str = ""  # full text for assistive technology and the tooltip
    mark: str = ""  # one letter shown in the cell, so colour is never the only cue


@dataclass(frozen=True)
class CalendarMonth:
    name: str
    year: int
    weeks: list[list[CalendarDay]]


@dataclass(frozen=True)
class AbsenceCalendar:
    year_start: dt.date
    label: str
    months: list[CalendarMonth]
    totals: dict[str, float]


REASON_ORDER = ("ongeoorloofd", "ziek", "geoorloofd")
REASON_TEXT = {
    "ongeoorloofd": "ongeoorloofd afwezig",
    "ziek": "ziek gemeld",
    "geoorloofd": "geoorloofd afwezig",
}
REASON_MARK = {"ongeoorloofd": "O", "ziek": "Z", "geoorloofd": "G"}


def _fmt_hours(hours: float) -> str:
    value = round(hours, 2)
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0").replace(".", ",")


def absence_calendar(
    *, student: Student, year_start: dt.date, calendar: SchoolCalendar | None = None
) -> AbsenceCalendar:
    """The school year of ``year_start`` as month grids: absences per day, vacations shaded."""
    calendar = calendar or calendar_from_database()
    year_end = dt.date(year_start.year + 1, 7, 31)
    enrolments = list(student.enrolments.select_related("school").order_by("start_date", "id"))
    absences = list(
        AbsenceRecord.objects.filter(
            student=student, start_date__lte=year_end, end_date__gte=year_start
        ).select_related("student")
    )

    def region_on(day: dt.date) -> tuple[str, float]:
        best = None
        for e in enrolments:
            if e.start_date <= day and (e.end_date is None or day <= e.end_date):
                best = e
        if best is None:
            return (student.region or (enrolments[0].school.region if enrolments else "")), 0.0
        hours = float(best.school.hours_per_day or (5 if best.school.sector in ("po", "so") else 6))
        return best.school.region, hours

    totals = dict.fromkeys(REASON_ORDER, 0.0)
    months: list[CalendarMonth] = []
    for offset in range(12):
        month = (year_start.month - 1 + offset) % 12 + 1
        year = year_start.year + (year_start.month - 1 + offset) // 12
        weeks: list[list[CalendarDay]] = []
        for week in calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(CalendarDay(day, "buiten"))
                    continue
                region, day_hours = region_on(day)
                free = calendar.free_reason(region, day)
                date_text = f"{day.day} {MONTHS[day.month - 1]}"
                if free == "weekend":
                    cells.append(CalendarDay(day, "weekend", label=f"{date_text}: weekend"))
                    continue
                if free:
                    cells.append(CalendarDay(day, "vrij", label=f"{date_text}: {free}", mark="V"))
                    continue
                hours = dict.fromkeys(REASON_ORDER, 0.0)
                for a in absences:
                    if a.start_date <= day <= a.end_date:
                        amount = float(a.hours_per_day) if a.hours_per_day else day_hours
                        hours[a.reason] = hours.get(a.reason, 0.0) + amount
                present = [r for r in REASON_ORDER if hours[r] > 0]
                if not present:
                    cells.append(CalendarDay(day, "school", label=f"{date_text}: schooldag"))
                    continue
                for r in present:
                    totals[r] += min(hours[r], day_hours) if day_hours else hours[r]
                parts = [
                    f"{REASON_TEXT[r]} {_fmt_hours(min(hours[r], day_hours) if day_hours else hours[r])} uur"
                    for r in present
                ]
                cells.append(
                    CalendarDay(
                        day,
                        "school",
                        reason=present[0],
                        label=f"{date_text}: {', '.join(parts)}",
                        mark=REASON_MARK[present[0]],
                    )
                )
            weeks.append(cells)
        months.append(CalendarMonth(MONTHS[month - 1], year, weeks))
    return AbsenceCalendar(
        year_start=year_start,
        label=f"{year_start.year}/{(year_start.year + 1) % 100:02d}",
        months=months,
        totals=totals,
    )


@dataclass
class StudentPage:
    student: Student
    enrolments: list[Enrolment]
    exemptions: list[Exemption]
    status: StudentStatus | None
    meldingen: list[Melding]
    calendar: AbsenceCalendar
    school_years: list[dt.date]
    access_history: list[AuditEvent] | None = None
    rule_labels: dict[str, str] = field(default_factory=lambda: dict(RULE_LABELS))
    category_labels: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_LABELS))


def student_page_for(
    *, actor: Actor, pk: int, year_start: dt.date | None = None
) -> StudentPage | None:
    """All a child's page shows, or None when the child is not in the actor's scope (→ 404).

    Meldingen: those routed to the actor's organisation. The access history only with
    ``Permission.VIEW_ACCESS_HISTORY``.
    """
    student = student_for(actor=actor, pk=pk)
    if student is None:
        return None
    today = timezone.localdate()
    first_absence = (
        AbsenceRecord.objects.filter(student=student)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    current_year = school_year_start(today)
    years = [current_year]
    if first_absence is not None:
        y = school_year_start(first_absence)
        while y < current_year and len(years) < 6:
            years.append(y)
            y = dt.date(y.year + 1, 8, 1)
    years = sorted(set(years), reverse=True)
    if year_start is None or year_start not in years:
        year_start = current_year
    status = StudentStatus.objects.filter(student=student).first()
    return StudentPage(
        student=student,
        enrolments=list(student.enrolments.select_related("school").order_by("-start_date", "-id")),
        exemptions=list(student.exemptions.order_by("-start_date")),
        status=status,
        meldingen=list(
            Melding.objects.filter(student=student, organisations=actor.organisation)
            .select_related("school")
            .prefetch_related("events")
            .order_by("-end_date", "rule")
        ),
        calendar=absence_calendar(student=student, year_start=year_start),
        school_years=years,
        access_history=(
            list(access_history_of_student(student_id=student.pk))
            if actor.can(Permission.VIEW_ACCESS_HISTORY)
            else None
        ),
    )


def thuiszitter_rows(rows: list[StudentStatus], on: dt.date | None) -> list[dict]:
    """Template rows: the status with duration in school days and calendar weeks."""
    return [
        {
            "status": row,
            "student": row.student,
            "category_label": CATEGORY_LABELS.get(row.category, row.category),
            "weeks": weeks_since(row.since, on),
        }
        for row in rows
    ]


__all__ = [
    "ONE_DAY",
    "AbsenceCalendar",
    "StudentPage",
    "ThuiszitterFilters",
    "absence_calendar",
    "latest_run",
    "open_meldingen_for",
    "student_page_for",
    "students_matching",
    "thuiszitters_for",
    "worklist_meldingen_for",
]
