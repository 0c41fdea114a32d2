"""What the request endpoints share (leave, vrijstelling): one request read, one registered.

A request belongs to one pupil the acting organisation may see; the law's checks run in the
app's service, whose refusals come back as the API's problems (403, 400).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from inbeeld.api.base import ApiViewSet
from inbeeld.api.errors import as_api_error
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Student
from inbeeld.people.selectors import students_visible_to


class RequestStateChangeSerializer(serializers.Serializer):
    """One move in a request's history (appended, never edited); the first is its registration."""

    from_state = serializers.CharField(help_text="Empty for the registration.")
    to_state = serializers.CharField()
    step = serializers.CharField(help_text="What the step is called (Dutch).")
    on = serializers.DateField(help_text="The day it counts from.")
    at = serializers.DateTimeField(help_text="When it was recorded.")
    organisation = serializers.CharField(
        source="organisation.code", default=None, allow_null=True, help_text="Who made it."
    )


def with_history(serializer: type[serializers.ModelSerializer]) -> type:
    """The detail of one request: ``serializer`` and the history of the request's state."""
    fields = [*serializer.Meta.fields, "history"]
    return type(
        serializer.__name__.removesuffix("Serializer") + "DetailSerializer",
        (serializer,),
        {
            "__module__": serializer.__module__,
            "__doc__": "One request, with the history of its state.",
            "history": RequestStateChangeSerializer(
                source="state_changes",
                many=True,
                read_only=True,
                help_text="Every change of the state, oldest first; the first is the registration.",
            ),
            "Meta": type(
                "Meta", (serializer.Meta,), {"fields": fields, "read_only_fields": fields}
            ),
        },
    )


class StudentRequestViewSet(ApiViewSet):
    student_field = "student_id"
    """``retrieve`` and ``create`` for requests about one pupil; ``list`` stays the app's own.

    A subclass names ``create_serializer_class`` (with a ``student`` id) and ``no_access_message``,
    and fills in ``may_see``, ``request_for`` and ``register``.
    """

    #: validates the body of ``create``; its ``student`` is the pupil's id
    create_serializer_class: type[serializers.Serializer]
    #: the answer of ``retrieve`` (one request, with its history); ``serializer_class`` if unset
    detail_serializer_class: type[serializers.Serializer] | None = None
    #: the 403 when the acting role may not see these requests at all
    no_access_message: str = ""

    def may_see(self) -> bool:
        raise NotImplementedError

    def request_for(self, pk: int) -> Any | None:
        """The request with this id, or None when it is not there for the actor."""
        raise NotImplementedError

    def register(self, *, student: Student, **data: Any) -> Any:
        """Register a request through the app's service (it checks permissions and the law)."""
        raise NotImplementedError

    def _check_may_see(self) -> None:
        if not self.may_see():
            raise exceptions.PermissionDenied(self.no_access_message)

    def retrieve(self, request, pk=None):
        self._check_may_see()
        item = self.request_for(self.object_id())
        if item is None:
            raise exceptions.NotFound()
        audit_record(
            actor=self.actor,
            action=AuditAction.VIEW,
            summary=f"API {request.method} {request.path}",
            obj=item,
            student=item.student,
        )
        serializer = self.detail_serializer_class or self.get_serializer_class()
        return Response(serializer(item, context=self.get_serializer_context()).data)

    def create(self, request):
        serializer = self.create_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        student = students_visible_to(actor=self.actor).filter(pk=data.pop("student")).first()
        if student is None:
            raise serializers.ValidationError({"student": ["onbekende leerling"]})
        try:
            item = self.register(student=student, **data)
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from None
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)
