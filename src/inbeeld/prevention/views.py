"""The school-team screens (issue 12 §1): my organisation's teams, a team's page (members, meetings,
the list, the care signals' proposals), a child's entry with its discussions and steps, and the
school-team history on a case page. Thin: selectors to read, services to write; every page that
shows a child records the read for that child."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.models import User
from inbeeld.accounts.permissions import Permission
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record, audit_record_views
from inbeeld.cases.causes import cause_label
from inbeeld.cases.selectors import case_for
from inbeeld.cases.services import default_note_visibility
from inbeeld.people.selectors import students_visible_to
from inbeeld.prevention import forms, selectors, services
from inbeeld.prevention.models import ListEntry, SchoolTeam
from inbeeld.ui.forms import errors_to_form

WORK = Permission.WORK_ON_CASES


def _or_404(found):
    if found is None:
        raise Http404
    return found


def _team_url(team: SchoolTeam) -> str:
    return reverse("prevention:team", args=[team.pk])


def _entry_url(entry: ListEntry) -> str:
    return reverse("prevention:entry", args=[entry.pk])


@require_GET
@actor_required(WORK)
def team_list(request: HttpRequest) -> HttpResponse:
    return _team_list(request)


def _team_list(request: HttpRequest, form=None, status: int = 200) -> HttpResponse:
    actor = request.actor
    schools = selectors.schools_for_new_team(actor=actor)
    teams = [
        {
            "team": t,
            "members": selectors.active_members(t).count(),
            "children": selectors.entries_of(actor=actor, team=t).count(),
            "next": t.meetings.filter(held_on__gte=timezone.localdate())
            .order_by("held_on")
            .first(),
        }
        for t in selectors.teams_for(actor=actor)
    ]
    context = {
        "teams": teams,
        "form": form or (forms.TeamForm(schools=schools) if schools else None),
    }
    return render(request, "prevention/list.html", context, status=status)


@require_POST
@actor_required(WORK)
def team_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    schools = selectors.schools_for_new_team(actor=actor)
    form = forms.TeamForm(request.POST, schools=schools)
    if form.is_valid():
        data = form.cleaned_data
        school = _or_404(schools.filter(pk=data["school"]).first())
        try:
            team = services.team_create(
                actor=actor, school=school, name=data["name"], location=data["location"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Schoolteam ingesteld."))
            return redirect(_team_url(team))
    return _team_list(request, form, status=400)


# -- the team page --------------------------------------------------------------------------------


def _team_forms(actor, team, data=None, what=""):
    """The forms of the team page, the one posted (``what``) bound to ``data``."""

    def bound(name):
        return data if what == name else None

    made = {
        "overleg": forms.MeetingForm(bound("overleg")),
        "kind": forms.EntryForm(bound("kind")),
    }
    if selectors.may_manage(actor=actor, team=team):
        made["lid"] = forms.MemberForm(
            bound("lid"), organisations=selectors.member_candidates(team=team)
        )
    return made


def _team_page(request, team, made=None, status=200) -> HttpResponse:
    actor = request.actor
    entries = list(selectors.entries_of(actor=actor, team=team))
    proposals = list(selectors.proposals_of(actor=actor, team=team))
    audit_record_views(
        actor=actor,
        students=[e.student for e in entries] + [p.student for p in proposals],
        summary=f"schoolteam {team.pk} bekeken",
        object_type="prevention.schoolteam",
    )
    today = timezone.localdate()
    meetings = list(selectors.meetings_of(team))
    context = {
        "team": team,
        "members": selectors.active_members(team),
        "may_manage": selectors.may_manage(actor=actor, team=team),
        "coming": [m for m in meetings if m.held_on >= today],
        "past": [m for m in meetings if m.held_on < today][::-1],
        "entries": entries,
        "proposals": proposals,
        "forms": made or _team_forms(actor, team),
        "today": today,
    }
    return render(request, "prevention/team.html", context, status=status)


@require_GET
@actor_required(WORK)
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _or_404(selectors.team_for(actor=request.actor, pk=pk))
    return _team_page(request, team)


def _add_member(actor, team, form):
    data = form.cleaned_data
    organisation = selectors.member_candidates(team=team).filter(pk=data["organisation"]).first()
    if organisation is None:
        raise ValidationError({"organisation": _("Kies een organisatie uit de lijst.")})
    user = None
    if data["username"]:
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            raise ValidationError({"username": _("Deze persoon werkt niet voor deze organisatie.")})
    services.member_add(
        actor=actor,
        team=team,
        organisation=organisation,
        user=user,
        role_in_team=data["role_in_team"],
    )
    return _("%(name)s is lid van het schoolteam.") % {"name": organisation.name}


def _plan_meeting(actor, team, form):
    services.meeting_plan(actor=actor, team=team, **form.cleaned_data)
    return _("Overleg in de agenda gezet.")


def _add_entry(actor, team, form):
    data = form.cleaned_data
    student = (
        students_visible_to(actor=actor).filter(external_id=data["student_number"].strip()).first()
    )
    if student is None:
        raise ValidationError(
            {"student_number": _("Geen leerling met dit nummer gevonden die u mag zien.")}
        )
    services.entry_add(actor=actor, team=team, student=student, reason=data["reason"])
    return _("Het kind staat op de lijst.")


TEAM_HANDLERS: dict[str, Callable] = {
    "lid": _add_member,
    "overleg": _plan_meeting,
    "kind": _add_entry,
}


@require_POST
@actor_required(WORK)
def team_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    actor = request.actor
    team = _or_404(selectors.team_for(actor=actor, pk=pk))
    made = _team_forms(actor, team, request.POST, what)
    if what not in TEAM_HANDLERS or what not in made:
        raise Http404
    form = made[what]
    if form.is_valid():
        try:
            message = TEAM_HANDLERS[what](actor, team, form)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, message)
            return redirect(_team_url(team))
    return _team_page(request, team, made, status=400)


@require_POST
@actor_required(WORK)
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = _or_404(selectors.member_for(actor=request.actor, pk=pk))
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("reason", [_("Ongeldige toelichting.")])[0])
        services.member_end(actor=request.actor, member=member, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s is uit het schoolteam.") % {"name": member.organisation.name}
        )
    if selectors.team_for(actor=request.actor, pk=member.team_id) is None:
        return redirect("prevention:list")
    return redirect(_team_url(member.team))


@require_POST
@actor_required(WORK)
def proposal_decide(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    actor = request.actor
    proposal = _or_404(selectors.proposal_for(actor=actor, pk=pk))
    if what not in ("accepteren", "afwijzen"):
        raise Http404
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if what == "accepteren":
            services.proposal_accept(actor=actor, proposal=proposal, reason=reason)
            messages.success(request, _("Het kind staat op de lijst."))
        else:
            services.proposal_dismiss(actor=actor, proposal=proposal, reason=reason)
            messages.success(request, _("Voorstel afgewezen."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_team_url(proposal.team))


# -- a child on the list --------------------------------------------------------------------------


def _organisations(team):
    return [m.organisation for m in selectors.active_members(team)]


def _entry_forms(actor, entry, data=None, what=""):
    def bound(name):
        return data if what == name else None

    team = entry.team
    organisations = _organisations(team)
    return {
        "bespreking": forms.DiscussionForm(
            bound("bespreking"),
            meetings=selectors.meetings_of(team),
            organisations=organisations,
            initial={
                "discussed_on": timezone.localdate(),
                "visibility": default_note_visibility(actor),
            },
        ),
        "stap": forms.StepForm(bound("stap"), organisations=organisations),
        "van_de_lijst": forms.EndForm(bound("van-de-lijst")),
    }


def _entry_page(request, entry, made=None, status=200) -> HttpResponse:
    actor = request.actor
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"schoolteam {entry.team_id}: kind op de lijst bekeken",
        obj=entry,
        student=entry.student,
    )
    context = {
        "entry": entry,
        "team": entry.team,
        "student": entry.student,
        "discussions": selectors.discussions_of(actor=actor, entry=entry),
        "forms": made or _entry_forms(actor, entry),
        "may_open_case": actor.can(Permission.OPEN_CASE),
        "case_visible": entry.case is not None and case_for(actor=actor, pk=entry.case_id),
        "cause_label": cause_label,
    }
    return render(request, "prevention/entry.html", context, status=status)


@require_GET
@actor_required(WORK)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, _or_404(selectors.entry_for(actor=request.actor, pk=pk)))


def _member_organisation(entry, pk):
    if pk is None:
        return None
    return next((o for o in _organisations(entry.team) if o.pk == pk), None)


def _discuss(actor, entry, form):
    data = dict(form.cleaned_data)
    data["meeting"] = selectors.meeting_of(team=entry.team, pk=data["meeting"])
    if form.cleaned_data["meeting"] is not None and data["meeting"] is None:
        raise ValidationError({"meeting": _("Kies een overleg van dit schoolteam.")})
    data["step_organisation"] = _member_organisation(entry, data["step_organisation"])
    services.discussion_add(actor=actor, entry=entry, **data)
    return _("Bespreking vastgelegd."), _entry_url(entry)


def _end(actor, entry, form):
    services.entry_end(actor=actor, entry=entry, reason=form.cleaned_data["end_reason"])
    return _("Het kind is van de lijst gehaald."), _team_url(entry.team)


def _to_case(actor, entry, form):
    case = services.move_to_case(actor=actor, entry=entry)
    return (
        _("Casus geopend; de besprekingen van het schoolteam gaan mee."),
        reverse("cases:detail", args=[case.pk]),
    )


ENTRY_HANDLERS: dict[str, Callable] = {
    "bespreking": _discuss,
    "van-de-lijst": _end,
    "naar-casus": _to_case,
}


@require_POST
@actor_required(WORK)
def entry_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    actor = request.actor
    entry = _or_404(selectors.entry_for(actor=actor, pk=pk))
    if what not in ENTRY_HANDLERS:
        raise Http404
    made = _entry_forms(actor, entry, request.POST, what)
    key = what.replace("-", "_")
    form = made.get(key) or forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            message, url = ENTRY_HANDLERS[what](actor, entry, form)
        except ValidationError as exc:
            if key in made:
                errors_to_form(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(_entry_url(entry))
        else:
            messages.success(request, message)
            return redirect(url)
    return _entry_page(request, entry, made, status=400)


@require_POST
@actor_required(WORK)
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    discussion = _or_404(selectors.discussion_for(actor=actor, pk=pk))
    entry = selectors.entry_for(actor=actor, pk=discussion.entry_id)
    made = _entry_forms(actor, entry, request.POST, "stap")
    form = made["stap"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.step_add(
                actor=actor,
                discussion=discussion,
                description=data["description"],
                organisation=_member_organisation(entry, data["organisation"]),
                due_date=data["due_date"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Stap afgesproken."))
            return redirect(_entry_url(entry))
    return _entry_page(request, entry, made, status=400)


# -- on the case page -----------------------------------------------------------------------------


@require_GET
@actor_required(WORK)
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The school team's history of a case that came from its list (a section of the case page,
    loaded with htmx; a page of its own without JavaScript)."""
    actor = request.actor
    case = _or_404(case_for(actor=actor, pk=pk))
    entries = selectors.entries_of_case(actor=actor, case=case)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"casus {case.pk}: geschiedenis in het schoolteam bekeken",
        obj=case,
        student=case.student,
    )
    rows = [
        {"entry": e, "discussions": selectors.discussions_of(actor=actor, entry=e)} for e in entries
    ]
    template = (
        "prevention/_case_history.html"
        if request.headers.get("HX-Request") == "true"
        else "prevention/case_history.html"
    )
    return render(request, template, {"case": case, "rows": rows, "cause_label": cause_label})
