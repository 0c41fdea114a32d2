"""Reads of findings, already limited to what the acting organisation may see (need-to-know).

Every list of children goes through ``people.selectors.students_visible_to``; worklists also need
``Permission.VIEW_WORKLIST`` (a beleidsmedewerker sees figures only, never a child).
"""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import User
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.selectors import members_who_may
from inbeeld.attendance.explanations import CATEGORY_LABELS, MONTHS, RULE_LABELS
from inbeeld.attendance.facts import calendar_from_database
from inbeeld.attendance.models import (
    OPEN_STATES,
    AbsenceRecord,
    DetectionRun,
    ImportBatch,
    Melding,
    MeldingEvent,
    MeldingState,
    StudentStatus,
)
from inbeeld.audit.selectors import AccessEntry, access_history_of_student
from inbeeld.concerns.models import ACTIVE_YEARS, SystemConcernCandidate, SystemReason, add_years
from inbeeld.concerns.selectors import organisations_matched_about
from inbeeld.people.age import age_on as age_in_database
from inbeeld.people.models import Enrolment, Exemption, Involvement, School, Student
from inbeeld.people.selectors import (
    search_students,
    student_for,
    student_scope,
    students_visible_to,
)
from inbeeld.rules.absence import RULE_16_UUR, RULE_LRV
from inbeeld.rules.calendar import (
    ONE_DAY,
    SchoolCalendar,
    school_year_bounds,
    school_year_end,
    school_year_label,
    school_year_start,
)
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

THUISZITTER_CATEGORIES = (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM)

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
    scope = student_scope(actor=actor, via="student")
    if scope is None:
        return Melding.objects.none()
    # newest first; ordered on the melding's own columns, so the index on (state, end_date)
    # serves a page without sorting every open melding by the child's name first
    return (
        Melding.objects.filter(scope, organisations=actor.organisation)
        .select_related("student", "school")
        .order_by("-end_date", "-pk")
    )


def meldingen_of_child(*, actor: Actor, student: Student) -> QuerySet[Melding]:
    """The meldingen of one child (one the actor sees) that came to the actor's organisation,
    any state: the child's page and the letters about a melding."""
    return meldingen_of_children(actor=actor, student_ids=[student.pk])


def meldingen_of_children(*, actor: Actor, student_ids: Iterable[int]) -> QuerySet[Melding]:
    """:func:`meldingen_of_child` for several children at once (the caller checked that the actor
    sees them): the school teams' care signal sweep."""
    return Melding.objects.filter(student__in=list(student_ids), organisations=actor.organisation)


def open_meldingen_for(*, actor: Actor) -> QuerySet[Melding]:
    """The worklist: meldingen for the actor's organisation, child in scope, not closed; with the
    reports for information (``models.REPORT_RULES``) still to be read."""
    return worklist_meldingen_for(actor=actor).filter(state__in=OPEN_STATES)


def meldingen_to_handle_for(*, actor: Actor) -> QuerySet[Melding]:
    """The worklist's meldingen that await handling (``MeldingQuerySet.awaiting_handling``):
    open, without the reports for information."""
    return worklist_meldingen_for(actor=actor).awaiting_handling()


#: how long a worklist's count may be reused at most; any detection run, handled melding, import
#: or new involvement makes a new key at once, so the bound only matters for what none of those
#: covers (a day passing is in the key too)
COUNT_SECONDS = 120


def worklist_version(*, actor: Actor) -> str:
    """A key that changes whenever what the actor's worklists show may change: the day, the latest
    detection run, the latest handling event, the latest import and the latest involvement."""
    latest = {
        name: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for name, model in (
            ("run", DetectionRun),
            ("event", MeldingEvent),
            ("import", ImportBatch),
            ("involvement", Involvement),
        )
    }
    return "{org}:{day}:{run}:{event}:{import}:{involvement}".format(
        org=actor.organisation.pk, day=timezone.localdate().isoformat(), **latest
    )


def open_meldingen_count(*, actor: Actor, version: str | None = None) -> int:
    """How many meldingen the actor's worklist holds, for the pager.

    Counting a large gemeente's worklist costs more than showing a page of it (every row's child
    goes through the need-to-know test), so the count is cached per organisation under
    :func:`worklist_version`.
    """
    key = f"worklist-count:{version or worklist_version(actor=actor)}"
    return cache.get_or_set(key, lambda: open_meldingen_for(actor=actor).count(), COUNT_SECONDS)


