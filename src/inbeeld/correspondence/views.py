"""Screens of the contact log (/correspondentie/): a child's log with the form for an entry and
the letters to make, a letter's form, a letter's PDF. Thin: the services check and write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.correspondence import selectors, services
from inbeeld.correspondence.forms import ContactEntryForm, letter_form
from inbeeld.correspondence.letters import SPECS, spec_of
from inbeeld.people.selectors import student_for
from inbeeld.ui.forms import errors_to_form


def _student(request: HttpRequest, pk: int):
    student = student_for(actor=request.actor, pk=pk)
    if student is None:
        raise Http404
    return student


def _submitted(request: HttpRequest, form, write, done: str) -> bool:
    """Whether a valid form was written by ``write(cleaned_data)`` (then ``done`` is shown); a
    service's refusal lands on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        errors_to_form(form, error)
        return False
    messages.success(request, done)
    return True


@require_http_methods(["GET", "POST"])
@actor_required(Permission.WORK_ON_CASES)
def log(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    student = _student(request, pk)
    form = ContactEntryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        written = _submitted(
            request,
            form,
            lambda data: services.contact_entry_add(actor=actor, student=student, **data),
            _("Het contact is vastgelegd."),
        )
        if written:
            return redirect("correspondence:log", pk=student.pk)
        status = 400
    entries = services.contact_log_read(actor=actor, student=student)
    correcting = request.GET.get("corrigeer", "")
    if request.method == "GET" and correcting.isdigit():
        old = next((e for e in entries if e.pk == int(correcting)), None)
        if old is not None and not old.is_corrected:
            form = ContactEntryForm(
                initial={
                    "kind": old.kind,
                    "contact_with": old.contact_with,
                    "contact_name": old.contact_name,
                    "on": old.on,
                    "summary": old.summary,
                    "corrects": old.pk,
                }
            )
    return render(
        request,
        "correspondence/log.html",
        {
            "student": student,
            "entries": entries,
            "form": form,
            "correcting": form["corrects"].value() or "",
            "letter_kinds": [
                (kind, spec.kind.label)
                for kind, spec in SPECS.items()
                if actor.can(spec.permission)
            ],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@actor_required(Permission.WORK_ON_CASES)
def letter_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor = request.actor
    spec = spec_of(kind)
    if spec is None:
        raise Http404
    if not actor.can(spec.permission):
        raise PermissionDenied
    student = _student(request, pk)
    options = selectors.letter_options(actor=actor, student=student)
    initial = {
        name: value for name, value in request.GET.items() if name in {f.name for f in spec.fields}
    }
    form = letter_form(spec, options, data=request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        written = _submitted(
            request,
            form,
            lambda data: services.letter_generate(
                actor=actor,
                student=student,
                kind=kind,
                fields={name: value for name, value in data.items() if value not in ("", None)},
            ),
            _("De brief is gemaakt en staat in het contactlog."),
        )
        if written:
            return redirect("correspondence:log", pk=student.pk)
        status = 400
    else:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            summary=f"briefformulier {kind}",
            student=student,
        )
    return render(
        request,
        "correspondence/letter_form.html",
        {"student": student, "form": form, "spec": spec, "kind_label": spec.kind.label},
        status=status,
    )


@require_GET
@actor_required(Permission.WORK_ON_CASES)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = services.letter_download(actor=request.actor, pk=pk)
    if letter is None:
        raise Http404
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response
