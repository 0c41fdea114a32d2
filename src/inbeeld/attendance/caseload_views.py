"""Screens of meldingen as a caseload (issue 11 §2): the filtered worklist with its bulk actions,
assigning one melding, and the team's caseload per person; the consultation list of the jeugdarts
and leerplicht (issue 12 §2). Thin: selectors and services only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inbeeld.accounts.permissions import Permission
from inbeeld.attendance import selectors, services
from inbeeld.attendance.consultation import consultation_rows, has_consultation_list
from inbeeld.attendance.selectors import ASSIGNEE_NONE, MeldingFilters, melding_filters_from
from inbeeld.attendance.services import MeldingNotFoundError, TransitionNotAllowedError
from inbeeld.attendance.views import (
    KnownCountPaginator,
    acting,
    is_htmx,
    row_answer,
)
from inbeeld.audit.services import children_shown
from inbeeld.rules.duty import age_on

PAGE_SIZE = 25
#: the bulk actions: assign to a person, take "ter kennisneming aangenomen" with one reason
BULK_ASSIGN = "toewijzen"
BULK_ACKNOWLEDGE = "kennisneming"


def _assignee_id(raw: str) -> int | None:
    """The form's "toegewezen_aan": a person's id, or "none" (nobody); anything else is refused."""
    if raw == ASSIGNEE_NONE:
        return None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        return int(raw)
    raise ValidationError(_("Kies aan wie de meldingen worden toegewezen, of 'niemand'."))


def _worklist_context(request: HttpRequest, filters: MeldingFilters, errors: dict) -> dict:
    actor = request.actor
    version = selectors.worklist_version(actor=actor)
    page = KnownCountPaginator(
        selectors.meldingen_filtered(actor=actor, filters=filters),
        PAGE_SIZE,
        count=selectors.meldingen_count(actor=actor, filters=filters, version=version),
    ).get_page(request.GET.get("pagina"))
    rows = children_shown(actor=actor, rows=page.object_list, summary="werklijst meldingen")
    query = urlencode(filters.query())
    return {
        "filters": filters,
        "filter_errors": errors,
        "choices": selectors.melding_filter_choices(actor=actor),
        "page": page,
        "rows": [
            {
                "melding": m,
                "age": age_on(m.student.birth_date, m.end_date),
                "rule_label": selectors.RULE_LABELS.get(m.rule, m.rule),
            }
            for m in rows
        ],
        "query": query,
        "selected": set(),
        "page_query": f"{query}&" if query else "",
        "can_assign": actor.can(Permission.ASSIGN_MELDING),
        "can_handle": actor.can(Permission.HANDLE_MELDING),
        "ASSIGNEE_ME": selectors.ASSIGNEE_ME,
        "ASSIGNEE_NONE": ASSIGNEE_NONE,
        "STATE_ALL": selectors.STATE_ALL,
        "BULK_ASSIGN": BULK_ASSIGN,
        "BULK_ACKNOWLEDGE": BULK_ACKNOWLEDGE,
    }


def _require_worklist(request: HttpRequest) -> None:
    if not request.actor.can(Permission.VIEW_WORKLIST):
        raise PermissionDenied


@require_GET
@acting
def worklist(request: HttpRequest) -> HttpResponse:
    """The meldingen of the worklist, filtered by the query string (the same parameters as
    ``/api/v1/meldingen``); a parameter that cannot be read is named and left out."""
    _require_worklist(request)
    filters, errors = melding_filters_from(request.GET)
    context = _worklist_context(request, filters, errors)
    if is_htmx(request) and request.headers.get("HX-Target") == "meldingenlijst":
        return render(request, "attendance/_worklist_results.html", context)
    return render(request, "attendance/worklist.html", context)


@require_POST
@acting
def bulk(request: HttpRequest) -> HttpResponse:
    """A bulk action on the meldingen ticked: all or nothing. Refused: the worklist again (400)
    with, per melding refused, why; nothing is written."""
    _require_worklist(request)
    actor = request.actor
    back = request.POST.get("terug", "")[:2000]
    ids = [int(v) for v in request.POST.getlist("melding") if v.isascii() and v.isdigit()][:1000]
    note = request.POST.get("toelichting", "")[:2000]
    action = request.POST.get("actie", "")
    try:
        if action == BULK_ASSIGN:
            assignee = _assignee_id(request.POST.get("toegewezen_aan", ""))
            changed = services.meldingen_bulk_assign(
                actor=actor, melding_ids=ids, assignee_id=assignee, note=note
            )
            done = _("%(n)s meldingen toegewezen.") % {"n": changed}
        elif action == BULK_ACKNOWLEDGE:
            changed = services.meldingen_bulk_acknowledge(actor=actor, melding_ids=ids, note=note)
            done = _("%(n)s meldingen ter kennisneming aangenomen.") % {"n": changed}
        else:
            raise ValidationError(_("Kies wat er met de gekozen meldingen moet gebeuren."))
    except ValidationError as refused:
        filters, errors = melding_filters_from(_query_of(back))
        context = _worklist_context(request, filters, errors)
        context["bulk_errors"] = refused.messages
        context["selected"] = set(ids)
        context["bulk_note"] = note
        context["bulk_action"] = action
        return render(request, "attendance/worklist.html", context, status=400)
    messages.success(request, done)
    return redirect(_worklist_url(back))


def _query_of(back: str) -> QueryDict:
    return QueryDict(back)


def _worklist_url(query: str) -> str:
    filters, _errors = melding_filters_from(_query_of(query))
    clean = urlencode(filters.query())
    return reverse("attendance:meldingen") + (f"?{clean}" if clean else "")


@require_POST
@acting
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign one melding (or reassign, or to nobody); htmx gets the worklist row back."""
    actor = request.actor
    try:
        melding = services.melding_assign(
            actor=actor,
            melding_id=pk,
            assignee_id=_assignee_id(request.POST.get("toegewezen_aan", "")),
            note=request.POST.get("toelichting", "")[:2000],
        )
        person = melding.assignee
        done = (
            _("Melding toegewezen aan %(name)s.")
            % {"name": person.get_full_name() or person.username}
            if person
            else _("De melding is aan niemand toegewezen.")
        )
    except MeldingNotFoundError:
        raise Http404 from None
    except (TransitionNotAllowedError, ValidationError) as exc:
        return row_answer(request, pk, error=" ".join(exc.messages))
    return row_answer(request, pk, melding=melding, done=done)


@require_GET
@acting
def caseload(request: HttpRequest) -> HttpResponse:
    """The team's caseload: per person the open meldingen assigned to them, and nobody's."""
    if not request.actor.can(Permission.ASSIGN_MELDING):
        raise PermissionDenied
    rows = selectors.caseload_for(actor=request.actor)
    return render(
        request,
        "attendance/caseload.html",
        {
            "rows": rows,
            "totals": {
                "new": sum(r.new for r in rows),
                "in_progress": sum(r.in_progress for r in rows),
                "total": sum(r.total for r in rows),
            },
            "ASSIGNEE_NONE": ASSIGNEE_NONE,
        },
    )


@require_GET
@acting
def consultation(request: HttpRequest) -> HttpResponse:
    """Issue 12 §2: "overleg jeugdarts – leerplicht", the children both the GGD and the gemeente
    are involved with (``attendance.consultation``); every child shown is an audited read."""
    actor = request.actor
    if not has_consultation_list(actor):
        raise PermissionDenied
    rows = children_shown(
        actor=actor,
        rows=consultation_rows(actor=actor),
        summary="overleg jeugdarts – leerplicht",
    )
    return render(request, "attendance/consultation.html", {"rows": rows})