@dataclass
class ThuiszitterPage:
    """One page of the thuiszitters list, as the template's pager reads it (``page.paginator``
    is the page itself: it knows the count and the number of pages)."""

    number: int
    count: int
    num_pages: int
    rows: list[StudentStatus]

    @property
    def paginator(self) -> ThuiszitterPage:
        return self

    @property
    def object_list(self) -> list[StudentStatus]:
        return self.rows

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def thuiszitters_page_for(
    *,
    actor: Actor,
    filters: ThuiszitterFilters,
    sort: str,
    number: str | int | None,
    per_page: int,
    version: str | None = None,
) -> ThuiszitterPage:
    """A page of :func:`thuiszitters_for`, cached under :func:`worklist_version` (what it shows
    changes only with a run, an import, an involvement or the day)."""
    key = f"thuiszitters:{version or worklist_version(actor=actor)}:{urlencode(sorted(vars(filters).items()))}:{sort}:{number}:{per_page}"

    def compute() -> ThuiszitterPage:
        page = Paginator(
            thuiszitters_for(actor=actor, filters=filters, sort=sort), per_page
        ).get_page(number)
        return ThuiszitterPage(
            number=page.number,
            count=page.paginator.count,
            num_pages=page.paginator.num_pages,
            rows=list(page.object_list),
        )

    return cache.get_or_set(key, compute, COUNT_SECONDS)


def students_matching(*, actor: Actor, query: str, limit: int = 50) -> list[Student]:
    """Search by name, BSN or student number (external id) among the children in scope
    (``people.selectors.search_students``, as the API's ``?search=``)."""
    if not actor.can(Permission.SEARCH_STUDENTS):
        return []
    return list(search_students(students_visible_to(actor=actor), query)[:limit])


# -- the child's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    #: "school", "weekend", "vrij" (vacation/holiday), "uitgeschreven" (a school day on which no
    #: enrolment covers the child), "toekomst" (after today: no history yet), "buiten" (outside
    #: the month: padding)
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
    #: the months up to and including today's (a past school year: all twelve)
    months: list[CalendarMonth]
    totals: dict[str, float]
    #: the months of this school year after today's, left out of ``months`` ("nog niet")
    months_to_come: list[CalendarMonth] = field(default_factory=list)

    @property
    def has_unenrolled_days(self) -> bool:
        return any(
            day.kind == "uitgeschreven" for m in self.months for week in m.weeks for day in week
        )

    @property
    def is_current(self) -> bool:
        return bool(self.months_to_come) or self.year_start == school_year_start(
            timezone.localdate()
        )


#: the reasons in the order that colours a day (unexcused first); RULES.md §7 adds ``luxe``
#: (luxe verzuim, unexcused) and ``11a`` (a five-year-old kept home, art. 11a)
REASON_ORDER = ("ongeoorloofd", "luxe", "ziek", "geoorloofd", "11a")
REASON_TEXT = {
    "ongeoorloofd": "ongeoorloofd afwezig",
    "luxe": "luxe verzuim",
    "ziek": "ziek gemeld",
    "geoorloofd": "geoorloofd afwezig",
    "11a": "vijfjarige thuis (art. 11a)",
}
REASON_MARK = {"ongeoorloofd": "O", "luxe": "L", "ziek": "Z", "geoorloofd": "G", "11a": "A"}


def _fmt_hours(hours: float) -> str:
    value = round(hours, 2)
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0").replace(".", ",")


