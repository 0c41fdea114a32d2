from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inbeeld.accounts.middleware import SESSION_KEY
from inbeeld.accounts.selectors import organisations_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation(request: HttpRequest) -> HttpResponse:
    """A user working for several organisations chooses the one they act for."""
    organisations = organisations_of(user=request.user)
    if request.method == "POST":
        wanted = request.POST.get("organisation")
        for organisation in organisations:
            if str(organisation.pk) == wanted:
                request.session[SESSION_KEY] = organisation.pk
                return redirect("attendance:home")
    return render(request, "accounts/choose_organisation.html", {"organisations": organisations})
