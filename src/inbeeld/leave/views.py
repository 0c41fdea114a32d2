"""Screens of leave requests (/verlof/): the list, the form with the law's answer at once (htmx),
one request with the decision. Thin: selectors and services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.services import students_searched
from inbeeld.audit.services import audit_record_views, children_shown
from inbeeld.leave import selectors, services, workflow
from inbeeld.leave.forms import LeaveRequestForm
from inbeeld.leave.workflow import AFGEWEZEN, TOEGEKEND, LeaveState
from inbeeld.people.request_views import decide_from_form, request_list_view
from inbeeld.people.selectors import school_of
from inbeeld.rules import leave as rules_leave
from inbeeld.ui.forms import DecisionForm, errors_to_form


def _may_see(request: HttpRequest) -> None:
    if not selectors.may_see_leave(request.actor):
        raise PermissionDenied


index = request_list_view(
    may_see=selectors.may_see_leave,
    template="leave/index.html",
    rows=selectors.leave_requests_visible_to,
    states=LeaveState.choices,
    summary="lijst verlofaanvragen",
    context=lambda actor: {
        "can_register": actor.can(Permission.REGISTER_LEAVE_REQUEST)
        and selectors.pupils_for_leave(actor=actor).exists(),
    },
)


def _assessment_context(request: HttpRequest, form: LeaveRequestForm) -> dict:
    """The law's answer for what the form holds so far (nothing while it is incomplete)."""
    if not form.is_valid():
        return {"assessment": None}
    data = form.cleaned_data
    school = school_of(actor=request.actor)
    if school is None:
        return {"assessment": None}
    try:
        assessment = selectors.assess(
            student=data["student"],
            school=school,
            kind=data["kind"],
            start=data["start_date"],
            end=data["end_date"],
            employer_statement=data["employer_statement"],
        )
    except ValidationError as error:
        return {"assessment": None, "assessment_errors": error.messages}
    return {"assessment": assessment, "LEERPLICHT": rules_leave.LEERPLICHT}


@require_GET
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def assessment(request: HttpRequest) -> HttpResponse:
    """htmx: why the request cannot be granted, or who decides, as the form changes."""
    pupils = selectors.pupils_for_leave(actor=request.actor)
    form = LeaveRequestForm(request.GET, pupils=pupils)
    return render(request, "leave/_assessment.html", _assessment_context(request, form))


def _pupils_found(request: HttpRequest, query: str) -> list:
    """The pupils the search shows (none under the minimum length): the search and every child
    shown recorded."""
    query = query.strip()[:100]
    found = selectors.pupils_for_leave_matching(actor=request.actor, query=query)
    if len(query) < selectors.PUPIL_SEARCH_MIN:
        return found
    students_searched(actor=request.actor, query=query, found=len(found))
    return children_shown(
        actor=request.actor,
        rows=found,
        student=lambda student: student.pk,
        summary="verlofformulier: leerling gezocht",
    )


@require_GET
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def pupil_search(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the pupil search (a listbox) for what is typed so far."""
    query = request.GET.get("zoek", "")
    return render(
        request,
        "leave/_pupil_options.html",
        {
            "query": query.strip(),
            "found": _pupils_found(request, query),
            "minimum": selectors.PUPIL_SEARCH_MIN,
        },
    )


@require_http_methods(["GET", "POST"])
@actor_required(Permission.REGISTER_LEAVE_REQUEST)
def new(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    pupils = selectors.pupils_for_leave(actor=actor)
    if request.method == "GET":
        initial = {}
        if request.GET.get("leerling", "").isdigit():
            initial["student"] = int(request.GET["leerling"])
        form = LeaveRequestForm(initial=initial, pupils=pupils)
        return _render_new(request, {"form": form, "assessment": None})
    form = LeaveRequestForm(request.POST, pupils=pupils)
    context = {"form": form, **_assessment_context(request, form)}
    if form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.leave_request_register(
                actor=actor,
                student=data["student"],
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                reason=data["reason"],
                employer_statement=data["employer_statement"],
                record_refused=request.POST.get("vastleggen") == "afgewezen",
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if leave.state == LeaveState.NIET_ONTVANKELIJK:
                # not a success: the law does not allow this leave (the reasons are on its page)
                messages.warning(
                    request,
                    _(
                        "Verlofaanvraag vastgelegd als niet-ontvankelijk: de wet staat dit verlof "
                        "niet toe. De redenen staan hieronder."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Verlofaanvraag vastgelegd: %(state)s.")
                    % {"state": leave.get_state_display()},
                )
            return redirect("leave:detail", pk=leave.pk)
    return _render_new(request, context)


def _render_new(request: HttpRequest, context: dict) -> HttpResponse:
    """The form with its pupil search: the chosen pupil, and without JavaScript what a search
    (``?zoek=``) found, each child shown recorded."""
    form = context["form"]
    value = str(form["student"].value() or "")
    chosen = form.fields["student"].queryset.filter(pk=value).first() if value.isdigit() else None
    if chosen is not None:
        audit_record_views(
            actor=request.actor, students=[chosen.pk], summary="verlofformulier: gekozen leerling"
        )
    query = request.GET.get("zoek", "") if request.method == "GET" else ""
    context |= {
        "chosen": chosen,
        "query": query.strip(),
        "found": _pupils_found(request, query) if query else None,
        "minimum": selectors.PUPIL_SEARCH_MIN,
    }
    return render(request, "leave/new.html", context)


def _detail(request: HttpRequest, leave, form: DecisionForm | None = None, status: int = 200):
    actor = request.actor
    audit_record_views(
        actor=actor,
        students=[leave.student_id],
        summary=f"verlofaanvraag {leave.pk} bekeken",
        object_type="leave.LeaveRequest",
    )
    available = workflow.WORKFLOW.available_transitions(leave, actor)
    form = (form or DecisionForm()).offer(
        grant=TOEGEKEND in available, refuse=AFGEWEZEN in available
    )
    return render(
        request,
        "leave/detail.html",
        {
            "leave": leave,
            "can_decide": bool(available),
            "form": form,
            "history": selectors.state_changes_of(leave),
            "LEERPLICHT": rules_leave.LEERPLICHT,
        },
        status=status,
    )


@require_GET
@actor_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request)
    leave = selectors.leave_request_for(actor=request.actor, pk=pk)
    if leave is None:
        raise Http404
    return _detail(request, leave)


@require_POST
@actor_required(Permission.DECIDE_LEAVE)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.leave_request_for(actor=request.actor, pk=pk)
    if leave is None:
        raise Http404
    form = DecisionForm(request.POST)
    done = decide_from_form(
        request,
        form,
        lambda grant, note: services.leave_request_decide(
            actor=request.actor, leave=leave, grant=grant, note=note
        ),
        url="leave:detail",
        grant_refused=services.LeaveNotAllowedError,
    )
    return done or _detail(request, leave, form)
