"""What the request endpoints share (leave, vrijstelling): one request read, one registered; and
what every write about one pupil shares (``StudentWrite``: also the contact log and the letters).

A request belongs to one pupil the acting organisation may see; the law's checks run in the
app's service, whose refusals come back as the API's problems (403, 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.api.base import ScopedReadViewSet
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
    note = serializers.CharField(
        help_text="The decision's explanation: the reason of a refusal, or why a request is "
        "niet-ontvankelijk. Empty for other steps."
    )
    justification = serializers.CharField(
        help_text="Why a decision departs from an advice (a vrijstelling granted against the "
        "samenwerkingsverband's advice); empty when it does not."
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


class StudentWrite:
    """Create: a child in the actor's sight (else 400, as for an id that does not exist), the
    service's refusals as 403 and 400."""

    # For an ApiViewSet that writes about one pupil (a request, a contact log entry, a letter):
    # the pupil in sight; the body validated and the service's refusals as the API's problems are
    # ApiViewSet's (``validated``, ``call``). (The
    # docstring above is what the contact log's and the letters' operations show as their
    # description in the OpenAPI document, as before; the request endpoints keep ApiView's.)

    def student_in_sight(self, student_id: int) -> Student:
        student = students_visible_to(actor=self.actor).filter(pk=student_id).first()
        if student is None:
            raise serializers.ValidationError({"student": ["onbekende leerling"]})
        return student

    def create_for_student(self, service: Callable[..., Any], data: dict[str, Any]) -> Any:
        """``service`` called for the pupil ``data`` names (in sight) and the rest of ``data``."""
        student = self.student_in_sight(data.pop("student"))
        return self.call(service, student=student, **data)


class StudentRequestViewSet(ScopedReadViewSet, StudentWrite):
    # ``retrieve`` (ScopedReadViewSet's) and ``create`` for requests about one pupil; ``list``
    # stays the app's own. A subclass names ``create_serializer_class`` (with a ``student`` id),
    # ``create_permission``, ``no_access_message`` and its app's functions: ``may_see``, ``found``
    # (selectors) and ``register`` (the service), each as ``staticmethod(function)``. (No
    # docstring: the OpenAPI document would take it as the description of the operations.)

    #: validates the body of ``create``; its ``student`` is the pupil's id
    create_serializer_class: type[serializers.Serializer]
    #: the 403 when the acting role may not see these requests at all
    no_access_message: str = ""
    #: what registering needs; reading is what ``may_see`` allows
    create_permission: Permission

    def required_permissions(self) -> tuple[Permission, ...]:
        return (self.create_permission,) if self.action == "create" else ()

    #: may the actor see these requests at all: ``may_see(actor)``
    may_see: Callable[[Actor], bool]
    #: the app's service that registers one (it checks permissions and the law):
    #: ``register(actor=, student=, **body)``
    register: Callable[..., Any]

    def _check_may_see(self) -> None:
        if not self.may_see(self.actor):
            raise exceptions.PermissionDenied(self.no_access_message)

    def one(self) -> Any:
        """The request the path names (403 when the role sees no requests, 404 out of sight)."""
        self._check_may_see()
        return super().one()

    def create(self, request):
        item = self.create_for_student(self.register, self.validated(self.create_serializer_class))
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)
