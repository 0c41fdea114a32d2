"""Leave requests (verlof, art. 13a and 14) over the API: list within scope, register, one request.

The law's assessment is part of every answer: the school days, who decides and why the request
cannot be granted (``refusals``), as stored when it was registered.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, list_schema, retrieve_schema
from inbeeld.api.schema import problems
from inbeeld.leave.models import Decider, LeaveKind, LeaveRequest, LeaveState
from inbeeld.leave.selectors import leave_request_for, leave_requests_visible_to, may_see_leave
from inbeeld.leave.services import leave_request_register
from inbeeld.people.api.requests import StudentRequestViewSet, with_history


class LeaveAssessmentSerializer(serializers.Serializer):
    school_days = serializers.IntegerField(help_text="School days in the period (school calendar).")
    decided_by = serializers.ChoiceField(
        choices=Decider.choices, help_text="Who decides: the school, or leerplicht (> 10 days)."
    )
    refusals = serializers.ListField(
        child=serializers.CharField(), help_text="Why it cannot be granted; empty when it can."
    )
    may_be_granted = serializers.BooleanField()


class LeaveRequestSerializer(serializers.ModelSerializer):
    brin = serializers.CharField(source="school.brin", read_only=True)
    assessment = serializers.SerializerMethodField()

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "student",
            "brin",
            "kind",
            "start_date",
            "end_date",
            "reason",
            "employer_statement",
            "requested_on",
            "assessment",
            "state",
            "decision_note",
            "decided_on",
        ]
        read_only_fields = fields

    @extend_schema_field(LeaveAssessmentSerializer)
    def get_assessment(self, leave: LeaveRequest) -> dict:
        return LeaveAssessmentSerializer(
            {
                "school_days": leave.school_days,
                "decided_by": leave.decider,
                "refusals": list(leave.refusals or []),
                "may_be_granted": not leave.refusals,
            }
        ).data


LeaveRequestDetailSerializer = with_history(LeaveRequestSerializer)


class LeaveRequestCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Student id.")
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Short; no medical details."
    )
    employer_statement = serializers.BooleanField(
        required=False, default=False, help_text="Holiday leave: the employer's statement."
    )


class LeaveRequestFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    state = serializers.ChoiceField(required=False, choices=LeaveState.choices)


@extend_schema_view(
    list=list_schema(
        operation_id="leave_requests_list",
        summary="Leave requests the acting organisation may see",
        filters=LeaveRequestFilterSerializer,
        rows=LeaveRequestSerializer,
    ),
    create=extend_schema(
        operation_id="leave_requests_create",
        summary="Register a leave request for a pupil of the acting school",
        description=(
            "The law is applied at once (art. 13a, 14): the answer holds the school days, who "
            "decides and why it cannot be granted. More than ten school days for weighty "
            "circumstances is forwarded to leerplicht."
        ),
        request=LeaveRequestCreateSerializer,
        responses={201: LeaveRequestSerializer, **problems(400, 401, 403)},
    ),
    retrieve=retrieve_schema(
        operation_id="leave_requests_retrieve",
        summary="One leave request, with the history of its state",
        one=LeaveRequestDetailSerializer,
    ),
)
@extend_schema(tags=["leave-requests"])
class LeaveRequestViewSet(StudentRequestViewSet):
    resource_family = ResourceFamily.LEAVE
    serializer_class = LeaveRequestSerializer
    detail_serializer_class = LeaveRequestDetailSerializer
    create_serializer_class = LeaveRequestCreateSerializer
    no_access_message = "Uw rol geeft geen toegang tot verlofaanvragen."
    filter_serializer_class = LeaveRequestFilterSerializer
    create_permission = Permission.REGISTER_LEAVE_REQUEST
    queryset = LeaveRequest.objects.none()

    may_see = staticmethod(may_see_leave)
    found = staticmethod(leave_request_for)
    register = staticmethod(leave_request_register)

    def list(self, request):
        self._check_may_see()
        return self.list_filtered(
            leave_requests_visible_to(actor=self.actor),
            order_by=("-requested_on", "-pk"),
            student="student_id",
            state="state",
        )
