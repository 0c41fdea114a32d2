"""Requests for vrijstelling over the API: list within scope, register, one request.

Not the register itself (that is ``exemptions``): these are the requests, with what the law says
against them (``problems``), the samenwerkingsverband's advice and the decision.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, list_schema, retrieve_schema
from inbeeld.api.schema import problems
from inbeeld.exemptions.models import ExemptionRequest, RequestState, SwvAdvice
from inbeeld.exemptions.selectors import (
    exemption_request_for,
    exemption_requests_visible_to,
    may_see_requests,
)
from inbeeld.exemptions.services import (
    JUSTIFICATION_MAX_LENGTH,
    exemption_request_decide,
    exemption_request_register,
)
from inbeeld.people.api.requests import StudentRequestViewSet, with_history
from inbeeld.people.api.students import ARTICLE_HELP
from inbeeld.people.models import Article


class SwvAdviceSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = SwvAdvice
        fields = ["organisation", "advice", "education_still_possible", "given_on"]
        read_only_fields = fields


class ExemptionRequestSerializer(serializers.ModelSerializer):
    problems = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why the law's conditions are not met, as checked at registration.",
    )
    advices = SwvAdviceSerializer(many=True, read_only=True)

    class Meta:
        model = ExemptionRequest
        fields = [
            "id",
            "student",
            "article",
            "requested_on",
            "start_date",
            "end_date",
            "statement_date",
            "statement_by_treating_professional",
            "renewal",
            "permanent",
            "attended_denomination_school_last_year",
            "problems",
            "state",
            "advices",
            "decision_note",
            "decision_justification",
            "decided_on",
            "exemption",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "decision_justification": {
                "help_text": "Why the vrijstelling was granted against the samenwerkingsverband's "
                "advice; empty when the decision follows it."
            }
        }


ExemptionRequestDetailSerializer = with_history(ExemptionRequestSerializer)


class ExemptionRequestCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Student id.")
    article = serializers.ChoiceField(choices=Article.choices, help_text=ARTICLE_HELP)
    requested_on = serializers.DateField(required=False, help_text="Default: today.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    statement_date = serializers.DateField(
        required=False, allow_null=True, help_text="5a: date of the expert statement."
    )
    statement_by_treating_professional = serializers.BooleanField(required=False, default=False)
    renewal = serializers.BooleanField(required=False, default=False)
    permanent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="5a only (art. 5 onder a): 'nooit geschikt', does not lapse on 31 July; "
        "refused on any other article.",
    )
    attended_denomination_school_last_year = serializers.BooleanField(required=False, default=False)


GRANT, REFUSE = "toekennen", "afwijzen"


class ExemptionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(GRANT, "grant"), (REFUSE, "refuse")],
        help_text="`toekennen` (grant; needs the samenwerkingsverband's advice) or `afwijzen`.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="The decision's explanation; required when refusing (the reason).",
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=JUSTIFICATION_MAX_LENGTH,
        help_text="Why the vrijstelling is granted against the samenwerkingsverband's advice "
        "(advice `onderwijs_mogelijk`, `met_aanpassingen` or `deels`): required then, refused "
        "otherwise. Kept with the decision, in its history row and in the beschikking.",
    )


class ExemptionRequestFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    state = serializers.ChoiceField(required=False, choices=RequestState.choices)
    article = serializers.ChoiceField(required=False, choices=Article.choices)


@extend_schema_view(
    list=list_schema(
        operation_id="exemption_requests_list",
        summary="Requests for vrijstelling the acting organisation may see",
        filters=ExemptionRequestFilterSerializer,
        rows=ExemptionRequestSerializer,
    ),
    create=extend_schema(
        operation_id="exemption_requests_create",
        summary="Register a request for vrijstelling (leerplicht, children of its municipality)",
        description="The law is checked at once (art. 5 onder a/b, 15, 3a): see `problems`. "
        "Refused (400): `permanent` on an article other than 5a (art. 5 onder a), art. 15 for a "
        "child who is not kwalificatieplichtig on start_date.",
        request=ExemptionRequestCreateSerializer,
        responses={201: ExemptionRequestSerializer, **problems(400, 401, 403)},
    ),
    retrieve=retrieve_schema(
        operation_id="exemption_requests_retrieve",
        summary="One request for vrijstelling, with the history of its state",
        one=ExemptionRequestDetailSerializer,
    ),
)
@extend_schema(tags=["exemption-requests"])
class ExemptionRequestViewSet(StudentRequestViewSet):
    resource_family = ResourceFamily.EXEMPTION_REQUESTS
    serializer_class = ExemptionRequestSerializer
    detail_serializer_class = ExemptionRequestDetailSerializer
    create_serializer_class = ExemptionRequestCreateSerializer
    no_access_message = "Uw rol geeft geen toegang tot vrijstellingsaanvragen."
    filter_serializer_class = ExemptionRequestFilterSerializer
    create_permission = Permission.REGISTER_EXEMPTION_REQUEST
    queryset = ExemptionRequest.objects.none()

    may_see = staticmethod(may_see_requests)
    found = staticmethod(exemption_request_for)
    register = staticmethod(exemption_request_register)

    def required_permissions(self):
        if self.action == "decision":
            return (Permission.DECIDE_EXEMPTION,)
        return super().required_permissions()

    def list(self, request):
        self._check_may_see()
        return self.list_filtered(
            exemption_requests_visible_to(actor=self.actor).prefetch_related(
                "advices__organisation"
            ),
            order_by=("-requested_on", "-pk"),
            student="student_id",
            state="state",
            article="article",
        )

    @extend_schema(
        operation_id="exemption_requests_decision",
        summary="Record leerplicht's decision on a request for vrijstelling",
        description=(
            "Grant (after the samenwerkingsverband's advice, when the law's conditions are met; "
            "the vrijstelling lands in the register) or refuse (with the reason in `note`). A "
            "grant against the advice needs a `justification`: without it `400` naming "
            "`justification`. A request already decided, or one the acting organisation may "
            "not decide, is refused with the reason."
        ),
        request=ExemptionDecisionSerializer,
        responses={
            200: OpenApiResponse(
                ExemptionRequestDetailSerializer, description="The request, with its decision."
            ),
            **problems(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="decision")
    def decision(self, request, pk=None):
        item = self.one()
        data = self.validated(ExemptionDecisionSerializer)
        item = self.call(
            exemption_request_decide,
            request=item,
            grant=data["decision"] == GRANT,
            note=data.get("note", ""),
            justification=data.get("justification", ""),
        )
        return Response(ExemptionRequestDetailSerializer(item).data)
