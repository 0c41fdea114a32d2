"""The section "Belemmeringen" of the case page: loaded into the case page with htmx (a page of
its own without JavaScript), with its forms. Thin: selectors to read, services to write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.barriers import forms, selectors, services
from inbeeld.barriers.workflow import available
from inbeeld.cases.models import Case
from inbeeld.ui.forms import errors_to_form


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_for(actor=request.actor, pk=pk)
    if case is None:
        raise Http404
    return case


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request, case, *, form=None, failed=None, announce="", status=200) -> HttpResponse:
    """The section (for htmx) or a page holding it; its read is audited for the child."""
    actor = request.actor
    barriers = selectors.barriers_of(actor=actor, case=case)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"casus {case.pk}: belemmeringen bekeken",
        obj=case,
        student=case.student,
    )
    rows = [
        {
            "barrier": b,
            "moves": available(b.kind, b.state),
            "failed": failed if failed is not None and failed[0] == b.pk else None,
        }
        for b in barriers
    ]
    context = {
        "case": case,
        "student": case.student,
        "rows": rows,
        "form": form or forms.BarrierForm(initial={"started_on": timezone.localdate()}),
        "today": timezone.localdate(),
        "is_open": case.is_open,
        "announce": announce,
    }
    template = "barriers/_section.html" if _htmx(request) else "barriers/page.html"
    return render(request, template, context, status=status)


@require_GET
@actor_required(Permission.WORK_ON_CASES)
def section(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _case_or_404(request, pk))


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    if _htmx(request):
        return _render(request, case, announce=message)
    messages.success(request, message)
    return redirect(reverse("cases:detail", args=[case.pk]) + "#belemmeringen-kop")


@require_POST
@actor_required(Permission.WORK_ON_CASES)
def add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = forms.BarrierForm(request.POST)
    if form.is_valid():
        try:
            services.barrier_add(actor=request.actor, case=case, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _done(request, case, _("Belemmering vastgelegd."))
    return _render(request, case, form=form, status=200 if _htmx(request) else 400)


@require_POST
@actor_required(Permission.WORK_ON_CASES)
def change(request: HttpRequest, pk: int) -> HttpResponse:
    barrier = selectors.barrier_for(actor=request.actor, pk=pk)
    if barrier is None:
        raise Http404
    case = barrier.case
    form = forms.BarrierChangeForm(request.POST)
    if form.is_valid():
        try:
            services.barrier_change(actor=request.actor, barrier=barrier, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _done(request, case, _("Status van de belemmering bijgewerkt."))
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return _render(
        request, case, failed=(barrier.pk, errors), status=200 if _htmx(request) else 400
    )
