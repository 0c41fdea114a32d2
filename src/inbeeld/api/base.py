"""What every endpoint shares: who acts, which permissions, paging, the audit of reads."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import PersonalToken
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.scopes import TokenScopeAccess
from inbeeld.api.throttling import TokenThrottled
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record

API_VERSION = "1.0.0"
#: Largest integer a primary key can hold; larger path ids are simply not found.
MAX_ID = 2**63 - 1


class ApiPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class ApiAccess(permissions.BasePermission):
    """An organisation to act for; USE_API for a token; the view's own permissions on top."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False  # DRF answers 401
        actor: Actor | None = getattr(request, "actor", None)
        if actor is None:
            raise exceptions.PermissionDenied(
                _("Kies eerst voor welke organisatie u werkt (alleen bij inloggen met een sessie).")
            )
        if isinstance(request.auth, PersonalToken) and not actor.can(Permission.USE_API):
            raise exceptions.PermissionDenied(_("Uw rol geeft geen toegang tot de API."))
        for permission in view.required_permissions():
            if not actor.can(permission):
                raise exceptions.PermissionDenied(
                    _("Uw rol geeft geen toestemming hiervoor (%(permission)s).")
                    % {"permission": permission.value}
                )
        return True


class ApiView:
    """What every API view shares: its resource family (what a token's scopes name), the token's
    scopes and the role's permissions checked, throttling per token, the API-Version header."""

    #: the family of resources this view belongs to; every API view names one (a test checks)
    resource_family: ResourceFamily
    permission_classes = [TokenScopeAccess, ApiAccess]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    @property
    def actor(self) -> Actor:
        return self.request.actor

    def throttled(self, request, wait):
        raise TokenThrottled(wait)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


class ApiViewSet(ApiView, viewsets.GenericViewSet):
    pagination_class = ApiPagination
    #: permissions needed for every action of this view (beyond ApiAccess)
    permissions_needed: tuple[Permission, ...] = ()
    #: serializer that validates the query parameters of ``list``
    filter_serializer_class: type | None = None

    def required_permissions(self) -> tuple[Permission, ...]:
        return self.permissions_needed

    def filters(self) -> dict[str, Any]:
        """The validated query parameters (400 as problem+json when one is bad)."""
        if self.filter_serializer_class is None:
            return {}
        serializer = self.filter_serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        self._filter_serializer = serializer
        return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}

    def object_id(self) -> int:
        raw = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not raw.isdigit() or int(raw) > MAX_ID:
            raise exceptions.NotFound()
        return int(raw)

    def list_response(self, queryset):
        """Page through a scoped queryset and record the read in the audit trail."""
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        serializer = getattr(self, "_filter_serializer", None)
        audit_record(
            actor=self.actor,
            action=AuditAction.SEARCH,
            summary=f"API {self.request.method} {self.request.path}",
            detail={
                "filters": dict(serializer.data) if serializer is not None else {},
                "count": len(page),
                "offset": self.paginator.offset,
            },
        )
        return self.get_paginated_response(data)
