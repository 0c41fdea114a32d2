"""The token's scopes at the API: every view names its resource family, and a request with a
personal token that its scopes do not cover is refused (403 naming the scope, audited).

A browser session carries no scopes: it is limited by the user's roles only (``ApiAccess``)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions

from inbeeld.accounts.models import PersonalToken
from inbeeld.accounts.services import personal_token_refused_record
from inbeeld.accounts.token_scopes import Access, ResourceFamily, allows, scope_name


class MissingScope(exceptions.PermissionDenied):
    default_detail = gettext_lazy("Het token mag dit niet.")

    def __init__(self, scope: str):
        super().__init__(
            _("Dit token heeft de scope %(scope)s niet. Maak een token aan met die scope.")
            % {"scope": scope}
        )
        self.extensions = {"missingScope": scope}


def requested_access(method: str) -> Access:
    return Access.READ if method in permissions.SAFE_METHODS else Access.WRITE


class TokenScopeAccess(permissions.BasePermission):
    """A personal token reaches the view's family only as far as its scopes say."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, PersonalToken):
            return True  # a session, or nobody (ApiAccess answers 401)
        family = getattr(view, "resource_family", None)
        if family not in set(ResourceFamily):
            raise ImproperlyConfigured(f"{type(view).__name__} names no resource_family")
        access = requested_access(request.method)
        if allows(token.scopes, family, access):
            return True
        scope = scope_name(family, access)
        actor = getattr(request, "actor", None)
        personal_token_refused_record(
            token=token,
            reason="scope",
            ip=getattr(actor, "ip", None),
            scope=scope,
            method=request.method,
            path=request.path,
        )
        raise MissingScope(scope)