def absence_calendar(
    *,
    student: Student,
    year_start: dt.date,
    calendar: SchoolCalendar | None = None,
    today: dt.date | None = None,
) -> AbsenceCalendar:
    """The school year of ``year_start`` as month grids: absences per day, vacations shaded.

    Nothing after ``today`` is shown as history: days later this month are "nog niet"
    (kind ``toekomst``), later months are only named in ``months_to_come``.
    """
    calendar = calendar or calendar_from_database()
    today = today or timezone.localdate()
    year_end = school_year_end(year_start)
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
        # RULES.md §7: the child's own timetable of the enrolment replaces the school's hours
        hours = float(
            best.hours_per_day
            or best.school.hours_per_day
            or (5 if best.school.sector in ("po", "so") else 6)
        )
        return best.school.region, hours

    totals = dict.fromkeys(REASON_ORDER, 0.0)
    months: list[CalendarMonth] = []
    months_to_come: list[CalendarMonth] = []
    for offset in range(12):
        month = (year_start.month - 1 + offset) % 12 + 1
        year = year_start.year + (year_start.month - 1 + offset) // 12
        if dt.date(year, month, 1) > today:
            months_to_come.append(CalendarMonth(MONTHS[month - 1], year, []))
            continue
        weeks: list[list[CalendarDay]] = []
        for week in calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(CalendarDay(day, "buiten"))
                    continue
                date_text = f"{day.day} {MONTHS[day.month - 1]}"
                if day > today:
                    cells.append(CalendarDay(day, "toekomst", label=f"{date_text}: nog niet"))
                    continue
                region, day_hours = region_on(day)
                free = calendar.free_reason(region, day)
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
                if not present and not day_hours:  # no enrolment covers the day
                    cells.append(
                        CalendarDay(
                            day, "uitgeschreven", label=f"{date_text}: niet ingeschreven", mark="N"
                        )
                    )
                    continue
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
        label=school_year_label(year_start),
        months=months,
        totals=totals,
        months_to_come=months_to_come,
    )


@dataclass
class StudentPage:
    student: Student
    enrolments: list[Enrolment]
    exemptions: list[Exemption]
    status: StudentStatus | None
    meldingen: list[Melding]
    calendar: AbsenceCalendar
    #: the school years one may go to: those with absences or the status' start, and the current
    #: one; newest first
    school_years: list[dt.date]
    access_history: list[AccessEntry] | None = None
    rule_labels: dict[str, str] = field(default_factory=lambda: dict(RULE_LABELS))
    category_labels: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_LABELS))

    @property
    def vrijstellingen(self) -> list[Exemption]:
        """The exemptions proper (art. 5 onder a/b/c, 5a, 15)."""
        return [x for x in self.exemptions if not x.is_vervangende_leerplicht]

    @property
    def vervangende_leerplicht(self) -> list[Exemption]:
        """Art. 3a/3b rows: vervangende leerplicht, no vrijstelling (RULES.md §7)."""
        return [x for x in self.exemptions if x.is_vervangende_leerplicht]

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        """(value of ?schooljaar=, label like "2024/25") for each school year, newest first."""
        return [(y.year, school_year_label(y)) for y in self.school_years]

    @property
    def previous_year_label(self) -> str:
        return school_year_label(self.previous_year) if self.previous_year else ""

    @property
    def next_year_label(self) -> str:
        return school_year_label(self.next_year) if self.next_year else ""

    @property
    def previous_year(self) -> dt.date | None:
        """The nearest earlier school year to go to (None: this is the first)."""
        earlier = [y for y in self.school_years if y < self.calendar.year_start]
        return max(earlier) if earlier else None

    @property
    def next_year(self) -> dt.date | None:
        """The nearest later school year to go to (None: this is the last)."""
        later = [y for y in self.school_years if y > self.calendar.year_start]
        return min(later) if later else None


def school_years_of(
    *, student: Student, status: StudentStatus | None, today: dt.date | None = None
) -> tuple[list[dt.date], dt.date]:
    """The school years with something to show for the child (absences, or the start of its
    status) plus the current one, newest first; and the one to show by default: that of the most
    recent absence or status start (the current year when the child has none).

    Nothing after today counts: a planned absence next school year does not make an empty future
    year the default.
    """
    today = today or timezone.localdate()
    current = school_year_start(today)
    years = {current}
    latest: dt.date | None = None
    for start, end in AbsenceRecord.objects.filter(
        student=student, start_date__lte=today
    ).values_list("start_date", "end_date"):
        last = min(end or start, today)
        y = school_year_start(start)
        while y <= school_year_start(last):
            years.add(y)
            y = school_year_bounds(y.year + 1)[0]
        latest = last if latest is None or last > latest else latest
    if status is not None and status.category and status.since and status.since <= today:
        years.add(school_year_start(status.since))
        latest = status.since if latest is None or status.since > latest else latest
    default = school_year_start(latest) if latest is not None else current
    return sorted(years, reverse=True), default


