"""Concerns and matches over the API (issue 4 §1, §8): the acting organisation's concerns (list,
register one) and their matches. Never the content of a worry: there is none to send."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiExample,
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
from inbeeld.concerns import selectors, services
from inbeeld.concerns.models import Concern, Domain, Match, SystemReason

# -- serializers ---------------------------------------------------------------------------------


class ConcernSerializer(serializers.ModelSerializer):
    """One of the own organisation's concerns, as it registered it. ``student`` and ``student_id``
    only for a child the organisation may see anyway (its scope or a case team), else null:
    never whether Inbeeld knows the child (issue 9)."""

    student = serializers.SerializerMethodField(
        help_text="The id of the student, if your organisation may see the student; else null."
    )
    student_id = serializers.SerializerMethodField(
        help_text="The student_id of exchange v1, if your organisation may see the student."
    )
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    system_reason = serializers.ChoiceField(
        choices=[("", "(none)"), *SystemReason.choices],
        read_only=True,
        help_text="Why the system registered it (long absence); empty for a professional's.",
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "student",
            "student_id",
            "bsn",
            "birth_date",
            "organisation",
            "domain",
            "urgent",
            "contact_name",
            "contact_phone",
            "contact_email",
            "registered_on",
            "active_until",
            "system",
            "system_reason",
            "withdrawn_on",
        ]
        read_only_fields = fields

    @staticmethod
    def _in_sight(concern: Concern) -> bool:
        return bool(getattr(concern, "student_in_sight", False)) and concern.student is not None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_student(self, concern: Concern) -> int | None:
        return concern.student_id if self._in_sight(concern) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_student_id(self, concern: Concern) -> str | None:
        return concern.student.external_id if self._in_sight(concern) else None


class ConcernCreateSerializer(serializers.Serializer):
    """The request body, for the schema only: ``services.concern_register`` checks every field
    and reports all problems at once, the same whether or not the student is in Inbeeld."""

    student = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of a student your organisation may see; or give bsn and birth_date.",
    )
    bsn = serializers.RegexField(
        r"^[0-9]{9}$",
        required=False,
        help_text=(
            "With birth_date: any student. Stored as given and linked to the student if and when "
            "Inbeeld knows one with both; the answer is the same either way."
        ),
    )
    birth_date = serializers.DateField(required=False)
    domain = serializers.ChoiceField(choices=Domain.choices)
    urgent = serializers.BooleanField(required=False, default=False)
    contact_name = serializers.CharField(max_length=200)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class MatchOtherSerializer(serializers.Serializer):
    """Of the other side: who, the life domain, urgent or not, and how to reach them. No more."""

    organisation = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    urgent = serializers.BooleanField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    student = serializers.IntegerField(
        allow_null=True,
        help_text="The student of both concerns, if your organisation may see it; else null.",
    )
    concern = serializers.IntegerField(help_text="Your organisation's concern.")
    other = MatchOtherSerializer()


def _match_data(view: selectors.MatchView) -> dict:
    return {
        "id": view.id,
        "created_at": view.created_at,
        "student": view.own.student_id if view.in_sight else None,
        "concern": view.own.pk,
        "other": {
            "organisation": view.other_organisation,
            "domain": view.other_domain,
            "urgent": view.other_urgent,
            "contact_name": view.other_contact_name,
            "contact_phone": view.other_contact_phone,
            "contact_email": view.other_contact_email,
        },
    }


# -- views ---------------------------------------------------------------------------------------

_EXAMPLE = {
    "bsn": "123456782",
    "birth_date": "2012-03-01",
    "domain": "health",
    "urgent": False,
    "contact_name": "A. de Jong, jeugdarts",
    "contact_phone": "030 123 45 67",
}


@extend_schema_view(
    list=extend_schema(
        operation_id="concerns_list",
        summary="The acting organisation's active concerns",
        responses={200: ConcernSerializer(many=True), **problems(401, 403)},
    ),
    create=extend_schema(
        operation_id="concerns_create",
        summary="Register a concern about a student",
        description=(
            "That your organisation is involved and worried, in a life domain, normal or urgent, "
            "with contact details; never the content of the worry. Name the student by `student` "
            "(an id you may see) or by `bsn` with `birth_date`. Every field is checked first and "
            "all problems come at once; the answer is the same whether or not Inbeeld knows a "
            "student with that BSN and birth date, and a registration gives no sight of the "
            "student. When another organisation has an active concern about the same student, "
            "both are told at once who else is involved and how to reach them."
        ),
        request=ConcernCreateSerializer,
        responses={201: ConcernSerializer, **problems(400, 401, 403)},
        examples=[OpenApiExample("By BSN", value=_EXAMPLE, request_only=True)],
    ),
)
@extend_schema(tags=["concerns"])
class ConcernViewSet(ApiViewSet):
    resource_family = ResourceFamily.CONCERNS
    student_field = "student_id"
    serializer_class = ConcernSerializer
    permissions_needed = (Permission.REGISTER_CONCERN,)
    queryset = Concern.objects.none()

    def list(self, request):
        concerns = selectors.concerns_of(actor=self.actor).select_related("organisation")
        return self.list_response(concerns.order_by("-registered_on", "-id"))

    def create(self, request):
        data = request.data
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Stuur een JSON-object."]})
        try:
            concern = services.concern_register(
                actor=self.actor,
                student_id=data.get("student"),
                bsn=data.get("bsn"),
                birth_date=data.get("birth_date"),
                domain=data.get("domain"),
                urgent=data.get("urgent", False),
                contact_name=data.get("contact_name"),
                contact_phone=data.get("contact_phone", ""),
                contact_email=data.get("contact_email", ""),
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        shown = selectors.concern_of(actor=self.actor, pk=concern.pk)
        return Response(ConcernSerializer(shown).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        operation_id="matches_list",
        summary="Matches of the acting organisation's active concerns",
        description=(
            "Another organisation with an active concern about the same student: of it only "
            "its name, the life domain, whether it is urgent, and its contact details."
        ),
        responses={200: MatchSerializer(many=True), **problems(401, 403)},
    ),
)
@extend_schema(tags=["concerns"])
class MatchViewSet(ApiViewSet):
    resource_family = ResourceFamily.CONCERNS
    student_field = "student"
    serializer_class = MatchSerializer
    permissions_needed = (Permission.REGISTER_CONCERN,)
    queryset = Match.objects.none()

    def list(self, request):
        return self.list_response([_match_data(m) for m in selectors.matches_of(actor=self.actor)])
