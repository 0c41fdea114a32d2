"""View guards: who is acting, and may they do this?"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from inbeeld.accounts.permissions import Permission


def actor_required(permission: Permission | None = None) -> Callable:
    """Logged in (else to the login page), acting for an organisation (else to the choice) and,
    when given, holding ``permission`` there (else 403)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None:
                return redirect("accounts:choose_organisation")
            if permission is not None and not actor.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate
