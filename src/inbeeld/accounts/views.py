"""Logging in and out, choosing the organisation one acts for, one's own API tokens.

Each of these is recorded in the audit trail (who, organisation, when, what, ip)."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inbeeld.accounts import services
from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.decorators import actor_required
from inbeeld.accounts.forms import PersonalTokenForm
from inbeeld.accounts.middleware import SESSION_KEY
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.selectors import (
    organisations_of,
    personal_token_for,
    personal_tokens_of,
)
from inbeeld.ui.errors import found_or_404
from inbeeld.ui.forms import errors_to_form, form_page


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_record(user=form.get_user(), ip=client_ip(self.request))
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        services.login_failed_record(username=username, ip=client_ip(self.request))
        if getattr(self.request, "axes_locked_out", False):
            services.login_failed_record(
                username=username, ip=client_ip(self.request), locked_out=True
            )
        return super().form_invalid(form)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a login refused after too many failures (AXES_LOCKOUT_CALLABLE):
    the login page with a Dutch message, 429. The right password does not help until the
    cool-off has passed."""
    return render(
        request,
        "accounts/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": True,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


class LogoutView(auth_views.LogoutView):
    """Logging out (POST only), recorded before the session ends."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.logout_record(
                actor=getattr(request, "actor", None), user=request.user, ip=client_ip(request)
            )
        return super().post(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """A user working for several organisations chooses the one they act for."""
    organisations = organisations_of(user=request.user)
    error = None
    if request.method == "POST":
        try:
            organisation = services.acting_organisation_choose(
                user=request.user,
                organisation_id=request.POST.get("organisation"),
                ip=client_ip(request),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            request.session[SESSION_KEY] = organisation.pk
            return redirect("today:index")
    return form_page(
        request,
        "accounts/choose_organisation.html",
        {"organisations": organisations, "error": error},
        refused=error,
    )


@never_cache
@actor_required(Permission.USE_API)
@require_http_methods(["GET", "POST"])
def personal_tokens(request: HttpRequest) -> HttpResponse:
    """One's own personal API tokens: create one with its scopes and term (its key is shown once,
    on this response only); the list shows each token's scopes, expiry and state."""
    new_key = None
    form = PersonalTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.personal_token_create(
                actor=request.actor,
                name=form.cleaned_data["name"],
                scopes=form.scopes(),
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            form = PersonalTokenForm()
    return form_page(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": personal_tokens_of(actor=request.actor),
            "new_key": new_key,
            "now": timezone.now(),
        },
        refused=form.errors,
    )


@actor_required(Permission.USE_API)
@require_POST
def personal_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = found_or_404(
        personal_token_for(actor=request.actor, pk=pk),
        _("Dit token bestaat niet of is niet van u."),
    )
    with contextlib.suppress(ValidationError):  # already revoked: nothing left to do
        services.personal_token_revoke(actor=request.actor, token=token)
    return redirect("accounts:tokens")
