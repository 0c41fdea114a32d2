"""Screens of exemption requests (/vrijstellingen/): the list, the form with the law's problems at
once (htmx), one request with the advice and the decision, and the renewals due. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.services import audit_record_views, children_shown
from inbeeld.exemptions import selectors, services, workflow
from inbeeld.exemptions.forms import AdviceForm, ExemptionDecisionForm, ExemptionRequestForm
from inbeeld.exemptions.workflow import (
    ADVIES_GEGEVEN,
    ADVIES_GEVRAAGD,
    AFGEWEZEN,
    TOEGEKEND,
    RequestState,
)
from inbeeld.people.exemption_terms import lapses_on, lapses_yearly
from inbeeld.people.labels import is_vervangende_leerplicht
from inbeeld.people.request_views import decide_from_form, request_list_view
from inbeeld.people.selectors import student_for
from inbeeld.ui.forms import errors_to_form


def _may_see(request: HttpRequest) -> None:
    if not selectors.may_see_requests(request.actor):
        raise PermissionDenied


index = request_list_view(
    may_see=selectors.may_see_requests,
    template="exemptions/index.html",
    rows=selectors.exemption_requests_visible_to,
    states=RequestState.choices,
    summary="lijst vrijstellingsaanvragen",
    context=lambda actor: {
        "can_register": actor.can(Permission.REGISTER_EXEMPTION_REQUEST),
        "can_see_renewals": actor.can(Permission.DECIDE_EXEMPTION)
        or actor.can(Permission.REGISTER_EXEMPTION_REQUEST),
    },
)


def _problems_context(form: ExemptionRequestForm) -> dict:
    if not form.is_valid():
        return {"checked": False}
    data = dict(form.cleaned_data)
    try:
        problems = selectors.check_request(**data)
    except ValidationError as error:
        return {"checked": False, "check_errors": error.messages}
    return {"checked": True, "problems": problems, "lapse": _lapse(data)}


def _lapse(data: dict) -> dict:
    """What the form says about how long the exemption runs (RULES.md §7)."""
    return {
        "yearly": lapses_yearly(
            article=data["article"], end_date=data.get("end_date"), permanent=data["permanent"]
        ),
        "on": lapses_on(
            article=data["article"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            permanent=data["permanent"],
        ),
        "vervangende_leerplicht": is_vervangende_leerplicht(data["article"]),
    }


def _form(request: HttpRequest, data=None) -> ExemptionRequestForm:
    children = selectors.children_for_requests(actor=request.actor)
    return ExemptionRequestForm(data, children=children)


@require_GET
@actor_required(Permission.REGISTER_EXEMPTION_REQUEST)
def check(request: HttpRequest) -> HttpResponse:
    """htmx: what the law says against the request, as the form changes."""
    return render(
        request, "exemptions/_problems.html", _problems_context(_form(request, request.GET))
    )


@require_http_methods(["GET", "POST"])
@actor_required(Permission.REGISTER_EXEMPTION_REQUEST)
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = _form(request)
        form.initial = {
            "requested_on": timezone.localdate(),
            "student": request.GET.get("leerling", "")[:64],
        }
        return render(request, "exemptions/new.html", {"form": form, "checked": False})
    form = _form(request, request.POST)
    context = {"form": form, **_problems_context(form)}
    if form.is_valid():
        try:
            created = services.exemption_request_register(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Vrijstellingsaanvraag vastgelegd."))
            return redirect("exemptions:detail", pk=created.pk)
    return render(request, "exemptions/new.html", context)


def _detail(request: HttpRequest, item, **forms) -> HttpResponse:
    actor = request.actor
    audit_record_views(
        actor=actor,
        students=[item.student_id],
        summary=f"vrijstellingsaanvraag {item.pk} bekeken",
        object_type="exemptions.ExemptionRequest",
    )
    available = workflow.WORKFLOW.available_transitions(item, actor)
    context = {
        "item": item,
        "advices": list(item.advices.select_related("organisation")),
        "history": selectors.state_changes_of(item),
        "can_ask_advice": ADVIES_GEVRAAGD in available,
        "can_advise": ADVIES_GEGEVEN in available,
        "can_decide": TOEGEKEND in available or AFGEWEZEN in available,
        "can_grant": TOEGEKEND in available,
        "advice_form": forms.get("advice_form") or AdviceForm(),
        "decision_form": (
            forms.get("decision_form") or _decision_form(item, grant=TOEGEKEND in available)
        ).offer(grant=TOEGEKEND in available, refuse=AFGEWEZEN in available),
        "latest_advice": item.latest_advice,
        "errors": forms.get("errors") or [],
        # granted: the register entry is on the child's page, if the actor may see the child
        "child_page": item.exemption_id is not None
        and student_for(actor=actor, pk=item.student_id) is not None,
    }
    return render(request, "exemptions/detail.html", context)


def _decision_form(item, data=None, *, grant: bool = True) -> ExemptionDecisionForm:
    """The decision's form; asks the justification when a grant would go against the advice."""
    return ExemptionDecisionForm(data, against_advice=grant and item.grant_goes_against_advice)


def _item(request: HttpRequest, pk: int):
    _may_see(request)
    item = selectors.exemption_request_for(actor=request.actor, pk=pk)
    if item is None:
        raise Http404
    return item


@require_GET
@actor_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _item(request, pk))


@require_POST
@actor_required()
def ask_advice(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        item = services.exemption_request_ask_advice(actor=request.actor, request=item)
    except ValidationError as error:
        return _detail(request, item, errors=error.messages)
    messages.success(request, _("Advies gevraagd aan %(swv)s.") % {"swv": item.partnership.name})
    return redirect("exemptions:detail", pk=item.pk)


@require_POST
@actor_required(Permission.ADVISE_EXEMPTION)
def advise(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = AdviceForm(request.POST)
    if form.is_valid():
        try:
            services.exemption_request_advise(
                actor=request.actor, request=item, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Advies vastgelegd."))
            return redirect("exemptions:detail", pk=item.pk)
    return _detail(request, item, advice_form=form)


@require_POST
@actor_required(Permission.DECIDE_EXEMPTION)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = _decision_form(item, request.POST)
    done = decide_from_form(
        request,
        form,
        lambda grant, note: services.exemption_request_decide(
            actor=request.actor,
            request=item,
            grant=grant,
            note=note,
            justification=form.cleaned_data.get("justification", ""),
        ),
        url="exemptions:detail",
    )
    return done or _detail(request, item, decision_form=form)


@require_GET
@actor_required()
def renewals(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not (
        actor.can(Permission.DECIDE_EXEMPTION) or actor.can(Permission.REGISTER_EXEMPTION_REQUEST)
    ):
        raise PermissionDenied
    rows = children_shown(
        actor=actor,
        rows=selectors.renewals_due_for(actor=actor),
        student=lambda row: row[0].student_id,
        summary="lijst te verlengen vrijstellingen",
    )
    return render(
        request, "exemptions/renewals.html", {"rows": rows, "today": timezone.localdate()}
    )