def student_page_of(
    *, actor: Actor, student: Student, year_start: dt.date | None = None
) -> StudentPage:
    """All a child's page shows, for a child the caller already found in the actor's scope
    (``people.selectors.student_for``). The view records the audit VIEW event before calling this,
    so the access history includes the view being made.

    Meldingen: those routed to the actor's organisation. The access history only with
    ``Permission.VIEW_ACCESS_HISTORY``. ``year_start``: the school year of the calendar
    (1 August); one without data falls back to the default of :func:`school_years_of`.
    """
    status = StudentStatus.objects.filter(student=student).first()
    years, default = school_years_of(student=student, status=status)
    if year_start is None or year_start not in years:
        year_start = default
    return StudentPage(
        student=student,
        enrolments=list(student.enrolments.select_related("school").order_by("-start_date", "-id")),
        exemptions=list(student.exemptions.order_by("-start_date")),
        status=status,
        meldingen=list(
            meldingen_of_child(actor=actor, student=student)
            .select_related("school")
            .prefetch_related("events")
            .order_by("-end_date", "rule")
        ),
        calendar=absence_calendar(student=student, year_start=year_start),
        school_years=years,
        access_history=(
            access_history_for(actor=actor, student=student)
            if actor.can(Permission.VIEW_ACCESS_HISTORY)
            else None
        ),
    )


def access_history_for(*, actor: Actor, student: Student, limit: int = 200) -> list[AccessEntry]:
    """The child's access history as the actor's organisation may know it (the caller found the
    child in the actor's scope and checks the permission): see
    ``audit.selectors.access_history_of_student``."""
    return access_history_of_student(
        student_id=student.pk,
        viewer_organisation_id=actor.organisation.pk,
        matched_organisation_ids=organisations_matched_about(
            organisation_id=actor.organisation.pk, student_id=student.pk
        ),
        limit=limit,
    )


def student_page_for(
    *, actor: Actor, pk: int, year_start: dt.date | None = None
) -> StudentPage | None:
    """The child's page, or None when the child is not in the actor's scope (→ 404)."""
    student = student_for(actor=actor, pk=pk)
    if student is None:
        return None
    return student_page_of(actor=actor, student=student, year_start=year_start)


def thuiszitter_rows(
    rows: list[StudentStatus], on: dt.date | None, offers: dict | None = None
) -> list[dict]:
    """Template rows: the status with duration in school days and calendar weeks, and (``offers``:
    :func:`inbeeld.attendance.extensions.case_offers`) the child's case and whether it has an
    offer."""
    offers = offers or {}
    return [
        {
            "status": row,
            "student": row.student,
            "category_label": CATEGORY_LABELS.get(row.category, row.category),
            "weeks": weeks_since(row.since, on),
            "case": offers.get(row.student_id),
        }
        for row in rows
    ]


def meldingen_to_do_for(*, actor: Actor, state: str | None = None) -> QuerySet[Melding]:
    """ "Vandaag": the open meldingen of the worklist assigned to the actor or to nobody yet (only
    ``state``, when given), the oldest first. A new one (nieuw) has to be taken in handling within
    the team's norm (setting INBEELD_MELDING_RESPONSE_DAYS, :func:`melding_deadline`) after it
    arrived, so the oldest new one is the most urgent; those in handling have no deadline. Only
    for those who handle meldingen. The index on (state, created_at, id) serves a first page
    without sorting the whole team's pile."""
    if not actor.can(Permission.HANDLE_MELDING):
        return Melding.objects.none()
    rows = meldingen_to_handle_for(actor=actor).filter(
        Q(assignee=actor.user) | Q(assignee__isnull=True)
    )
    if state is not None:
        rows = rows.filter(state=state)
    return rows.select_related("assignee").order_by("created_at", "pk")


def meldingen_for_information(*, actor: Actor) -> QuerySet[Melding]:
    """ "Vandaag" of those who see meldingen but do not handle them (issue 12 §2: the jeugdarts
    of a MAZL melding, the samenwerkingsverband of a report of long sickness): the open meldingen
    routed to their organisation, the oldest first. Those who handle meldingen have them in
    :func:`meldingen_to_do_for`."""
    if actor.can(Permission.HANDLE_MELDING):
        return Melding.objects.none()
    return open_meldingen_for(actor=actor).order_by("created_at", "pk")


