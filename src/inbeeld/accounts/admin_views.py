"""Beheer: a functioneel beheerder manages the people and roles of the organisation they act for,
and nothing of any other organisation (what is not theirs answers 404)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.accounts import login_services, services
from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.forms import OrganisationContactForm, PersonAddForm, RoleGrantForm
from inbeeld.accounts.models import Membership, RoleGrantRequest
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.selectors import (
    membership_for,
    pending_role_requests,
    people_of_organisation,
    person_for,
    role_grant_request_for,
)
from inbeeld.ui.errors import found_or_404
from inbeeld.ui.forms import errors_to_form, form_page

manager_required = actor_required(Permission.MANAGE_ORGANISATION)


@manager_required
def people(request: HttpRequest) -> HttpResponse:
    """The people of the organisation and their roles there, and the roles that wait for a
    second beheerder's approval."""
    return render(
        request,
        "accounts/beheer/people.html",
        {
            "people": people_of_organisation(actor=request.actor),
            "pending": pending_role_requests(actor=request.actor),
        },
    )


def _granted_message(request: HttpRequest, result: Membership | RoleGrantRequest) -> None:
    if isinstance(result, RoleGrantRequest):
        messages.success(
            request,
            _(
                "De rol %(role)s voor %(username)s is aangevraagd. Een andere functioneel "
                "beheerder moet die goedkeuren."
            )
            % {"role": result.get_role_display(), "username": result.user.username},
        )
    else:
        messages.success(
            request,
            _("%(username)s heeft de rol %(role)s gekregen.")
            % {"role": result.get_role_display(), "username": result.user.username},
        )


def _grant_submitted(
    request: HttpRequest,
    form: PersonAddForm | RoleGrantForm,
    grant: Callable[[dict], Membership | RoleGrantRequest],
    *,
    added: str = "",
) -> HttpResponse | None:
    """A valid form sent, through ``grant`` (a service that gives a role or asks for it): back to
    the list with what happened (``added`` first, filled in with the form's fields), or None when
    the form or the service refused (their reasons stand on the form, shown again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = grant(form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    if added:
        messages.success(request, added % form.cleaned_data)
    _granted_message(request, result)
    return redirect("beheer:index")


@manager_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    roles = services.roles_for(request.actor.organisation.type)
    form = PersonAddForm(request.POST or None, roles=roles)
    done = _grant_submitted(
        request,
        form,
        lambda data: services.person_add(actor=request.actor, **data),
        added=_("%(username)s is toegevoegd."),
    )
    return done or form_page(
        request, "accounts/beheer/person_add.html", {"form": form}, refused=form.errors
    )


@manager_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    person = found_or_404(
        person_for(actor=request.actor, user_id=user_id),
        _("Deze persoon werkt niet voor uw organisatie."),
    )
    held = {m.role for m in person.active_memberships}
    roles = [r for r in services.roles_for(request.actor.organisation.type) if r not in held]
    if person.user.pk == request.actor.user.pk:  # never oneself a role that sees children
        roles = [r for r in roles if not services.is_child_data_role(r)]
    form = RoleGrantForm(request.POST or None, roles=roles)
    done = _grant_submitted(
        request,
        form,
        lambda data: services.role_grant(
            actor=request.actor,
            user=person.user,
            organisation=request.actor.organisation,
            role=data["role"],
        ),
    )
    return done or form_page(
        request,
        "accounts/beheer/role_grant.html",
        {"form": form, "person": person, "roles": roles},
        refused=form.errors,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = found_or_404(
        membership_for(actor=request.actor, pk=pk), _("Deze rol hoort niet bij uw organisatie.")
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.membership_revoke(actor=request.actor, membership=membership)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("De rol %(role)s van %(username)s is ingetrokken.")
                % {"role": membership.get_role_display(), "username": membership.user.username},
            )
            return redirect("beheer:index")
    return form_page(
        request,
        "accounts/beheer/membership_revoke.html",
        {"membership": membership, "errors": errors},
        refused=errors,
    )


@manager_required
@require_POST
def role_request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """A second functioneel beheerder approves or refuses a role that sees children. Who asked
    for it, and who would get it, are refused (403); another organisation's request is 404."""
    grant_request = found_or_404(
        role_grant_request_for(actor=request.actor, pk=pk),
        _("Deze aanvraag hoort niet bij uw organisatie."),
    )
    approve = decision == "goedkeuren"
    try:
        services.role_grant_decide(
            actor=request.actor, grant_request=grant_request, approve=approve
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        values = {"role": grant_request.get_role_display(), "username": grant_request.user.username}
        messages.success(
            request,
            (
                _("De rol %(role)s voor %(username)s is goedgekeurd en toegekend.")
                if approve
                else _("De rol %(role)s voor %(username)s is geweigerd.")
            )
            % values,
        )
    return redirect("beheer:index")


@manager_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a person's second factor (a lost phone): they set it up again at the next login."""
    person = person_for(actor=request.actor, user_id=user_id)
    if person is None or not person.active_memberships:
        raise Http404(_("Deze persoon werkt niet voor uw organisatie."))
    if request.method == "POST":
        login_services.second_factor_reset(actor=request.actor, user=person.user)
        messages.success(
            request,
            _(
                "De tweede factor van %(username)s is hersteld: bij de volgende keer inloggen stelt "
                "%(username)s een nieuwe in."
            )
            % {"username": person.user.username},
        )
        return redirect("beheer:index")
    return render(request, "accounts/beheer/second_factor_reset.html", {"person": person})


@manager_required
@require_http_methods(["GET", "POST"])
def organisation_contact(request: HttpRequest) -> HttpResponse:
    """How others reach the organisation: address, phone and e-mail (for a gemeente: the
    leerplicht team's, shown with the concerns Inbeeld registers itself)."""
    organisation = request.actor.organisation
    form = OrganisationContactForm(
        request.POST or None,
        initial={
            "address": organisation.contact_address,
            "phone": organisation.contact_phone,
            "email": organisation.contact_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_contact_update(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("De contactgegevens zijn opgeslagen."))
            return redirect("beheer:index")
    return form_page(
        request, "accounts/beheer/organisation_contact.html", {"form": form}, refused=form.errors
    )
