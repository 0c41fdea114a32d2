"""Screens of the concerns app: the organisation's concerns and matches, registering a concern,
withdrawing one, and the letter to the parents. Thin: selectors and services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.services import audit_record_views, children_shown
from inbeeld.concerns import selectors, services
from inbeeld.concerns.forms import ConcernForm
from inbeeld.concerns.letters import parent_letter, parent_letter_text
from inbeeld.concerns.models import SystemReason
from inbeeld.ui.errors import found_or_404
from inbeeld.ui.forms import errors_to_form


@require_GET
@actor_required(Permission.REGISTER_CONCERN)
def index(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "concerns/index.html",
        {
            "concerns": children_shown(
                actor=actor, rows=selectors.concerns_of(actor=actor), summary="lijst zorgen"
            ),
            "matches": children_shown(
                actor=actor,
                rows=selectors.matches_of(actor=actor),
                student=lambda match: match.own.student_id,
                summary="lijst matches",
            ),
            "reasons": dict(SystemReason.choices),
        },
    )


def _student_from_query(request: HttpRequest):
    raw = request.POST.get("leerling") or request.GET.get("leerling") or ""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    try:
        return selectors.student_visible(actor=request.actor, student_id=int(raw))
    except selectors.StudentNotFoundError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@actor_required(Permission.REGISTER_CONCERN)
def register(request: HttpRequest) -> HttpResponse:
    """Register a concern: from the child's page (``?leerling=<id>``) or by BSN and birth date."""
    actor = request.actor
    student = _student_from_query(request)
    initial = {
        "contact_name": request.user.get_full_name() or request.user.username,
        "contact_email": request.user.email,
    }
    form = ConcernForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        with_student=student is not None,
    )
    if request.method == "POST" and form.is_valid():  # collects what was entered
        data = form.cleaned_data
        try:
            concern = services.concern_register(
                actor=actor,
                student_id=student.pk if student is not None else None,
                bsn=data.get("bsn"),
                birth_date=data.get("birth_date"),
                domain=data.get("domain"),
                urgent=data.get("urgent"),
                contact_name=data.get("contact_name"),
                contact_phone=data.get("contact_phone"),
                contact_email=data.get("contact_email"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("De zorg is geregistreerd."))
            if concern.new_matches:
                messages.info(
                    request,
                    _(
                        "Er is een match: ook een andere organisatie is betrokken bij deze "
                        "leerling. U ziet hieronder hoe u elkaar bereikt."
                    ),
                )
            return redirect("concerns:index")
    if student is not None:
        audit_record_views(
            actor=actor,
            students=[student],
            summary="formulier zorg melden",
            object_type="people.Student",
        )
    return render(request, "concerns/register.html", {"form": form, "student": student})


@require_http_methods(["GET", "POST"])
@actor_required(Permission.REGISTER_CONCERN)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then withdraw one of the own organisation's concerns."""
    concern = found_or_404(selectors.concern_of(actor=request.actor, pk=pk))
    error = ""
    if request.method == "POST" and concern.withdrawn_on is None:
        try:
            services.concern_withdraw(actor=request.actor, concern=concern)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("De zorg is ingetrokken."))
            return redirect("concerns:index")
    audit_record_views(
        actor=request.actor,
        students=[concern.student_id],
        summary=f"zorg {concern.pk} intrekken (formulier)",
        object_type="concerns.Concern",
    )
    return render(request, "concerns/withdraw.html", {"concern": concern, "error": error})


@require_GET
@actor_required(Permission.REGISTER_CONCERN)
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the parents, printable (only for the organisation that registered it)."""
    concern = found_or_404(selectors.concern_of(actor=request.actor, pk=pk))
    services.letter_viewed(actor=request.actor, concern=concern)
    return render(
        request,
        "concerns/letter.html",
        {
            "concern": concern,
            "letter": parent_letter(concern),
            "letter_text": parent_letter_text(concern),
        },
    )
