"""What every endpoint shares: who acts, which permissions, paging, the audit of reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable, ValuesIterable
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import PersonalToken
from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.errors import as_api_error
from inbeeld.api.schema import problems
from inbeeld.api.scopes import TokenScopeAccess
from inbeeld.api.throttling import TokenThrottled
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record, audit_record_refused, children_shown

API_VERSION = "1.0.0"
#: Largest integer a primary key can hold; larger path ids are simply not found.
MAX_ID = 2**63 - 1


def list_schema(*, operation_id: str, summary: str, filters: type, rows: type) -> Any:
    """The schema of a ``list``: its query parameters (the serializer ``filters``), a page of
    ``rows`` (a serializer) and the problems every list may answer."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[filters],
        responses={200: rows(many=True), **problems(400, 401, 403)},
    )


def retrieve_schema(*, operation_id: str, summary: str, one: Any) -> Any:
    """The schema of a ``retrieve``: ``one`` (a serializer) and the problems of one read."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        responses={200: one, **problems(401, 403, 404)},
    )


#: no list holds more rows than this; a larger offset is simply past the end
FAR_OFFSET = 2**31


class ApiPagination(LimitOffsetPagination):
    """Pages of ``limit`` rows from ``offset``, with the number of matches.

    The number comes from the view's ``counted`` when it has one (the screens' cached count, as
    for the meldingen), else from the page's own query (``COUNT(*) OVER ()``): a search that
    filters every pupil in scope then scans them once, not once to count and again for the page.
    A query whose rows a window would count wrongly (DISTINCT, a union) is counted apart."""

    default_limit = 100
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None):
        counted = getattr(view, "counted", None)
        offset = self.get_offset(request)
        # an offset past any table (the databases refuse one past 64 bits) is counted apart
        if counted is not None or not _windowable(queryset) or offset > FAR_OFFSET:
            self._counted = counted
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = offset
        page = list(
            queryset.annotate(_api_total=Window(Count("*")))[self.offset : self.offset + self.limit]
        )
        # past the last row the page has no row to carry the number
        self.count = _total(page[0]) if page else super().get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return page

    def get_count(self, queryset) -> int:
        counted = getattr(self, "_counted", None)
        return counted() if counted is not None else super().get_count(queryset)


def _windowable(rows: Any) -> bool:
    """Rows of a query that can carry their count: instances or dicts, no DISTINCT or union."""
    return (
        isinstance(rows, QuerySet)
        and rows._iterable_class in (ModelIterable, ValuesIterable)
        and not rows.query.distinct
        and not rows.query.combinator
    )


def _total(row: Any) -> int:
    return row["_api_total"] if isinstance(row, dict) else row._api_total


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
    #: where a listed row names its child: an attribute (or dict key) holding a Student or its id
    #: ("pk" on a student, "student_id" on most rows); ``list_response`` refuses to list without
    #: it, so no list shows children without an audit row per child (issue 9 finding 7)
    student_field: str = ""
    #: the selector of one row (``one``): ``found = staticmethod(selector)``, called with
    #: ``actor=`` and ``pk=``, answering None for a row out of the actor's sight
    found: Callable[..., Any]

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

    def object_id(self, kwarg: str = "") -> int:
        """The id the path gives (in ``kwarg``; the view's lookup when not named): 404 for one
        that cannot be an id."""
        raw = str(self.kwargs.get(kwarg or self.lookup_url_kwarg or self.lookup_field) or "")
        if not raw.isdigit() or int(raw) > MAX_ID:
            raise exceptions.NotFound()
        return int(raw)

    def validated(self, serializer_class: type) -> dict[str, Any]:
        """The request body, validated (400 per problem)."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def call(self, service: Callable[..., Any], **data: Any) -> Any:
        """``service`` for the actor, its refusals as the API's problems (403, 400)."""
        try:
            return service(actor=self.actor, **data)
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from None
        except DjangoValidationError as error:
            raise as_api_error(error) from None

    def one(self) -> Any:
        """The row the path names as the selector ``found`` answers it for the actor: 404 when it
        answers None (out of sight, or not there)."""
        obj = self.found(actor=self.actor, pk=self.object_id())
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def audit_view(self, obj: Any, *, student: Any, detail: dict[str, Any] | None = None) -> None:
        """The read of one object (or of a part of it) in the audit trail, naming its child."""
        audit_record(
            actor=self.actor,
            action=AuditAction.VIEW,
            summary=f"API {self.request.method} {self.request.path}",
            obj=obj,
            student=student,
            detail=detail,
        )

    def student_of(self, row: Any) -> Any:
        if isinstance(row, dict):
            return row.get(self.student_field)
        return getattr(row, self.student_field)

    def list_response(self, queryset, *, count: Callable[[], int] | None = None):
        """Page through a scoped queryset and record the read in the audit trail: the search
        (what was asked, how many came back) and one view per child on the page. ``count``: the
        number of rows as the screens count it (cached), when they do."""
        self.counted = count
        if not self.student_field:
            raise ImproperlyConfigured(
                f"{type(self).__name__}.student_field: say where a row names its child"
            )
        page = self.paginate_queryset(queryset)
        summary = f"API {self.request.method} {self.request.path}"
        page = children_shown(actor=self.actor, rows=page, student=self.student_of, summary=summary)
        data = self.get_serializer(page, many=True).data
        serializer = getattr(self, "_filter_serializer", None)
        audit_record(
            actor=self.actor,
            action=AuditAction.SEARCH,
            summary=summary,
            detail={
                "filters": dict(serializer.data) if serializer is not None else {},
                "count": len(page),
                "offset": self.paginator.offset,
            },
        )
        return self.get_paginated_response(data)

    def list_filtered(self, rows: QuerySet, *, order_by: tuple[str, ...] = (), **lookups: str):
        """``list_response`` for ``rows`` (already limited to what the actor may see) kept to the
        validated query parameters: each one named in ``lookups`` filters on its lookup
        (``student="student_id"``); then ordered by ``order_by``."""
        given = self.filters()
        for name, lookup in lookups.items():
            if name in given:
                rows = rows.filter(**{lookup: given[name]})
        return self.list_response(rows.order_by(*order_by) if order_by else rows)

    def handle_exception(self, exc):
        """A 404 for an id in the path is a refused attempt: recorded (the id asked for, never a
        child), answered exactly as for an id that does not exist."""
        if isinstance(exc, exceptions.NotFound | Http404) and self.kwargs.get(
            self.lookup_url_kwarg or "pk"
        ):
            actor = getattr(self.request, "actor", None)
            user = self.request.user if self.request.user.is_authenticated else None
            if actor is not None or user is not None:
                audit_record_refused(
                    actor=actor,
                    user=user,
                    object_type=f"api:{self.basename}",
                    object_id=str(self.kwargs.get(self.lookup_url_kwarg or "pk"))[:64],
                    summary=f"geweigerd: API {self.request.method} {self.request.path}"[:300],
                )
        return super().handle_exception(exc)


class SelectorListViewSet(ApiViewSet):
    # ``list``: what the selector ``listed(actor=..., **filters)`` answers for the validated query
    # parameters, paged, with the read audit (``list_response``). No docstring: the OpenAPI
    # document takes a view's docstring as the description of its operations.

    #: the selector, set as ``listed = staticmethod(selector)``
    listed: Callable[..., QuerySet]
    #: most rows name their child by id; a list of students says "pk"
    student_field = "student_id"

    def list(self, request):
        return self.list_response(self.listed(actor=self.actor, **self.filters()))


class ScopedReadViewSet(SelectorListViewSet):
    # ``list`` as SelectorListViewSet; ``retrieve``: what the selector ``found(actor=..., pk=...)``
    # answers for the id in the path (404 when it answers None: out of sight as unknown), its read
    # in the audit trail naming its child (``child_of``), shown by ``detail_serializer_class``
    # (``one`` and ``found``: ApiViewSet).
    # A viewset that only lists stays a SelectorListViewSet: a ``retrieve`` here gives every
    # subclass a detail route. (No docstrings on the actions: they would become the operations'
    # descriptions in the OpenAPI document.)

    #: the answer of ``retrieve``; ``serializer_class`` (``get_serializer_class``) when unset
    detail_serializer_class: type | None = None

    def child_of(self, obj: Any) -> Any:
        """The child one row is about (the audit row of ``retrieve`` names it)."""
        return obj.student

    def detail_data(self, obj: Any) -> Any:
        """What ``retrieve`` answers for ``obj``."""
        serializer = self.detail_serializer_class or self.get_serializer_class()
        return serializer(obj, context=self.get_serializer_context()).data

    def retrieve(self, request, pk=None):
        obj = self.one()
        self.audit_view(obj, student=self.child_of(obj))
        return Response(self.detail_data(obj))


def lib_doc_excludes() -> list[type]:
    """Where drf-spectacular stops looking for an endpoint's description (the setting
    ``GET_LIB_DOC_EXCLUDES``): DRF's classes (its default) and the shared bases of this module,
    whose docstrings describe the machinery, not the endpoint (without this, 39 operations were
    described as "What every API view shares")."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    shared = [
        value
        for value in globals().values()
        if isinstance(value, type) and value.__module__ == __name__
    ]
    return [*get_lib_doc_excludes(), *shared]
