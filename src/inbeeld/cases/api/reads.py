"""Cases over the API (issue 4 §8): the cases the acting organisation works on (list, one with
its team, plan, escalation steps and the proposal), and opening one. Scoped and audited like the
screens: the same selectors and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, ApiViewSet
from inbeeld.api.errors import as_api_error
from inbeeld.api.schema import problems
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.cases import selectors, services
from inbeeld.cases.models import Action, Case, EscalationStep, OpenedFrom, TeamMember
from inbeeld.cases.workflow import CaseState
from inbeeld.people.selectors import student_for

# -- serializers ---------------------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "username",
            "name",
            "organisation",
            "organisation_name",
            "role_in_case",
            "reason",
            "consent_basis",
            "added_on",
            "ended_on",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    owner_username = serializers.CharField(
        source="owner_user.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "description",
            "owner_organisation",
            "owner_username",
            "agreed_on",
            "due_date",
            "done_on",
        ]
        read_only_fields = fields


class EscalationStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationStep
        fields = [
            "id",
            "step",
            "on",
            "reason",
            "deciding_organisation",
            "deadline",
            "decision",
            "decided_on",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.Serializer):
    to_step = serializers.CharField(
        help_text="The next step on the ladder the application proposes."
    )
    reasons = serializers.ListField(child=serializers.CharField())


class CaseSerializer(serializers.ModelSerializer):
    student_id = serializers.CharField(
        source="student.external_id", read_only=True, help_text="The student_id of exchange v1."
    )
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    state = serializers.CharField(
        read_only=True, help_text="geopend, in_uitvoering, terug_op_school or afgesloten."
    )
    escalation_step = serializers.CharField(
        read_only=True,
        help_text="The current step: school_team, bovenschools_team, doorbraakoverleg, or empty.",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "student",
            "student_id",
            "state",
            "lead_organisation",
            "lead_organisation_name",
            "opened_on",
            "opened_from",
            "escalation_step",
            "relapse_count",
            "closed_on",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    team = TeamMemberSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    escalations = EscalationStepSerializer(many=True, read_only=True)
    proposal = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "team", "actions", "escalations", "proposal"]
        read_only_fields = fields

    @extend_schema_field(ProposalSerializer(allow_null=True))
    def get_proposal(self, case: Case) -> dict | None:
        proposal = selectors.proposal_for(case=case)
        if proposal is None:
            return None
        return {"to_step": proposal.to_step, "reasons": list(proposal.reasons)}


class CaseFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        required=False, choices=CaseState.choices, help_text="Only cases in this state."
    )
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class CaseCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of a student your organisation may see."
    )
    opened_from = serializers.ChoiceField(choices=OpenedFrom.choices)
    melding = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="The melding (finding) it is opened from; required with opened_from=melding.",
    )
    source_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CaseConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Er is al een open casus voor dit kind."
    default_code = "conflict"


# -- views ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        operation_id="cases_list",
        summary="The cases the acting organisation leads, is in the team of, or decides on",
        parameters=[CaseFilterSerializer],
        responses={200: CaseSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        operation_id="cases_retrieve",
        summary="One case, with its team, plan, escalation steps and the proposed next step",
        responses={200: CaseDetailSerializer, **problems(401, 403, 404)},
    ),
    create=extend_schema(
        operation_id="cases_create",
        summary="Open a case for a child, led by the acting organisation",
        request=CaseCreateSerializer,
        responses={
            201: OpenApiResponse(CaseDetailSerializer, description="The case is opened."),
            **problems(400, 401, 403, 409),
        },
    ),
)
@extend_schema(tags=["cases"])
class CaseViewSet(ApiViewSet):
    resource_family = ResourceFamily.CASES
    student_field = "student_id"
    serializer_class = CaseSerializer
    filter_serializer_class = CaseFilterSerializer
    queryset = Case.objects.none()

    def required_permissions(self):
        if self.action == "create":
            return (Permission.OPEN_CASE,)
        return (Permission.WORK_ON_CASES,)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseSerializer

    def list(self, request):
        f = self.filters()
        cases = selectors.cases_for(actor=self.actor)
        if "state" in f:
            cases = cases.filter(state=f["state"])
        if "student" in f:
            cases = cases.filter(student_id=f["student"])
        return self.list_response(cases.order_by("-opened_on", "-pk"))

    def retrieve(self, request, pk=None):
        case = selectors.case_for(actor=self.actor, pk=self.object_id())
        if case is None:
            raise exceptions.NotFound()
        audit_record(
            actor=self.actor,
            action=AuditAction.VIEW,
            summary=f"API {request.method} {request.path}",
            obj=case,
            student=case.student,
        )
        return Response(CaseDetailSerializer(case).data)

    def create(self, request):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        student = student_for(actor=self.actor, pk=data["student"])
        if student is None:
            raise serializers.ValidationError(
                {"student": ["onbekend, of uw organisatie mag dit kind niet zien"]}
            )
        melding = None
        if data.get("melding"):
            melding = (
                selectors.melding_choices_for(student=student).filter(pk=data["melding"]).first()
            )
            if melding is None:
                raise serializers.ValidationError(
                    {"melding": ["geen melding van dit kind met dit id"]}
                )
        try:
            case = services.case_open(
                actor=self.actor,
                student=student,
                opened_from=data["opened_from"],
                melding=melding,
                source_reference=data.get("source_reference", ""),
            )
        except services.CaseAlreadyOpenError as exc:
            raise CaseConflictError(exc.messages[0]) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise as_api_error(exc) from None
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)
