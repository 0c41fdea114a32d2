""" "Vandaag": the home page of everyone with work to do (the view only renders; the list is
assembled in :mod:`inbeeld.today.selectors`)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from inbeeld.accounts.decorators import actor_required
from inbeeld.attendance.consultation import has_consultation_list
from inbeeld.audit.services import audit_record_views
from inbeeld.today import selectors
from inbeeld.today.context_processors import MENU_COUNT_SECONDS


@require_GET
@actor_required()
def index(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not selectors.has_today(actor):
        # no work with children (a beleidsmedewerker, the privacy officer): the page of their own
        return redirect("attendance:home")
    today = selectors.today_for(actor=actor)
    # the menu on this page shows the number just counted (and the next pages reuse it)
    cache.set(selectors.menu_count_key(actor), today.total, MENU_COUNT_SECONDS)
    audit_record_views(
        actor=actor,
        students=[item.student_id for item in today.items],
        summary="vandaag",
        object_type="today",
    )
    return render(
        request,
        "today/index.html",
        {"today": today, "consultation": has_consultation_list(actor)},
    )
