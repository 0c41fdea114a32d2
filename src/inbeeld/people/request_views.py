"""What the screens of requests about a pupil share (leave, vrijstelling; issue 13): the list on
status with each child shown recorded, and the decision posted from a :class:`DecisionForm`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.audit.services import children_shown
from inbeeld.ui.forms import GRANT, DecisionForm, errors_to_form
from inbeeld.ui.lists import status_list


def request_list(
    request: HttpRequest,
    template: str,
    rows: QuerySet,
    states: list[tuple[str, str]],
    *,
    summary: str,
    **context: Any,
) -> HttpResponse:
    """The page ``template`` with a list of requests on status (``ui.lists.status_list``) and
    ``context``; every child in the list is recorded as shown (``summary`` names the list)."""
    listed = status_list(request, rows, states)
    listed["rows"] = children_shown(actor=request.actor, rows=listed["rows"], summary=summary)
    return render(request, template, {**listed, **context})


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
