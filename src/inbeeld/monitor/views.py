"""Screens of the monitor: the dashboard (now, the pact's targets, trends, the leerplichttelling),
the leerplichttelling of a school year with its downloads, and the targets form. Thin: they call
selectors and services only. Figures only: no page here links to a child.

Long work leaves the request (issue 14): a download of the leerplichttelling and "refresh the
figures now" start background jobs (``monitor.jobs``) and lead to the job's page; a finished
export's file is served by :func:`export_download`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.views import acting
from inbeeld.monitor import charts, jobs, national, reports, selectors, services
from inbeeld.operations.selectors import active_job, job_for
from inbeeld.operations.services import start_job
from inbeeld.operations.views import start_and_follow
from inbeeld.rules.calendar import school_year_label
from inbeeld.ui.forms import form_page


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_figures(request: HttpRequest) -> None:
    if (
        not request.actor.can(Permission.VIEW_FIGURES)
        or selectors.figure_scope(actor=request.actor) is None
    ):
        raise PermissionDenied


def _school_year(request: HttpRequest, years: list[int]) -> int:
    raw = request.GET.get("schooljaar", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0]


def _breakdown(request: HttpRequest) -> str:
    value = request.GET.get("indeling", selectors.DEFAULT_BREAKDOWN)
    return value if value in selectors.BREAKDOWNS else selectors.DEFAULT_BREAKDOWN


def _chart(spec: dict) -> dict:
    return {"spec": spec, "has_data": charts.has_data(spec)}


def _breakdown_context(request: HttpRequest, trends: selectors.Trends) -> dict:
    label = str(selectors.BREAKDOWNS[trends.breakdown])
    return {
        "trends": trends,
        "breakdown_label": label,
        "breakdowns": [(k, str(v)) for k, v in selectors.BREAKDOWNS.items()],
        "breakdown_chart": _chart(charts.breakdown_chart(trends, label)),
    }


@require_GET
@acting
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.can(Permission.VIEW_FIGURES):
        raise PermissionDenied
    if selectors.figure_scope(actor=actor) is None:  # GGD, wijkteam: nothing of their own to count
        return render(request, "monitor/no_figures.html")
    years = selectors.school_years_available(actor=actor)
    year = _school_year(request, years)
    trends = selectors.trends(actor=actor, school_year=year, breakdown=_breakdown(request))
    now = selectors.now_figures(actor=actor)
    targets = selectors.target_figures(actor=actor)
    if trends is None or now is None or targets is None:  # the scope was checked above
        raise PermissionDenied
    context = _breakdown_context(request, trends)
    if _is_htmx(request) and request.headers.get("HX-Target") == "uitsplitsing":
        return render(request, "monitor/_breakdown.html", context)
    context.update(
        {
            "now": now,
            "targets": targets,
            "years": [(y, school_year_label(y)) for y in years],
            "school_year": year,
            "school_year_label": trends.label,
            "now_chart": _chart(charts.now_chart(now)),
            "trend_chart": _chart(charts.trend_chart(trends)),
            "target_chart": _chart(charts.target_chart(targets)),
            "national_pupils": national.NATIONAL_PUPILS,
            "formats": reports.FORMATS,
            "last_refresh": selectors.latest_refresh(),
            "refreshing": active_job(jobs.FIGURES),
            "may_refresh": actor.can(Permission.RUN_DETECTION),
        }
    )
    return render(request, "monitor/dashboard.html", context)


@require_GET
@acting
def telling(request: HttpRequest, year: int) -> HttpResponse:
    _require_figures(request)
    if year not in selectors.school_years_available(actor=request.actor):
        raise Http404
    report = reports.telling_for(actor=request.actor, school_year=year)
    return render(
        request,
        "monitor/telling.html",
        {
            "report": report,
            "school_year": year,
            "school_year_label": school_year_label(year),
            "formats": reports.FORMATS,
        },
    )


@require_POST
@acting
def telling_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """Start building the leerplichttelling's file in the worker; on to the job's page."""
    _require_figures(request)
    if fmt not in reports.FORMATS or year not in selectors.school_years_available(
        actor=request.actor
    ):
        raise Http404
    job = start_job(
        actor=request.actor, kind=jobs.EXPORT, params={"school_year": year, "format": fmt}
    )
    return redirect("operations:job", pk=job.pk)


@require_GET
@acting
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """A finished export's file, for the organisation that made it and who may read its figures;
    the export is audited here, when the figures leave Inbeeld, naming who downloads them."""
    _require_figures(request)
    job = job_for(actor=request.actor, pk=pk)
    path = jobs.export_path(job) if job is not None else None
    if path is None:
        raise Http404
    school_year, fmt = int(job.result["school_year"]), job.result["format"]
    services.figures_exported(actor=request.actor, school_year=school_year, fmt=fmt)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=path.name,
        content_type=reports.FORMATS[fmt],
    )


@require_POST
@acting
def refresh(request: HttpRequest) -> HttpResponse:
    """ "Cijfers nu verversen": the episodes recomputed by the worker, one refresh at a time."""
    if not request.actor.can(Permission.RUN_DETECTION):
        raise PermissionDenied
    return start_and_follow(
        request,
        jobs.FIGURES,
        already=_("De cijfers worden al ververst."),
        elsewhere=reverse("monitor:dashboard"),
    )


@require_http_methods(["GET", "POST"])
@acting
def targets(request: HttpRequest) -> HttpResponse:
    _require_figures(request)
    actor = request.actor
    if not actor.can(Permission.SET_TARGETS):
        raise PermissionDenied
    current = selectors.current_target(organisation=actor.organisation)
    this_year = selectors.current_school_year()
    values: dict = {
        "baseline_year": str(current.baseline_year if current else this_year - 1),
        "yearly_reduction_percent": str(
            current.yearly_reduction_percent if current else selectors.DEFAULT_REDUCTION
        ),
        "zero_over_three_months": current.zero_over_three_months if current else True,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "baseline_year": request.POST.get("baseline_year", "").strip(),
            "yearly_reduction_percent": request.POST.get("yearly_reduction_percent", "").strip(),
            "zero_over_three_months": request.POST.get("zero_over_three_months") == "1",
        }
        if not values["baseline_year"].isdigit():
            errors["baseline_year"] = _("Kies een basisjaar.")
        if not values["yearly_reduction_percent"].isdigit():
            errors["yearly_reduction_percent"] = _(
                "Vul de daling per jaar in als een heel percentage, bijvoorbeeld 25."
            )
        if not errors:
            try:
                services.set_target(
                    actor=actor,
                    baseline_year=int(values["baseline_year"]),
                    yearly_reduction_percent=int(values["yearly_reduction_percent"]),
                    zero_over_three_months=bool(values["zero_over_three_months"]),
                )
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                messages.success(request, _("De doelen zijn vastgesteld."))
                return redirect("monitor:dashboard")
    years = [(y, school_year_label(y)) for y in range(this_year, this_year - 11, -1)]
    return form_page(
        request,
        "monitor/targets.html",
        {"values": values, "errors": errors, "years": years, "current": current},
        refused=errors,
    )
