"""Absences (read, and bulk create for school administration systems) and findings over the API."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import ApiViewSet
from inbeeld.api.schema import problems
from inbeeld.attendance import selectors
from inbeeld.attendance.absences_bulk import (
    CREATED,
    UNCHANGED,
    UPDATED,
    AbsenceBatchRefusedError,
    AbsenceRow,
    absence_batch_problems,
    absences_bulk_save,
)
from inbeeld.attendance.detection import STATUS_FIELDS
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import (
    AbsenceRecord,
    Melding,
    MeldingState,
    StudentStatus,
)
from inbeeld.people.labels import reason_choices_text
from inbeeld.people.models import Reason, Student

MAX_BATCH = 1000
#: RULES.md §3, §7: the reasons, with what luxe and 11a mean
REASON_HELP = (
    "ongeoorloofd, ziek, geoorloofd; luxe: luxe verzuim (unexcused leave around holidays, LPW "
    "art. 11 f / 13a; reported at once); 11a: a five-year-old kept home (LPW art. 11a: excused "
    "up to 10 hours a week)."
)
REASON_INVALID = 'onbekende reason "{input}": kies uit ' + reason_choices_text()
MAX_ID = 2**63 - 1
HUNDREDTH = Decimal("0.01")

# -- serializers ---------------------------------------------------------------------------------


class AbsenceSerializer(serializers.ModelSerializer):
    student_id = serializers.CharField(source="student.external_id", read_only=True)
    hours_per_day = serializers.DecimalField(
        max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True
    )

    class Meta:
        model = AbsenceRecord
        fields = [
            "id",
            "student",
            "student_id",
            "start_date",
            "end_date",
            "reason",
            "hours_per_day",
            "client_id",
            "updated_at",
        ]
        read_only_fields = fields


class AbsenceFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    reason = serializers.ChoiceField(
        required=False,
        choices=Reason.choices,
        help_text=REASON_HELP,
        error_messages={"invalid_choice": REASON_INVALID},
    )
    client_id = serializers.CharField(
        required=False, max_length=100, help_text="Sent by your organisation."
    )
    date_from = serializers.DateField(required=False, help_text="Absences ending on or after.")
    date_to = serializers.DateField(required=False, help_text="Absences starting on or before.")


class HoursField(serializers.DecimalField):
    """Hours per day: more than two decimals are accepted and rounded to hundredths."""

    def validate_precision(self, value):
        if value.adjusted() >= self.max_digits - self.decimal_places:
            self.fail("max_whole_digits", max_whole_digits=self.max_digits - self.decimal_places)
        return super().validate_precision(value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


class AbsenceBulkItemSerializer(serializers.Serializer):
    client_id = serializers.CharField(
        max_length=100,
        help_text="Your own id of this absence: sending it again changes nothing, "
        "sending it with other data corrects the absence.",
    )
    student_id = serializers.CharField(
        max_length=64, help_text="The student_id of exchange format v1."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=Reason.choices,
        help_text=REASON_HELP,
        error_messages={"invalid_choice": REASON_INVALID},
    )
    hours_per_day = HoursField(
        max_digits=4,
        decimal_places=2,
        min_value=HUNDREDTH,
        max_value=Decimal(24),
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text="Hours absent per school day; empty: the school's hours per day.",
    )

    def validate(self, attrs):
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["end_date ligt voor start_date"]})
        return attrs


class AbsenceBulkRowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the array sent, from 0.")
    client_id = serializers.CharField()
    id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=[CREATED, UPDATED, UNCHANGED])


class AbsenceBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    results = AbsenceBulkRowResultSerializer(many=True)


class StudentStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudentStatus
        fields = ["on_date", *STATUS_FIELDS]
        read_only_fields = fields


#: the rules a melding can have (RULES.md §4, §7 and the absoluut-verzuim melding), with their label
MELDING_RULES = list(RULE_LABELS.items())


class MeldingSerializer(serializers.ModelSerializer):
    rule = serializers.ChoiceField(choices=MELDING_RULES, read_only=True)
    brin = serializers.CharField(source="school.brin", read_only=True, allow_null=True)
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True
    )

    class Meta:
        model = Melding
        fields = [
            "id",
            "rule",
            "start_date",
            "end_date",
            "hours",
            "brin",
            "explanation",
            "state",
            "closing_reason",
            "created_at",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    """What detection found for one student: the status and the meldingen."""

    student = serializers.IntegerField(source="pk", read_only=True)
    student_id = serializers.CharField(source="external_id", read_only=True)
    status = serializers.SerializerMethodField()
    meldingen = MeldingSerializer(many=True, read_only=True, source="routed_meldingen")

    class Meta:
        model = Student
        fields = ["student", "student_id", "status", "meldingen"]
        read_only_fields = fields

    @extend_schema_field(StudentStatusSerializer(allow_null=True))
    def get_status(self, student: Student) -> dict | None:
        try:
            found = student.status
        except StudentStatus.DoesNotExist:
            return None
        return StudentStatusSerializer(found).data


class FindingFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    category = serializers.CharField(required=False, max_length=32)
    over_3_months = serializers.BooleanField(required=False, allow_null=True, default=None)
    rule = serializers.ChoiceField(
        required=False,
        choices=MELDING_RULES,
        help_text="Only students with a melding of this rule.",
    )
    state = serializers.ChoiceField(
        required=False,
        choices=MeldingState.choices,
        help_text="Only students with a melding in this state.",
    )


class AssigneeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class WorklistMeldingSerializer(MeldingSerializer):
    """A melding of the worklist: the child, the state and to whom it is assigned."""

    student = serializers.IntegerField(source="student_id", read_only=True)
    student_id = serializers.CharField(source="student.external_id", read_only=True)
    school = serializers.IntegerField(source="school_id", read_only=True, allow_null=True)
    assignee = AssigneeSerializer(read_only=True, allow_null=True)

    class Meta(MeldingSerializer.Meta):
        fields = [
            "id",
            "student",
            "student_id",
            *MeldingSerializer.Meta.fields[1:],
            "school",
            "assignee",
        ]
        read_only_fields = fields


class MeldingFilterSerializer(serializers.Serializer):
    """The worklist's filters, read by ``selectors.melding_filters_from`` (as the screen reads
    them): a parameter that cannot be read is a 400 naming it."""

    rule = serializers.ChoiceField(required=False, choices=MELDING_RULES)
    school = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The school's id."
    )
    age_from = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=selectors.MAX_AGE,
        help_text="The child's age on the melding's end date, at least.",
    )
    age_to = serializers.IntegerField(
        required=False, min_value=0, max_value=selectors.MAX_AGE, help_text="… at most."
    )
    state = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "Repeatable: "
            + ", ".join(f"`{value}`" for value in MeldingState.values)
            + f"; `{selectors.STATE_ALL}`: every state. Default: open and in_behandeling."
        ),
    )
    assignee = serializers.CharField(
        required=False, help_text="`me`, `none` (assigned to nobody) or a user's id."
    )
    end_from = serializers.DateField(required=False, help_text="End date on or after.")
    end_to = serializers.DateField(required=False, help_text="End date on or before.")

    def to_internal_value(self, data):
        filters, errors = selectors.melding_filters_from(data)
        if errors:
            raise serializers.ValidationError({name: [text] for name, text in errors.items()})
        return {"parsed": filters}

    def to_representation(self, instance):
        return dict(instance["parsed"].query())


class CaseloadRowSerializer(serializers.Serializer):
    assignee = AssigneeSerializer(source="person", allow_null=True, help_text="null: nobody.")
    in_team = serializers.BooleanField(
        help_text="False: no longer handles meldingen for this organisation (to reassign)."
    )
    open = serializers.IntegerField(source="new", help_text="State open (nieuw).")
    in_behandeling = serializers.IntegerField(source="in_progress")
    total = serializers.IntegerField()


# -- views ---------------------------------------------------------------------------------------

#: one row; the schema shows it inside the array
_BULK_EXAMPLE = {
    "client_id": "sis-2025-000123",
    "student_id": "S000042",
    "start_date": "2025-10-06",
    "end_date": "2025-10-10",
    "reason": "ongeoorloofd",
    "hours_per_day": 5,
}


@extend_schema_view(
    list=extend_schema(
        operation_id="absences_list",
        summary="Absences of the students the acting organisation may see",
        parameters=[AbsenceFilterSerializer],
        responses={200: AbsenceSerializer(many=True), **problems(400, 401, 403)},
    ),
    create=extend_schema(
        operation_id="absences_bulk_create",
        summary="Send absences in bulk (school administration systems)",
        description=(
            "A JSON array of absences, each with your own `client_id`. Idempotent: a client_id "
            "your organisation sent before with the same data is reported `unchanged`; with other "
            "data it is `updated`. The batch is checked as a whole first: when any row is wrong "
            "nothing is stored and the answer (400, application/problem+json) names each row "
            "and field in `invalidParams` (e.g. `[3].end_date`). "
            f"At most {MAX_BATCH} rows per request."
        ),
        request=AbsenceBulkItemSerializer(many=True, min_length=1, max_length=MAX_BATCH),
        responses={
            200: OpenApiResponse(AbsenceBulkResultSerializer, description="Nothing new created."),
            201: OpenApiResponse(
                AbsenceBulkResultSerializer, description="At least one absence created."
            ),
            **problems(400, 401, 403, 409),
        },
        examples=[OpenApiExample("One absence", value=_BULK_EXAMPLE, request_only=True)],
    ),
)
@extend_schema(tags=["absences"])
class AbsenceViewSet(ApiViewSet):
    resource_family = ResourceFamily.ABSENCES
    student_field = "student_id"
    serializer_class = AbsenceSerializer
    filter_serializer_class = AbsenceFilterSerializer
    queryset = AbsenceRecord.objects.none()

    def required_permissions(self):
        if self.action == "create":
            return (Permission.VIEW_STUDENT, Permission.IMPORT_DATA)
        return (Permission.VIEW_STUDENT,)

    def list(self, request):
        absences = selectors.absences_for(actor=self.actor, **self.filters())
        return self.list_response(absences)

    def create(self, request):
        rows = self._rows(request.data)
        try:
            results = absences_bulk_save(actor=self.actor, rows=rows)
        except AbsenceBatchRefusedError as refused:
            raise _refusal(len(rows), refused.problems) from None
        except IntegrityError:
            raise ConflictError() from None
        counts = {k: sum(r.result == k for r in results) for k in (CREATED, UPDATED, UNCHANGED)}
        body = AbsenceBulkResultSerializer(
            {**counts, "results": [r.__dict__ for r in results]}
        ).data
        return Response(body, status=status.HTTP_201_CREATED if counts[CREATED] else 200)

    def _rows(self, data) -> list[AbsenceRow]:
        """Check every row's fields, then the batch as a whole; refuse it all on any problem."""
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(
                {"request": ["verwacht een JSON-array met ten minste één verzuimregel"]}
            )
        if len(data) > MAX_BATCH:
            raise serializers.ValidationError(
                {"request": [f"ten hoogste {MAX_BATCH} verzuimregels per verzending"]}
            )
        errors: dict[int, dict] = {}
        rows: list[AbsenceRow] = []
        for index, item in enumerate(data):
            item_serializer = AbsenceBulkItemSerializer(data=item)
            if item_serializer.is_valid():
                rows.append(AbsenceRow(index=index, **item_serializer.validated_data))
            else:
                errors[index] = item_serializer.errors
        if errors:
            # also report what the rows that are fine would run into
            for index, fields in absence_batch_problems(actor=self.actor, rows=rows).items():
                errors.setdefault(index, {}).update(fields)
            raise _refusal(len(data), errors)
        return rows


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Een gelijktijdige wijziging botste met deze verzending; stuur haar opnieuw."
    default_code = "conflict"