def meldingen_to_do_count(*, actor: Actor, version: str | None = None) -> int:
    """How many meldingen :func:`meldingen_to_do_for` holds, cached as :func:`open_meldingen_count`
    (an assignment is a handling event, so it makes a new key)."""
    key = f"to-do-count:{version or worklist_version(actor=actor)}:{actor.user.pk}"
    return cache.get_or_set(key, lambda: meldingen_to_do_for(actor=actor).count(), COUNT_SECONDS)


def melding_deadline(melding: Melding) -> dt.date | None:
    """The day by which a new melding must be taken in handling; None once it is in handling."""
    if melding.state != MeldingState.OPEN:
        return None
    arrived = timezone.localdate(melding.created_at)
    return arrived + dt.timedelta(days=int(settings.INBEELD_MELDING_RESPONSE_DAYS))


__all__ = [
    "ONE_DAY",
    "AbsenceCalendar",
    "StudentPage",
    "ThuiszitterFilters",
    "absence_calendar",
    "latest_run",
    "open_meldingen_for",
    "school_years_of",
    "student_page_for",
    "student_page_of",
    "students_matching",
    "system_concern_candidates",
    "thuiszitters_for",
    "worklist_meldingen_for",
]


def detection_runs_recent(*, limit: int = 20) -> QuerySet[DetectionRun]:
    """The latest detection runs (counts only, no child): for whoever may run detection."""
    return DetectionRun.objects.select_related("triggered_by").order_by("-started_at", "-id")[
        :limit
    ]


#: the rules whose meldingen are long absence, an urgent concern of the gemeente (issue 4 §1)
SYSTEM_CONCERN_REASONS = {RULE_LRV: SystemReason.LRV, RULE_16_UUR: SystemReason.SIXTEEN_HOURS}
IN_CHUNK = 500


def system_concern_candidates(
    *, on: dt.date, melding_ids: list[int] | None = None
) -> list[SystemConcernCandidate]:
    """The children whose absence is itself an urgent concern of the gemeente on ``on`` (issue 4
    §1), for ``concerns.services.register_system_concerns``: every ``lrv`` and ``16_uur`` melding
    that ended in the last two years (only those of ``melding_ids`` when given: detection passes
    its new ones), and every child in absoluut verzuim for more than three months. Each carries
    the natural key of what it comes from (the melding, the stretch of absoluut verzuim), so the
    same absence never gives a second concern. A system read: no actor, nothing shown.
    """
    meldingen = Melding.objects.filter(
        rule__in=list(SYSTEM_CONCERN_REASONS),
        end_date__gt=add_years(on, -ACTIVE_YEARS),
        end_date__lte=on,
    ).order_by("end_date", "pk")
    rows = meldingen.values_list("student_id", "rule", "start_date", "end_date")
    if melding_ids is None:
        found = list(rows)
    else:
        wanted = sorted(set(melding_ids))
        found = []
        for start in range(0, len(wanted), IN_CHUNK):
            found.extend(rows.filter(pk__in=wanted[start : start + IN_CHUNK]))
    candidates = [
        SystemConcernCandidate(
            student_id=student,
            reason=SYSTEM_CONCERN_REASONS[rule],
            about=end,
            key=f"melding:{rule}:{student}:{begin.isoformat()}:{end.isoformat()}",
        )
        for student, rule, begin, end in found
    ]
    for student, since in StudentStatus.objects.filter(
        category=ABSOLUUT_VERZUIM, over_3_months=True
    ).values_list("student_id", "since"):
        candidates.append(
            SystemConcernCandidate(
                student_id=student,
                reason=SystemReason.ABSOLUUT_VERZUIM,
                about=on,
                key=f"status:{ABSOLUUT_VERZUIM}:{student}:{since.isoformat() if since else ''}",
            )
        )
    return candidates


# -- the API's lists ------------------------------------------------------------------------------


