"""Screens of the attendance app: who is at home, the meldingen to handle, the child's page,
search, and "run detection now". Thin: they call selectors and services only."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.accounts.permissions import Permission
from inbeeld.attendance import selectors, services
from inbeeld.attendance.extensions import care_signals, case_offers
from inbeeld.attendance.jobs import DETECTION
from inbeeld.attendance.models import USER_CLOSING_REASONS, MeldingState
from inbeeld.attendance.selectors import ThuiszitterFilters
from inbeeld.attendance.services import MeldingNotFoundError, TransitionNotAllowedError
from inbeeld.audit.services import audit_record_views, children_shown
from inbeeld.operations.selectors import active_job
from inbeeld.operations.views import start_and_follow
from inbeeld.people.selectors import editable_enrolment_ids, student_for
from inbeeld.rules.calendar import school_year_bounds
from inbeeld.rules.status import ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM

PAGE_SIZE = 25
MELDINGEN_PAGE_SIZE = 15


def acting(view):
    """Login required, and an organisation chosen (``request.actor``) before anything else."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(request, "actor", None) is None:
            return redirect("accounts:choose_organisation")
        return view(request, *args, **kwargs)

    return wrapper


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# -- home: thuiszitters and meldingen --------------------------------------------------------------

SORT_COLUMNS = (
    ("name", gettext_lazy("Naam")),
    ("category", gettext_lazy("Categorie")),
    ("since", gettext_lazy("Sinds")),
    ("duration", gettext_lazy("Duur")),
    ("school", gettext_lazy("School")),
)


def _filters(request: HttpRequest) -> tuple[ThuiszitterFilters, str]:
    category = request.GET.get("categorie", "")
    if category not in (ABSOLUUT_VERZUIM, LANGDURIG_RELATIEF_VERZUIM):
        category = ""
    sort = request.GET.get("sorteer", selectors.DEFAULT_SORT)
    if sort not in selectors.THUISZITTER_SORTS:
        sort = selectors.DEFAULT_SORT
    return (
        ThuiszitterFilters(
            category=category,
            over_3_months=request.GET.get("lang") == "1",
            school=request.GET.get("school", "").strip()[:100],
            q=request.GET.get("naam", "").strip()[:100],
        ),
        sort,
    )


