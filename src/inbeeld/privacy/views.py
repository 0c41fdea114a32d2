"""The privacy officer's screens (issue 9): unusual access per user of the own organisation, a
child's access history (who looked and why), and the AVG inzage export. Thin: selectors read,
services record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.labels import action_label
from inbeeld.audit.services import children_shown
from inbeeld.privacy import exports, selectors, services
from inbeeld.ui.errors import found_or_404


@require_GET
@actor_required(Permission.REVIEW_ACCESS)
def index(request: HttpRequest) -> HttpResponse:
    thresholds = selectors.Thresholds.from_settings()
    return render(
        request,
        "privacy/index.html",
        {
            "rows": selectors.access_by_user(actor=request.actor, thresholds=thresholds),
            "thresholds": thresholds,
        },
    )


@require_GET
@actor_required(Permission.REVIEW_ACCESS)
def user_access(request: HttpRequest, pk: int) -> HttpResponse:
    user = found_or_404(selectors.user_of_organisation(actor=request.actor, pk=pk))
    thresholds = selectors.Thresholds.from_settings()
    refused = selectors.refused_attempts_of(actor=request.actor, user=user)
    for event in refused:
        event.action_label = action_label(event.action)
    return render(
        request,
        "privacy/user.html",
        {
            "person": user,
            "access": selectors.access_of_user(
                actor=request.actor, user=user, thresholds=thresholds
            ),
            "refused": refused,
            "thresholds": thresholds,
        },
    )


@require_GET
@actor_required(Permission.REVIEW_ACCESS)
def children(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = None
    if query:
        results = children_shown(
            actor=request.actor,
            rows=selectors.children_matching(actor=request.actor, query=query),
            student=lambda student: student.pk,
            summary="zoekresultaat (privacyfunctionaris)",
        )
    return render(request, "privacy/children.html", {"query": query, "results": results})


@require_GET
@actor_required(Permission.REVIEW_ACCESS)
def child_access(request: HttpRequest, pk: int) -> HttpResponse:
    student = found_or_404(selectors.child_for_review(actor=request.actor, pk=pk))
    services.access_history_reviewed(actor=request.actor, student=student)
    return render(
        request,
        "privacy/child.html",
        {
            "student": student,
            "history": selectors.access_history_for(actor=request.actor, student=student),
            "can_export": request.actor.can(Permission.EXPORT_SUBJECT_DATA),
        },
    )


@require_GET
@actor_required()
def inzage(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The AVG inzage export (art. 15) of one child, as JSON or PDF; recorded as an export."""
    if not request.actor.can(Permission.EXPORT_SUBJECT_DATA):
        raise PermissionDenied
    if fmt not in exports.FORMATS:
        raise Http404
    student = found_or_404(selectors.child_for_review(actor=request.actor, pk=pk))
    data = selectors.subject_data(actor=request.actor, student=student)
    content = exports.inzage_json(data) if fmt == "json" else exports.inzage_pdf(data)
    services.subject_data_exported(actor=request.actor, student=student, fmt=fmt)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    name = slugify(student.external_id or str(student.pk)) or str(student.pk)
    response["Content-Disposition"] = f'attachment; filename="inzage-{name}.{fmt}"'
    return response