def absences_for(
    *,
    actor: Actor,
    student: int | None = None,
    reason: str | None = None,
    client_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AbsenceRecord]:
    """The absences of the children the actor may see, filtered; ``client_id`` (the sender's own
    key of a row) only among the rows its own organisation sent."""
    absences = AbsenceRecord.objects.filter(
        student__in=students_visible_to(actor=actor)
    ).select_related("student")
    if student is not None:
        absences = absences.filter(student_id=student)
    if reason is not None:
        absences = absences.filter(reason=reason)
    if client_id is not None:
        absences = absences.filter(organisation=actor.organisation, client_id=client_id)
    if date_from is not None:
        absences = absences.filter(end_date__gte=date_from)
    if date_to is not None:
        absences = absences.filter(start_date__lte=date_to)
    return absences.order_by("student_id", "start_date", "pk")


def findings_for(
    *,
    actor: Actor,
    rule: str | None = None,
    state: str | None = None,
    student: int | None = None,
    category: str | None = None,
    over_3_months: bool | None = None,
) -> QuerySet[Student]:
    """The children the actor may see with a status or a melding, each with its status and, as
    ``routed_meldingen``, the meldingen routed to the actor's organisation (need-to-know: as its
    worklist and the child's page show). Filtering by ``rule`` or ``state`` keeps the children
    with such a melding."""
    meldingen = (
        Melding.objects.filter(organisations=actor.organisation)
        .select_related("school")
        .order_by("-end_date", "pk")
    )
    if rule is not None:
        meldingen = meldingen.filter(rule=rule)
    if state is not None:
        meldingen = meldingen.filter(state=state)
    has_status = Exists(StudentStatus.objects.filter(student=OuterRef("pk")))
    has_melding = Exists(meldingen.filter(student=OuterRef("pk")))
    students = students_visible_to(actor=actor)
    if rule is not None or state is not None:
        students = students.filter(has_melding)
    else:
        students = students.filter(has_status | has_melding)
    if student is not None:
        students = students.filter(pk=student)
    if category is not None:
        students = students.filter(status__category=category)
    if over_3_months is not None:
        students = students.filter(status__over_3_months=over_3_months)
    return (
        students.select_related("status")
        .prefetch_related(Prefetch("meldingen", queryset=meldingen, to_attr="routed_meldingen"))
        .order_by("family_name", "given_names", "pk")
    )


# -- imports --------------------------------------------------------------------------------------


def import_batches_of(*, actor: Actor) -> QuerySet[ImportBatch]:
    """The imports of the organisation the actor acts for, newest first."""
    return ImportBatch.objects.filter(organisation=actor.organisation).select_related("user")


def import_batch_for(*, actor: Actor, pk: int) -> ImportBatch | None:
    """One import of the actor's organisation (None otherwise: the view answers 404)."""
    return import_batches_of(actor=actor).filter(pk=pk).first()


# -- meldingen as a caseload (issue 11 §2) --------------------------------------------------------

#: the query parameters of the meldingen worklist, the same on the screen and in the API
STATE_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"
MAX_AGE = 99
#: how much of a value a message repeats
ECHO = 40


@dataclass(frozen=True)
class MeldingFilters:
    """What the meldingen worklist shows. ``states``: empty for every state (``state=all``);
    ``assignee``: ``"me"``, ``"none"`` or a user's id; ages in whole years on the melding's end
    date; ``end_from``/``end_to``: the melding's end date."""

    rule: str = ""
    school: int | None = None
    age_from: int | None = None
    age_to: int | None = None
    states: tuple[str, ...] = tuple(OPEN_STATES)
    assignee: str | int | None = None
    end_from: dt.date | None = None
    end_to: dt.date | None = None

    def query(self) -> list[tuple[str, str]]:
        """The filters as query parameters (what :func:`melding_filters_from` reads back)."""
        pairs: list[tuple[str, str]] = []
        for name in ("rule", "school", "age_from", "age_to"):
            value = getattr(self, name)
            if value not in (None, ""):
                pairs.append((name, str(value)))
        if not self.states:
            pairs.append(("state", STATE_ALL))
        elif set(self.states) != set(OPEN_STATES):
            pairs.extend(("state", state) for state in self.states)
        if self.assignee is not None:
            pairs.append(("assignee", str(self.assignee)))
        for name in ("end_from", "end_to"):
            value = getattr(self, name)
            if value is not None:
                pairs.append((name, value.isoformat()))
        return pairs


