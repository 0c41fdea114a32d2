"""What the screens of requests about a pupil share (leave, vrijstelling; issue 13): the list page
on status with each child shown recorded (:func:`request_list_view`), and the decision posted from
a :class:`DecisionForm`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.decorators import actor_required
from inbeeld.audit.services import children_shown
from inbeeld.ui.forms import GRANT, DecisionForm, errors_to_form
from inbeeld.ui.lists import status_list


def request_list_view(
    *,
    may_see: Callable[[Actor], bool],
    template: str,
    rows: Callable[..., QuerySet],
    states: list[tuple[str, str]],
    summary: str,
    context: Callable[[Actor], dict[str, Any]],
) -> Callable[[HttpRequest], HttpResponse]:
    """The list page of an app's requests: for an actor who ``may_see`` them (else 403), the page
    ``template`` with the requests the actor sees (``rows(actor=…)``) on status
    (``ui.lists.status_list``) and the app's ``context(actor)``; every child in the list is
    recorded as shown (``summary`` names the list)."""

    @require_GET
    @actor_required()
    def index(request: HttpRequest) -> HttpResponse:
        actor = request.actor
        if not may_see(actor):
            raise PermissionDenied
        listed = status_list(request, rows(actor=actor), states)
        listed["rows"] = children_shown(actor=actor, rows=listed["rows"], summary=summary)
        return render(request, template, {**listed, **context(actor)})

    return index


def decide_from_form(
    request: HttpRequest,
    form: DecisionForm,
    decide: Callable[[bool, str], Any],
    *,
    url: str,
    grant_refused: type[ValidationError] | tuple[()] = (),
) -> HttpResponse | None:
    """The decision posted in ``form``, made by ``decide(grant, note)`` (the service): a redirect
    to the request's page (the route ``url``) with the new state, or None with the reasons on
    ``form``. The reasons of a ``grant_refused`` (the law forbids the grant) go with the decision
    ("Toekennen kan niet: …"); any other ValidationError goes where ``errors_to_form`` puts it."""
    if not form.is_valid():
        return None
    try:
        item = decide(form.cleaned_data["decision"] == GRANT, form.cleaned_data["note"])
    except grant_refused as error:
        form.add_error(
            "decision",
            [_("Toekennen kan niet: %(reason)s.") % {"reason": m} for m in error.messages],
        )
    except ValidationError as error:
        errors_to_form(form, error)
    else:
        messages.success(
            request, _("Besluit vastgelegd: %(state)s.") % {"state": item.get_state_display()}
        )
        return redirect(url, pk=item.pk)
    return None
