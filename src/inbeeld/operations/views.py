"""A background job's page: its progress while it runs (htmx polls a fragment every 2 s until the
job is finished), then its result, or its error and a retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inbeeld.operations.models import BackgroundJob
from inbeeld.operations.registry import job_permissions, job_type
from inbeeld.operations.selectors import job_for
from inbeeld.operations.services import JobAlreadyActiveError, retry_job, start_job


def _job(request: HttpRequest, pk: int) -> BackgroundJob:
    """The acting organisation's job; 403 for who may start no background work at all."""
    actor = request.actor
    if actor is None or not any(actor.can(p) for p in job_permissions()):
        raise PermissionDenied
    job = job_for(actor=actor, pk=pk)
    if job is None:
        raise Http404
    if not actor.can(job_type(job.kind).permission):
        raise PermissionDenied
    return job


def _context(job: BackgroundJob) -> dict:
    kind = job_type(job.kind)
    return {
        "job": job,
        "label": kind.label,
        "result_url": kind.result_url(job) if job.state == "done" else None,
        "result_label": kind.result_label,
        "back_url": kind.back_url() if kind.back_url else None,
    }


def start_and_follow(request: HttpRequest, kind: str, *, already: str, elsewhere: str):
    """Start a job of ``kind`` for the acting user and go to its page; for an exclusive kind
    already queued or running, say ``already`` and go to that job's page (or to ``elsewhere``, a
    URL, when another organisation started it)."""
    try:
        job = start_job(actor=request.actor, kind=kind)
    except JobAlreadyActiveError as running:
        job = running.job
        messages.info(request, already)
        if job.organisation_id != request.actor.organisation.pk:
            return redirect(elsewhere)
    return redirect("operations:job", pk=job.pk)


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.actor is None:
        return redirect("accounts:choose_organisation")
    return render(request, "operations/job.html", _context(_job(request, pk)))


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx polls; without ``hx-trigger`` once the job is finished."""
    return render(request, "operations/_job_status.html", _context(_job(request, pk)))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        again = retry_job(actor=request.actor, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("operations:job", pk=job.pk)
    except JobAlreadyActiveError as active:
        messages.info(request, _("Deze taak loopt al."))
        if active.job.organisation_id == request.actor.organisation.pk:
            return redirect("operations:job", pk=active.job.pk)
        return redirect("operations:job", pk=job.pk)
    return redirect("operations:job", pk=again.pk)