def _values(params, name: str) -> list[str]:
    """The non-empty values of ``name`` in a QueryDict (or a plain mapping)."""
    raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    return [str(v).strip() for v in raw if v is not None and str(v).strip()]


def _echo(value: str) -> str:
    text = "".join(ch for ch in value if ch.isprintable())
    return text if len(text) <= ECHO else text[:ECHO] + "…"


def _whole(value: str, low: int, high: int) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and low <= int(value) <= high else None


def melding_filters_from(params) -> tuple[MeldingFilters, dict[str, str]]:
    """Read the worklist's filters from a query string (a QueryDict): the filters, and per
    parameter that could not be read a message (that parameter is then left out). Parameters it
    does not know are ignored; an empty value is no filter."""
    errors: dict[str, str] = {}
    found: dict = {}

    def last(name: str) -> str:
        values = _values(params, name)
        return values[-1] if values else ""

    if rule := last("rule"):
        if rule in RULE_LABELS:
            found["rule"] = rule
        else:
            errors["rule"] = _("Onbekende soort melding '%(value)s'.") % {"value": _echo(rule)}
    if school := last("school"):
        found["school"] = _whole(school, 1, 2**63 - 1)
        if found["school"] is None:
            errors["school"] = _("School: geef het nummer van een school, niet '%(value)s'.") % {
                "value": _echo(school)
            }
    for name, label in (("age_from", _("Leeftijd vanaf")), ("age_to", _("Leeftijd tot en met"))):
        if value := last(name):
            found[name] = _whole(value, 0, MAX_AGE)
            if found[name] is None:
                errors[name] = _("%(label)s: een heel getal van 0 tot en met %(max)s.") % {
                    "label": label,
                    "max": MAX_AGE,
                }
    ages = (found.get("age_from"), found.get("age_to"))
    if None not in ages and ages[0] > ages[1]:
        errors["age_to"] = _("De leeftijd tot en met ligt onder de leeftijd vanaf.")
        found["age_to"] = None
    states = _values(params, "state")
    if states:
        unknown = [s for s in states if s not in MeldingState.values and s != STATE_ALL]
        if unknown:
            errors["state"] = _("Onbekende status '%(value)s'.") % {"value": _echo(unknown[0])}
        elif STATE_ALL in states:
            found["states"] = ()
        else:
            found["states"] = tuple(dict.fromkeys(states))
    if assignee := last("assignee"):
        if assignee in (ASSIGNEE_ME, ASSIGNEE_NONE):
            found["assignee"] = assignee
        elif (person := _whole(assignee, 1, 2**63 - 1)) is not None:
            found["assignee"] = person
        else:
            errors["assignee"] = _(
                "Toegewezen aan: 'me', 'none' of het nummer van een persoon, niet '%(value)s'."
            ) % {"value": _echo(assignee)}
    for name, label in (("end_from", _("Einddatum vanaf")), ("end_to", _("Einddatum tot en met"))):
        if value := last(name):
            try:
                found[name] = dt.date.fromisoformat(value) if len(value) == 10 else None
            except ValueError:
                found[name] = None
            if found[name] is None:
                errors[name] = _("%(label)s: een datum als 2025-01-31, niet '%(value)s'.") % {
                    "label": label,
                    "value": _echo(value),
                }
    if found.get("end_from") and found.get("end_to") and found["end_from"] > found["end_to"]:
        errors["end_to"] = _("De einddatum tot en met ligt voor de einddatum vanaf.")
        found["end_to"] = None
    return MeldingFilters(**{k: v for k, v in found.items() if v is not None}), errors


def _aged(rows: QuerySet[Melding], age_from: int | None, age_to: int | None) -> QuerySet[Melding]:
    """The meldingen whose child's age on the melding's end date (``rules.duty.age_on``, in the
    database as ``people.age.age_on``) lies from ``age_from`` to ``age_to``."""
    rows = rows.annotate(age_at_end=age_in_database("student__birth_date", "end_date"))
    if age_from is not None:
        rows = rows.filter(age_at_end__gte=age_from)
    if age_to is not None:
        rows = rows.filter(age_at_end__lte=age_to)
    return rows


