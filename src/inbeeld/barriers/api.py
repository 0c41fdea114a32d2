"""Barriers over the API (/api/v1/barriers): list within sight (filter by case, kind, state, open),
record one, one barrier with its history, and a change of its state. Only the organisations that
work on the case see or change a barrier; any other id answers 404 (in the path) or 400 (in a
body), as for an id that does not exist."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, ScopedReadViewSet, list_schema, retrieve_schema
from inbeeld.api.schema import problems
from inbeeld.barriers import selectors, services
from inbeeld.barriers.models import Barrier, BarrierChange
from inbeeld.barriers.workflow import BarrierKind, BarrierState, available


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class BarrierChangeSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.code", default="", read_only=True)

    class Meta:
        model = BarrierChange
        fields = ["from_state", "to_state", "on", "step", "note", "user", "organisation", "at"]
        read_only_fields = fields

    def get_user(self, change: BarrierChange) -> str:
        return _who(change.user)


class BarrierSerializer(serializers.ModelSerializer):
    student = serializers.IntegerField(source="case.student_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Barrier
        fields = [
            "id",
            "case",
            "student",
            "kind",
            "description",
            "provider",
            "state",
            "is_open",
            "started_on",
            "state_since",
            "ended_on",
        ]
        read_only_fields = fields


class BarrierDetailSerializer(BarrierSerializer):
    history = BarrierChangeSerializer(source="changes", many=True, read_only=True)
    next_states = serializers.SerializerMethodField(
        help_text="The states that may follow now (the workflow's table)."
    )

    class Meta(BarrierSerializer.Meta):
        fields = [*BarrierSerializer.Meta.fields, "next_states", "history"]
        read_only_fields = fields

    def get_next_states(self, barrier: Barrier) -> list[str]:
        return [to for to, _step in available(barrier.kind, barrier.state)]


class BarrierCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Case id.")
    kind = serializers.ChoiceField(choices=BarrierKind.choices)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Needed for 'anders'."
    )
    provider = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Who holds the waiting list or grants the transport.",
    )
    started_on = serializers.DateField(
        required=False, help_text="When it arose. Default: today; never in the future."
    )


class BarrierChangeCreateSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=BarrierState.choices,
        help_text="The new state; only one the workflow allows from the current one.",
    )
    on = serializers.DateField(
        required=False,
        help_text="Default: today; not before the latest change, never in the future.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class BarrierFilterSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(required=False, choices=BarrierKind.choices)
    state = serializers.ChoiceField(required=False, choices=BarrierState.choices)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=list_schema(
        operation_id="barriers_list",
        summary="Barriers of the cases the acting organisation works on",
        filters=BarrierFilterSerializer,
        rows=BarrierSerializer,
    ),
    create=extend_schema(
        operation_id="barriers_create",
        summary="Record what keeps a child of a case out of school",
        description="Transport (leerlingenvervoer) starts as `aangevraagd`, every other kind as "
        "`open`. Refused (400): a case that is closed, or not seen (as one that does not exist).",
        request=BarrierCreateSerializer,
        responses={201: BarrierDetailSerializer, **problems(400, 401, 403)},
    ),
    retrieve=retrieve_schema(
        operation_id="barriers_retrieve",
        summary="One barrier, with the states that may follow and its history",
        one=BarrierDetailSerializer,
    ),
)
@extend_schema(tags=["barriers"])
class BarrierViewSet(ScopedReadViewSet):
    resource_family = ResourceFamily.CASES
    permissions_needed = (Permission.WORK_ON_CASES,)
    serializer_class = BarrierSerializer
    filter_serializer_class = BarrierFilterSerializer
    listed = staticmethod(selectors.barrier_search_for)
    found = staticmethod(selectors.barrier_for)
    queryset = Barrier.objects.none()

    def child_of(self, barrier: Barrier):
        return barrier.case.student

    def detail_data(self, barrier: Barrier) -> dict:
        barrier = (
            selectors.barriers_for(actor=self.actor)
            .prefetch_related("changes__user", "changes__organisation")
            .get(pk=barrier.pk)
        )
        return BarrierDetailSerializer(barrier).data

    def create(self, request):
        data = self.validated(BarrierCreateSerializer)
        case = selectors.case_for(actor=self.actor, pk=data.pop("case"))
        if case is None:
            raise serializers.ValidationError(
                {"case": ["onbekend, of uw organisatie werkt niet aan deze casus"]}
            )
        barrier = self.call(services.barrier_add, case=case, **data)
        return Response(self.detail_data(barrier), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="barriers_changes_create",
        summary="Change the state of a barrier (appended to its history)",
        description="Leerlingenvervoer: aangevraagd → toegekend | geweigerd; toegekend → geregeld; "
        "geweigerd → aangevraagd (again) | bezwaar; bezwaar → toegekend | geweigerd. Other kinds: "
        "open → opgelost | vervallen. Any state that has not ended may lapse (vervallen).",
        request=BarrierChangeCreateSerializer,
        responses={200: BarrierDetailSerializer, **problems(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="changes")
    def changes(self, request, pk=None):
        barrier = self.one()
        data = self.validated(BarrierChangeCreateSerializer)
        barrier = self.call(services.barrier_change, barrier=barrier, **data)
        return Response(self.detail_data(barrier))
