"""Screens of the cases app: the list, opening a case, the case page with its forms, and the
home page's block of overdue actions. Thin: selectors to read, services to write."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.services import audit_record_views, children_shown
from inbeeld.cases import forms, selectors, services
from inbeeld.cases.disputes import DisputeOutcome, RulingFollowed
from inbeeld.cases.models import Case, Note
from inbeeld.people.selectors import student_for
from inbeeld.ui.forms import errors_to_form

# -- the list and the home block ------------------------------------------------------------------


@require_GET
@actor_required(Permission.WORK_ON_CASES)
def case_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    cases = children_shown(
        actor=actor, rows=selectors.case_list_for(actor=actor, on=today), summary="lijst casussen"
    )
    rows = [
        {
            "case": case,
            "step": selectors.step_label(case.escalation_step),
            "proposal": selectors.proposal_for(case=case, on=today),
            "is_lead": case.lead_organisation_id == actor.organisation.pk,
        }
        for case in cases
    ]
    return render(request, "cases/list.html", {"rows": rows})


@require_GET
@actor_required()
def overdue_actions(request: HttpRequest) -> HttpResponse:
    """The home page's lazily loaded block: overdue actions of the actor's cases (or nothing)."""
    actor = request.actor
    if not actor.can(Permission.WORK_ON_CASES):
        return HttpResponse("")
    actions = children_shown(
        actor=actor,
        rows=selectors.overdue_actions_for(actor=actor)[:50],
        student=lambda action: action.case.student_id,
        summary="achterstallige acties",
    )
    return render(
        request, "cases/_overdue_actions.html", {"actions": actions, "today": timezone.localdate()}
    )


# -- opening --------------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@require_http_methods(["GET", "POST"])
@actor_required(Permission.OPEN_CASE)
def case_open(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    data = request.POST if request.method == "POST" else request.GET
    pk = _int(data.get("leerling"))
    student = student_for(actor=actor, pk=pk) if pk else None
    if student is None:
        raise Http404
    existing = selectors.open_case_of(student=student)
    initial = {}
    melding_pk = _int(request.GET.get("melding"))
    if melding_pk:
        initial = {"opened_from": "melding", "melding": melding_pk}
    match = selectors.match_for(actor=actor, student=student, pk=_int(data.get("match")))
    if match is not None and request.method == "GET":
        initial = {"opened_from": "match", "source_reference": f"match {match.pk}"}
    form = forms.OpenCaseForm(
        request.POST if request.method == "POST" else None,
        actor=actor,
        student=student,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        melding = None
        if form.cleaned_data["melding"]:
            melding = selectors.melding_for(student=student, pk=form.cleaned_data["melding"])
        try:
            case = services.case_open(
                actor=actor,
                student=student,
                opened_from=form.cleaned_data["opened_from"],
                melding=melding,
                match=match,
                source_reference=form.cleaned_data["source_reference"],
            )
        except services.CaseAlreadyOpenError as exc:
            existing = exc.case
            form.add_error(None, exc)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Casus geopend. Stel nu het team en het plan samen."))
            return redirect("cases:detail", pk=case.pk)
    visible_existing = (
        selectors.case_for(actor=actor, pk=existing.pk) if existing is not None else None
    )
    audit_record_views(
        actor=actor,
        students=[student],
        summary="formulier casus openen",
        object_type="people.Student",
    )
    return render(
        request,
        "cases/open.html",
        {
            "student": student,
            "form": form,
            "existing": existing,
            "visible_existing": visible_existing,
            "match": match,
        },
        status=400 if request.method == "POST" else 200,
    )


# -- the case page --------------------------------------------------------------------------------


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_for(actor=request.actor, pk=pk)
    if case is None:
        raise Http404
    return case


def _context(request: HttpRequest, case: Case, bound: forms.CaseForm | None = None) -> dict:
    actor = request.actor
    today = timezone.localdate()
    page = selectors.case_page(actor=actor, case=case, on=today)
    is_lead = page.is_lead

    def form(cls):
        if bound is not None and isinstance(bound, cls) and not isinstance(bound, forms.RowForm):
            return bound
        return cls(actor=actor, case=case)

    return {
        **vars(page),
        "case": case,
        "student": case.student,
        "today": today,
        "is_open": case.is_open,
        "step_label": selectors.step_label(case.escalation_step),
        "proposal_label": selectors.step_label(page.proposal.to_step) if page.proposal else "",
        #: how the case can change state now: the page offers exactly these (an outcome,
        #: closing, reopening), as the workflow decides them for the services
        "offers": {t.via for t in page.transitions},
        "bound": bound,
        "Visibility": Note.Visibility,
        "dispute_outcomes": DisputeOutcome.choices,
        "followed_choices": RulingFollowed.choices,
        "forms": {
            "team": form(forms.TeamMemberForm) if is_lead else None,
            "action": form(forms.ActionForm),
            "meeting": form(forms.MeetingForm),
            "referral": form(forms.ReferralForm),
            "intervention": form(forms.InterventionForm),
            "cause": form(forms.CauseForm),
            "escalation": form(forms.EscalationForm) if is_lead else None,
            "outcome": form(forms.OutcomeForm) if is_lead else None,
            "reopen": form(forms.ReopenForm) if is_lead else None,
            "close": form(forms.CloseForm) if is_lead else None,
            "dispute": form(forms.DisputeForm),
            "note": form(forms.NoteForm),
        },
    }


@require_GET
@actor_required(Permission.WORK_ON_CASES)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    services.case_viewed(actor=request.actor, case=case)
    return render(request, "cases/detail.html", _context(request, case))


def _row(find: Callable, case: Case, form) -> object:
    """The part of the case a row form names (``selectors.action_of`` etc.), or 404."""
    obj = find(case=case, pk=form.cleaned_data["id"])
    if obj is None:
        raise Http404
    return obj


# The handlers of the forms: each calls its service. A form whose fields are named as the service's
# parameters (meeting, referral, intervention, outcome, dispute, note) is passed as it is.


def _team(actor, case, form):
    membership = form.memberships.get(form.cleaned_data["membership"])
    if membership is None:
        raise ValidationError({"membership": _("Kies een professional uit de lijst.")})
    services.team_member_add(
        actor=actor,
        case=case,
        user=membership.user,
        organisation=membership.organisation,
        role_in_case=form.cleaned_data["role_in_case"],
        reason=form.cleaned_data["reason"],
        consent_basis=form.cleaned_data["consent_basis"],
    )
    return _("Toegevoegd aan het team; %(name)s krijgt een bericht.") % {
        "name": membership.user.get_full_name() or membership.user.username
    }


def _team_end(actor, case, form):
    member = _row(selectors.team_member_of, case, form)
    services.team_member_end(actor=actor, member=member, reason=form.cleaned_data["end_reason"])
    return _("Uit het team gehaald.")


def _action(actor, case, form):
    organisation, user = form.owner_objects()
    services.action_add(
        actor=actor,
        case=case,
        description=form.cleaned_data["description"],
        due_date=form.cleaned_data["due_date"],
        owner_organisation=organisation,
        owner_user=user,
    )
    return _("Actie toegevoegd aan het plan.")


def _action_done(actor, case, form):
    services.action_done(actor=actor, action=_row(selectors.action_of, case, form))
    return _("Actie afgerond.")


def _action_hand_over(actor, case, form):
    action = _row(selectors.action_of, case, form)
    services.action_hand_over(actor=actor, action=action, to=form.cleaned_data["to"])
    return _("Actie overgedragen aan %(to)s.") % {"to": form.cleaned_data["to"]}


def _meeting(actor, case, form):
    team = {m.user_id: m.user for m in selectors.active_team(case)}
    data = form.cleaned_data
    attendees = [team[pk] for pk in data["attendees"] if pk in team]
    services.meeting_record(actor=actor, case=case, **{**data, "attendees": attendees})
    return _("Overleg vastgelegd.")


def _referral(actor, case, form):
    services.referral_request(actor=actor, case=case, **form.cleaned_data)
    return _("Verwijzing vastgelegd.")


def _referral_started(actor, case, form):
    services.referral_started(
        actor=actor, referral=_row(selectors.referral_of, case, form), on=form.cleaned_data["on"]
    )
    return _("Start van de hulp vastgelegd.")


def _intervention(actor, case, form):
    services.intervention_add(actor=actor, case=case, **form.cleaned_data)
    return _("Voorziening vastgelegd.")


def _cause(actor, case, form):
    services.cause_add(actor=actor, case=case, **form.cleaned_data)
    return _("Oorzaak vastgelegd.")


def _cause_end(actor, case, form):
    services.cause_end(actor=actor, cause=_row(selectors.cause_of, case, form))
    return _("Oorzaak beëindigd; hij blijft in de geschiedenis.")


def _escalate(actor, case, form):
    data = form.cleaned_data
    organisation = selectors.organisation_working_with(
        actor=actor, pk=data["deciding_organisation"]
    )
    if organisation is None:
        raise ValidationError({"deciding_organisation": _("Kies wie beslist.")})
    step = services.escalate(
        actor=actor,
        case=case,
        step=data["step"],
        reason=data["reason"],
        deciding_organisation=organisation,
        deciding_user=form.decider(),
        deadline=data["deadline"],
    )
    return _("Opgeschaald naar %(step)s; het team en wie beslist krijgen een bericht.") % {
        "step": step.get_step_display()
    }


def _decide(actor, case, form):
    services.escalation_decide(
        actor=actor,
        step=_row(selectors.escalation_of, case, form),
        decision=form.cleaned_data["decision"],
    )
    return _("Besluit vastgelegd.")


def _decide_on_behalf(actor, case, form):
    decider = form.decider()
    services.escalation_decide(
        actor=actor,
        step=_row(selectors.escalation_of, case, form),
        decision=form.cleaned_data["decision"],
        on=form.cleaned_data["decided_on"],
        on_behalf_of=decider,
    )
    return _("Besluit vastgelegd namens %(name)s.") % {
        "name": decider.get_full_name() or decider.username
    }


def _outcome(actor, case, form):
    data = form.cleaned_data
    school = None
    if data["school"]:
        school = selectors.school_for(actor=actor, pk=data["school"])
    services.outcome_record(actor=actor, case=case, **{**data, "school": school})
    return _("Terugkeer naar school vastgelegd; de casus staat op monitoring.")


def _reopen(actor, case, form):
    services.case_reopen(actor=actor, case=case, reason=form.cleaned_data["reason"])
    return _("Casus heropend na terugval.")


def _close(actor, case, form):
    services.case_close(actor=actor, case=case, **form.cleaned_data)
    return _("Casus afgesloten; het team is beëindigd.")


def _dispute(actor, case, form):
    services.dispute_lodge(actor=actor, case=case, **form.cleaned_data)
    return _("Geschil vastgelegd.")


def _hearing(actor, case, form):
    services.dispute_hearing(
        actor=actor,
        dispute=_row(selectors.dispute_of, case, form),
        hearing_on=form.cleaned_data["hearing_on"],
    )
    return _("Zitting vastgelegd.")


def _ruling(actor, case, form):
    services.dispute_rule(
        actor=actor,
        dispute=_row(selectors.dispute_of, case, form),
        ruling=form.cleaned_data["ruling"],
        outcome=form.cleaned_data["outcome"],
        ruled_on=form.cleaned_data["ruled_on"],
    )
    return _("Uitspraak vastgelegd.")


def _follow_up(actor, case, form):
    services.dispute_follow_up(
        actor=actor,
        dispute=_row(selectors.dispute_of, case, form),
        followed=form.cleaned_data["followed"],
        on=form.cleaned_data["on"],
    )
    return _("Opvolging van de uitspraak vastgelegd.")


def _note(actor, case, form):
    services.note_add(actor=actor, case=case, **form.cleaned_data)
    return _("Notitie toegevoegd.")


#: what is posted → (its form, what to do with it)
HANDLERS: dict[str, tuple[type[forms.CaseForm], Callable]] = {
    forms.TeamMemberForm.what: (forms.TeamMemberForm, _team),
    forms.EndMemberForm.what: (forms.EndMemberForm, _team_end),
    forms.ActionForm.what: (forms.ActionForm, _action),
    forms.ActionDoneForm.what: (forms.ActionDoneForm, _action_done),
    forms.ActionHandOverForm.what: (forms.ActionHandOverForm, _action_hand_over),
    forms.MeetingForm.what: (forms.MeetingForm, _meeting),
    forms.ReferralForm.what: (forms.ReferralForm, _referral),
    forms.ReferralStartedForm.what: (forms.ReferralStartedForm, _referral_started),
    forms.InterventionForm.what: (forms.InterventionForm, _intervention),
    forms.CauseForm.what: (forms.CauseForm, _cause),
    forms.EndCauseForm.what: (forms.EndCauseForm, _cause_end),
    forms.EscalationForm.what: (forms.EscalationForm, _escalate),
    forms.DecisionForm.what: (forms.DecisionForm, _decide),
    forms.DecisionOnBehalfForm.what: (forms.DecisionOnBehalfForm, _decide_on_behalf),
    forms.OutcomeForm.what: (forms.OutcomeForm, _outcome),
    forms.ReopenForm.what: (forms.ReopenForm, _reopen),
    forms.CloseForm.what: (forms.CloseForm, _close),
    forms.DisputeForm.what: (forms.DisputeForm, _dispute),
    forms.HearingForm.what: (forms.HearingForm, _hearing),
    forms.RulingForm.what: (forms.RulingForm, _ruling),
    forms.FollowUpForm.what: (forms.FollowUpForm, _follow_up),
    forms.NoteForm.what: (forms.NoteForm, _note),
}


@require_POST
@actor_required(Permission.WORK_ON_CASES)
def case_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Every form on the case page posts here. htmx swaps the case body (``#casus``) with the
    result; without JavaScript a success redirects to the page, an error shows it again."""
    actor = request.actor
    case = _case_or_404(request, pk)
    if what not in HANDLERS:
        raise Http404
    form_class, handler = HANDLERS[what]
    form = form_class(request.POST, actor=actor, case=case)
    done = ""
    if form.is_valid():
        try:
            done = handler(actor, case, form)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            errors_to_form(form, exc)
    htmx = request.headers.get("HX-Request") == "true"
    if done and not htmx:
        messages.success(request, done)
        return redirect(reverse("cases:detail", args=[case.pk]))
    case.refresh_from_db()
    context = _context(request, case, bound=None if done else form)
    context["announce"] = done
    context["error_form"] = None if done else form
    return render(request, "cases/detail.html", context, status=200 if htmx or done else 400)