def _refusal(count: int, errors: dict[int, dict]) -> serializers.ValidationError:
    """A ValidationError shaped as a list per row, so invalidParams reads `[index].field`."""
    detail = [errors.get(index, {}) for index in range(count)]
    return serializers.ValidationError(detail)


@extend_schema_view(
    list=extend_schema(
        operation_id="findings_list",
        summary="What detection found, per student the acting organisation may see",
        description=(
            "Students with a status (RULES.md §5) or a melding (RULES.md §4). Meldingen: only "
            "those routed to the acting organisation (as in its worklist and on the child's page)."
        ),
        parameters=[FindingFilterSerializer],
        responses={200: FindingSerializer(many=True), **problems(400, 401, 403)},
    ),
)
@extend_schema(tags=["findings"])
class FindingViewSet(ApiViewSet):
    resource_family = ResourceFamily.FINDINGS
    student_field = "pk"
    serializer_class = FindingSerializer
    filter_serializer_class = FindingFilterSerializer
    permissions_needed = (Permission.VIEW_STUDENT,)
    queryset = Student.objects.none()

    def list(self, request):
        students = selectors.findings_for(actor=self.actor, **self.filters())
        return self.list_response(students)


@extend_schema_view(
    list=extend_schema(
        operation_id="meldingen_list",
        summary="The meldingen of the acting organisation's worklist, filtered",
        description=(
            "The same filters as the worklist screen (/meldingen/ takes the same query string "
            "and shows the same meldingen). Without `state`: the open ones (open, "
            "in_behandeling). A parameter that cannot be read is a 400 naming it."
        ),
        parameters=[MeldingFilterSerializer],
        responses={200: WorklistMeldingSerializer(many=True), **problems(400, 401, 403)},
    ),
    caseload=extend_schema(
        operation_id="meldingen_caseload",
        summary="The team's caseload: open meldingen per person, and those assigned to nobody",
        responses={200: CaseloadRowSerializer(many=True), **problems(401, 403)},
    ),
)
@extend_schema(tags=["meldingen"])
class MeldingViewSet(ApiViewSet):
    resource_family = ResourceFamily.FINDINGS
    student_field = "student_id"
    serializer_class = WorklistMeldingSerializer
    filter_serializer_class = MeldingFilterSerializer
    queryset = Melding.objects.none()

    def required_permissions(self):
        if self.action == "caseload":
            return (Permission.ASSIGN_MELDING,)
        return (Permission.VIEW_WORKLIST,)

    def list(self, request):
        filters = self.filters()["parsed"]
        return self.list_response(
            selectors.meldingen_filtered(actor=self.actor, filters=filters),
            count=lambda: selectors.meldingen_count(actor=self.actor, filters=filters),
        )

    @action(detail=False, methods=["get"], url_path="caseload")
    def caseload(self, request):
        rows = selectors.caseload_for(actor=self.actor)
        return Response(CaseloadRowSerializer(rows, many=True).data)