def _thuiszitters_context(request: HttpRequest, version: str) -> dict:
    filters, sort = _filters(request)
    page = selectors.thuiszitters_page_for(
        actor=request.actor,
        filters=filters,
        sort=sort,
        number=request.GET.get("pagina"),
        per_page=PAGE_SIZE,
        version=version,
    )
    run = selectors.latest_run()
    on = run.on_date if run else None
    base = {
        "categorie": filters.category,
        "lang": "1" if filters.over_3_months else "",
        "school": filters.school,
        "naam": filters.q,
    }
    base = {k: v for k, v in base.items() if v}
    # the page may come from the cache: the view of its children is recorded on every request
    shown = children_shown(actor=request.actor, rows=page.rows, summary="werklijst thuiszitters")
    headers = []
    for key, label in SORT_COLUMNS:
        active = sort.lstrip("-") == key
        descending = sort.startswith("-")
        next_sort = f"-{key}" if active and not descending else key
        headers.append(
            {
                "key": key,
                "label": label,
                "query": urlencode({**base, "sorteer": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    return {
        "filters": filters,
        "sort": sort,
        "page": page,
        "rows": selectors.thuiszitter_rows(
            shown,
            on,
            case_offers(actor=request.actor, student_ids=[row.student_id for row in shown]),
        ),
        "headers": headers,
        "filter_query": urlencode({**base, "sorteer": sort}),
        "run": run,
        "categories": (
            (ABSOLUUT_VERZUIM, _("absoluut verzuim")),
            (LANGDURIG_RELATIEF_VERZUIM, _("langdurig relatief verzuim")),
        ),
    }


def melding_context(actor, melding, error: str = "", people: list | None = None) -> dict:
    """A worklist row and its forms: the moves the actor may make (``services.available_moves``)
    and, with ``Permission.ASSIGN_MELDING`` on a melding still open, whom it may go to
    (``people``: computed once per page by the caller, else here)."""
    can_assign = actor.can(Permission.ASSIGN_MELDING) and melding.state in selectors.OPEN_STATES
    return {
        "melding": melding,
        "next_states": services.available_moves(actor, melding),
        "finished": not services.allowed_next_states(melding),
        "can_assign": can_assign,
        "people": (
            (people if people is not None else selectors.assignable_people(actor=actor))
            if can_assign
            else []
        ),
        "closing_reasons": USER_CLOSING_REASONS,
        "rule_label": selectors.RULE_LABELS.get(melding.rule, melding.rule),
        "error": error,
        "State": MeldingState,
        "can_handle": actor.can(Permission.HANDLE_MELDING),
    }


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows (counted, and cached, by the selector)."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@require_GET
@acting
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.can(Permission.VIEW_WORKLIST):
        if actor.can(Permission.VIEW_FIGURES):  # beleidsmedewerker: figures, never a child
            return redirect("monitor:dashboard")
        if actor.can(Permission.REVIEW_ACCESS):  # the privacy officer: who looked at children
            return redirect("privacy:index")
        return render(request, "attendance/home.html", {"no_worklist": True})
    target = request.headers.get("HX-Target") if is_htmx(request) else None
    context: dict = {"can_handle": actor.can(Permission.HANDLE_MELDING)}
    version = selectors.worklist_version(actor=actor)
    if target != "meldingen":
        context.update(_thuiszitters_context(request, version))
        if target == "thuiszitters":
            return render(request, "attendance/_thuiszitters.html", context)
    meldingen_page = KnownCountPaginator(
        selectors.open_meldingen_for(actor=actor),
        MELDINGEN_PAGE_SIZE,
        count=selectors.open_meldingen_count(actor=actor, version=version),
    ).get_page(request.GET.get("mpagina"))
    context["meldingen_page"] = meldingen_page
    people = (
        selectors.assignable_people(actor=actor) if actor.can(Permission.ASSIGN_MELDING) else []
    )
    context["meldingen"] = [
        melding_context(actor, m, people=people)
        for m in children_shown(
            actor=actor, rows=meldingen_page.object_list, summary="werklijst meldingen"
        )
    ]
    if target == "meldingen":
        return render(request, "attendance/_meldingen.html", context)
    return render(request, "attendance/home.html", context)


ACTIONS = {
    MeldingState.IN_BEHANDELING: services.melding_take_in_handling,
    MeldingState.TER_KENNISNEMING: services.melding_acknowledge,
}


@require_http_methods(["GET", "POST"])
@acting
def melding_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Take in handling, close with a reason, or acknowledge; htmx gets the updated row back.

    GET gives the forms: the fragment for a worklist row that is opened (htmx), or a page of its
    own without JavaScript.
    """
    actor = request.actor
    if request.method == "GET":
        melding = selectors.worklist_meldingen_for(actor=actor).filter(pk=pk).first()
        if melding is None:
            raise Http404
        audit_record_views(
            actor=actor,
            students=[melding.student_id],
            summary=f"melding {melding.pk} bekeken",
            object_type="attendance.Melding",
        )
        context = melding_context(actor, melding)
        template = (
            "attendance/_melding_forms.html"
            if is_htmx(request)
            else "attendance/melding_handle.html"
        )
        return render(request, template, context)
    to = request.POST.get("naar", "")
    note = request.POST.get("toelichting", "")[:2000]
    try:
        if to == MeldingState.AFGESLOTEN:
            melding = services.melding_close(
                actor=actor,
                melding_id=pk,
                closing_reason=request.POST.get("reden", ""),
                note=note,
            )
        elif to == MeldingState.INGETROKKEN:
            melding = services.melding_withdraw(actor=actor, melding_id=pk, note=note)
        elif to in ACTIONS:
            melding = ACTIONS[to](actor=actor, melding_id=pk, note=note)
        else:
            raise TransitionNotAllowedError(_("Onbekende actie."))
        done = _("Melding bijgewerkt: %(state)s.") % {"state": melding.get_state_display()}
    except MeldingNotFoundError:
        raise Http404 from None
    except TransitionNotAllowedError as exc:
        return row_answer(request, pk, error=" ".join(exc.messages))
    return row_answer(request, pk, melding=melding, done=done)


def row_answer(
    request: HttpRequest, pk: int, *, melding=None, done: str = "", error: str = ""
) -> HttpResponse:
    """After a write on one melding of the worklist: htmx gets its row back (200 also with an
    error: the row shows it beside the field), a plain form the home page with a message.
    ``melding`` None: read again from the worklist (after a refusal)."""
    actor = request.actor
    if melding is None:
        melding = selectors.worklist_meldingen_for(actor=actor).filter(pk=pk).first()
        if melding is None:
            raise Http404
    if is_htmx(request):
        context = melding_context(actor, melding, error)
        context["announce"] = done
        return render(request, "attendance/_melding_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("attendance:home")


# -- the child's page ------------------------------------------------------------------------------


@require_GET
@acting
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    year_start = None
    year = request.GET.get("schooljaar", "")
    if year.isdigit() and 1900 < int(year) < 2200:
        year_start = school_year_bounds(int(year))[0]
    # scope first (a child out of scope is a 404 and no view of it is recorded), then the audit
    # event, then the page: its access history includes the view being made now
    student = student_for(actor=actor, pk=pk)
    if student is None:
        raise Http404
    services.student_page_viewed(actor=actor, student=student)
    page = selectors.student_page_of(actor=actor, student=student, year_start=year_start)
    return render(
        request,
        "attendance/student.html",
        {
            "page": page,
            "student": page.student,
            # issue 12 §3, §5: the zorgsignalen that fire today, each with why
            "care_signals": care_signals(actor=actor, student=page.student),
            # RULES.md §7: the own timetable, changed by the school's zorgcoördinator
            "editable_enrolments": editable_enrolment_ids(actor, page.enrolments),
            "legend": (
                ("ongeoorloofd", "O", _("ongeoorloofd afwezig")),
                ("ziek", "Z", _("ziek gemeld")),
                ("geoorloofd", "G", _("geoorloofd afwezig")),
                ("luxe", "L", _("luxe verzuim")),
                ("11a", "A", _("vijfjarige thuis, art. 11a")),
                ("vrij", "V", _("vakantie of feestdag")),
            )
            + (
                (("uitgeschreven", "N", _("niet ingeschreven op een school")),)
                if page.calendar.has_unenrolled_days
                else ()
            ),
            "weekdays": (_("ma"), _("di"), _("wo"), _("do"), _("vr"), _("za"), _("zo")),
            "weekday_names": (
                _("maandag"),
                _("dinsdag"),
                _("woensdag"),
                _("donderdag"),
                _("vrijdag"),
                _("zaterdag"),
                _("zondag"),
            ),
        },
    )


# -- search ----------------------------------------------------------------------------------------


@require_GET
@acting
def search(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.can(Permission.SEARCH_STUDENTS):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    results = None
    if query:
        results = selectors.students_matching(actor=actor, query=query)
        services.students_searched(actor=actor, query=query, found=len(results))
        results = children_shown(
            actor=actor, rows=results, student=lambda s: s.pk, summary="zoekresultaat"
        )
    template = (
        "attendance/_search_results.html"
        if is_htmx(request) and request.headers.get("HX-Target") == "zoekresultaten"
        else "attendance/search.html"
    )
    return render(request, template, {"query": query, "results": results})


# -- detection -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@acting
def detection(request: HttpRequest) -> HttpResponse:
    """The latest detection runs, and "run now" for who may (Permission.RUN_DETECTION)."""
    actor = request.actor
    if not actor.can(Permission.RUN_DETECTION):
        raise PermissionDenied
    if request.method == "POST":  # queued for the worker (issue 14), never run in the request
        return start_and_follow(
            request,
            DETECTION,
            already=_("Er staat al een detectie klaar of die loopt nu."),
            elsewhere=reverse("attendance:detection"),
        )
    active = active_job(DETECTION)
    return render(
        request,
        "attendance/detection.html",
        {
            "runs": selectors.detection_runs_recent(),
            "active": active
            if active and active.organisation_id == actor.organisation.pk
            else None,
            "running_elsewhere": active is not None,
        },
    )