def meldingen_filtered(*, actor: Actor, filters: MeldingFilters) -> QuerySet[Melding]:
    """The actor's worklist of meldingen (:func:`worklist_meldingen_for`) with ``filters``: the
    one selector of the worklist screen and ``/api/v1/meldingen``."""
    rows = worklist_meldingen_for(actor=actor).select_related("assignee")
    if filters.states:
        rows = rows.filter(state__in=filters.states)
    if filters.rule:
        rows = rows.filter(rule=filters.rule)
    if filters.school is not None:
        rows = rows.filter(school_id=filters.school)
    if filters.age_from is not None or filters.age_to is not None:
        rows = _aged(rows, filters.age_from, filters.age_to)
    if filters.assignee == ASSIGNEE_ME:
        rows = rows.filter(assignee=actor.user.pk)
    elif filters.assignee == ASSIGNEE_NONE:
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee is not None:
        rows = rows.filter(assignee=filters.assignee)
    if filters.end_from is not None:
        rows = rows.filter(end_date__gte=filters.end_from)
    if filters.end_to is not None:
        rows = rows.filter(end_date__lte=filters.end_to)
    return rows


def meldingen_count(*, actor: Actor, filters: MeldingFilters, version: str | None = None) -> int:
    """How many meldingen :func:`meldingen_filtered` holds, cached as :func:`open_meldingen_count`."""
    key = f"meldingen-count:{version or worklist_version(actor=actor)}:{actor.user.pk}:{urlencode(filters.query())}"
    return cache.get_or_set(
        key, lambda: meldingen_filtered(actor=actor, filters=filters).count(), COUNT_SECONDS
    )


def assignable_people(*, actor: Actor) -> list[User]:
    """The people a melding of the actor's worklist may be assigned to: the active people of the
    actor's organisation whose roles there let them handle meldingen, by name."""
    people = {u.pk: u for u in members_who_may(actor.organisation, Permission.HANDLE_MELDING)}
    return sorted(people.values(), key=lambda u: (u.get_full_name() or u.username).lower())


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the team's caseload: a person (None: nobody) and their open meldingen."""

    person: User | None
    new: int = 0  # state "open" (nieuw)
    in_progress: int = 0  # in behandeling
    #: False: assigned meldingen of someone no longer in the team (to reassign)
    in_team: bool = True

    @property
    def total(self) -> int:
        return self.new + self.in_progress

    @property
    def name(self) -> str:
        if self.person is None:
            return ""
        return self.person.get_full_name() or self.person.username


def caseload_for(*, actor: Actor) -> list[CaseloadRow]:
    """Per person of the actor's organisation who may handle meldingen, the open meldingen of the
    worklist assigned to them (nieuw, in behandeling); then those assigned to someone no longer
    in the team, and last those assigned to nobody. Only with ``Permission.ASSIGN_MELDING``."""
    if not actor.can(Permission.ASSIGN_MELDING):
        return []
    counts: dict[int | None, dict[str, int]] = {}
    for assignee, state, n in (
        meldingen_to_handle_for(actor=actor)
        .order_by()
        .values_list("assignee_id", "state")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(assignee, {})[state] = n

    def row(person, key, in_team=True) -> CaseloadRow:
        found = counts.get(key, {})
        return CaseloadRow(
            person=person,
            new=found.get(MeldingState.OPEN, 0),
            in_progress=found.get(MeldingState.IN_BEHANDELING, 0),
            in_team=in_team,
        )

    team = assignable_people(actor=actor)
    rows = [row(person, person.pk) for person in team]
    others = set(counts) - {person.pk for person in team} - {None}
    if others:
        for person in User.objects.filter(pk__in=others).order_by("last_name", "username"):
            rows.append(row(person, person.pk, in_team=False))
    rows.append(row(None, None))
    return rows


def melding_filter_choices(*, actor: Actor) -> dict:
    """What the worklist's filter form offers: the rules, the schools of the worklist's
    meldingen, the states and the people meldingen may be assigned to."""
    return {
        "rules": list(RULE_LABELS.items()),
        "schools": list(
            School.objects.filter(
                pk__in=worklist_meldingen_for(actor=actor).order_by().values("school_id")
            )
            .order_by("name")
            .values_list("pk", "name")
        ),
        "states": list(MeldingState.choices),
        "people": assignable_people(actor=actor),
    }
