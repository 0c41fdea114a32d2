from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.actor is None:
        return redirect("accounts:choose_organisation")
    return render(request, "attendance/home.html", {})
