"""Screens of the notifications app: the list, opening one (marks it read), e-mail settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inbeeld.accounts.decorators import actor_required
from inbeeld.notifications import selectors, services
from inbeeld.notifications.forms import EmailPreferencesForm
from inbeeld.notifications.models import NotificationKind

PAGE_SIZE = 25


@require_GET
@actor_required()
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "notifications/index.html", {"page": page})


@require_GET
@actor_required()
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's own notification read and go to what it is about (only within Inbeeld)."""
    notification = selectors.notification_of(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, notification=notification)
    target = notification.url
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return redirect(target)
    return redirect("notifications:index")


@require_POST
@actor_required()
def mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_read(user=request.user)
    messages.success(request, _("%(count)s berichten als gelezen gemarkeerd.") % {"count": marked})
    return redirect("notifications:index")


@require_http_methods(["GET", "POST"])
@actor_required()
def settings_view(request: HttpRequest) -> HttpResponse:
    """A checkbox per kind: also send it by e-mail."""
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            services.set_email_preferences(
                user=request.user,
                by_email={kind: form.cleaned_data[kind] for kind in NotificationKind.values},
            )
            messages.success(request, _("Uw instellingen voor e-mail zijn opgeslagen."))
            return redirect("notifications:settings")
    else:
        form = EmailPreferencesForm(initial=selectors.email_preferences_of(user=request.user))
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
