"""One's own login: changing the password, the second step of the login, setting up a second
factor (authenticator app with a QR code, recovery codes, passkeys) and a password reset by e-mail.

Every change goes through ``accounts.login_services`` and is audited there.
"""

from __future__ import annotations

import base64
import io

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from inbeeld.accounts import login_services
from inbeeld.accounts.client_ip import client_ip
from inbeeld.accounts.forms import (
    CodeForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
)
from inbeeld.accounts.models import User
from inbeeld.ui.forms import errors_to_form, form_page


def _next_url(request: HttpRequest) -> str:
    """The page the user was on their way to (only on this site), else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# ---------------------------------------------------------------------------------------------
# password


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; the first password a beheerder set must be changed here first."""
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_services.password_change(
                user=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay logged in (and verified)
            messages.success(request, _("Uw wachtwoord is gewijzigd."))
            return redirect(_next_url(request))
    return form_page(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        refused=form.errors,
    )


# ---------------------------------------------------------------------------------------------
# the second step of the login


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the authenticator app, a recovery code or a passkey."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not login_services.has_second_factor(request.user):
        return redirect("accounts:second_factor")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = login_services.second_factor_match(
            user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Deze code klopt niet, is al gebruikt of kwam te snel na een verkeerde code "
                "(dan moet u even wachten). Probeer het opnieuw."
            ),
        )
    return form_page(
        request,
        "accounts/second_factor_verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_passkey": WebAuthnCredential.objects.filter(
                user=request.user, confirmed=True
            ).exists(),
        },
        refused=form.errors,
    )


# ---------------------------------------------------------------------------------------------
# setting up a second factor


def _second_factor_page(request, *, form=None, codes=None, status=200) -> HttpResponse:
    user = request.user
    pending = login_services.pending_totp_device(user)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form or CodeForm(),
            "authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            "pending": pending,
            "pending_key": base64.b32encode(pending.bin_key).decode() if pending else "",
            "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
            "codes_left": login_services.recovery_codes_left(user),
            "new_codes": codes,
            "required": login_services.second_factor_required(getattr(request, "actor", None)),
            "verified": user.is_verified(),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """One's second factor: set up the authenticator app (scan, confirm with a first code), see
    and renew the recovery codes, register a passkey."""
    user = request.user
    if not user.is_verified() and login_services.has_second_factor(user):
        # someone who knows only the password cannot replace the second factor
        return redirect("accounts:second_factor_verify")
    if request.method == "GET":
        return _second_factor_page(request)
    action = request.POST.get("action")
    ip = client_ip(request)
    if action == "start":
        login_services.totp_device_start(user=user)
        next_url = request.POST.get("next", "")
        return redirect(
            resolve_url("accounts:second_factor")
            + (f"?{urlencode({'next': next_url})}" if next_url else "")
        )
    if action == "confirm":
        form = CodeForm(request.POST)
        if not form.is_valid():
            return _second_factor_page(request, form=form, status=400)
        try:
            device, codes = login_services.totp_device_confirm(
                user=user, code=form.cleaned_data["code"], ip=ip
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            return _second_factor_page(request, form=form, status=400)
        django_otp.login(request, device)
        return _second_factor_page(request, codes=codes)
    if action == "renew_codes":
        try:
            codes = login_services.recovery_codes_renew(user=user, ip=ip)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _second_factor_page(request, status=400)
        return _second_factor_page(request, codes=codes)
    return _second_factor_page(request, status=400)


@never_cache
@login_required
def second_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as SVG (its key is in it: never cached)."""
    if not request.user.is_verified() and login_services.has_second_factor(request.user):
        raise Http404
    device = login_services.pending_totp_device(request.user)
    if device is None:
        raise Http404(_("Er wordt geen authenticator-app ingesteld."))
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=2, title=_("QR-code voor uw authenticator-app")
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


# ---------------------------------------------------------------------------------------------
# password reset by e-mail


class ResetRequestForm(PasswordResetRequestForm, PasswordResetForm):
    """Django's reset form (it finds the active users with that address and mails each a link)
    with our field."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address is known."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    form_class = ResetRequestForm

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.INBEELD_BASE_URL.rstrip("/")}
        email = form.cleaned_data["email"]
        login_services.password_reset_requested(
            email=email, users_found=len(list(form.get_users(email))), ip=client_ip(self.request)
        )
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ResetNewPasswordForm(NewPasswordForm):
    """A new password after a reset link: checked here, written by the service."""

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                login_services.new_password_check(
                    self.user, cleaned.get("new_password", ""), cleaned.get("repeated", "")
                )
            except ValidationError as exc:
                errors_to_form(self, exc)
        return cleaned

    def save(self, commit: bool = True) -> User:
        return login_services.password_reset_complete(
            user=self.user,
            new_password=self.cleaned_data["new_password"],
            repeated=self.cleaned_data["repeated"],
            ip=getattr(self, "ip", None),
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetNewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        form.ip = client_ip(self.request)
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
