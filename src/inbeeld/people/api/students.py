"""The registry over the API: students, enrolments, exemptions (reads, scoped by need-to-know)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import ScopedReadViewSet, SelectorListViewSet, list_schema, retrieve_schema
from inbeeld.people.labels import ARTICLE_LABELS
from inbeeld.people.models import Article, Enrolment, Exemption, Student
from inbeeld.people.selectors import (
    enrolments_listed,
    exemptions_listed,
    student_for,
    students_listed,
)

# -- serializers ---------------------------------------------------------------------------------


class StudentSerializer(serializers.ModelSerializer):
    student_id = serializers.CharField(
        source="external_id", read_only=True, help_text="The student_id of exchange format v1."
    )
    municipality = serializers.CharField(
        source="municipality_code", read_only=True, help_text="CBS code of the home municipality."
    )

    class Meta:
        model = Student
        fields = [
            "id",
            "student_id",
            "bsn",
            "onderwijsnummer",
            "given_names",
            "family_name",
            "birth_date",
            "municipality",
            "region",
            "postcode",
            "startkwalificatie_date",
            "kwalificatieplicht_exempt",
        ]
        read_only_fields = fields


class StudentFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        max_length=100,
        help_text=(
            "Every word part of a given or family name, or a whole student_id, BSN or "
            "onderwijsnummer (the search of the screens)."
        ),
    )
    student_id = serializers.CharField(required=False, max_length=64)
    bsn = serializers.CharField(required=False, max_length=9)
    municipality = serializers.CharField(
        required=False, max_length=6, help_text="CBS code of the home municipality (GM0014)."
    )
    brin = serializers.CharField(
        required=False, max_length=6, help_text="Currently enrolled at this school."
    )
    category = serializers.CharField(
        required=False, max_length=32, help_text="Status category of the latest detection run."
    )


class EnrolmentSerializer(serializers.ModelSerializer):
    brin = serializers.CharField(source="school.brin", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    hours_per_day = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text="The pupil's own timetable in hours per school day (RULES.md §7, e.g. a "
        "part-time return to school); null: the school's hours per day.",
    )

    class Meta:
        model = Enrolment
        fields = ["id", "student", "brin", "school_name", "start_date", "end_date", "hours_per_day"]
        read_only_fields = fields


class EnrolmentFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    brin = serializers.CharField(required=False, max_length=6)
    active_on = serializers.DateField(
        required=False, help_text="Only enrolments that run on this date."
    )


ARTICLE_HELP = "LPW article: " + "; ".join(
    f"{code}: {label}" for code, label in ARTICLE_LABELS.items()
)


class ExemptionSerializer(serializers.ModelSerializer):
    article = serializers.ChoiceField(
        choices=Article.choices, read_only=True, help_text=ARTICLE_HELP
    )
    kind = serializers.SerializerMethodField(
        help_text="vrijstelling, or vervangende_leerplicht for art. 3a/3b (RULES.md §7: never an "
        "exemption; the pupil stays under the absence rules)."
    )
    permanent = serializers.BooleanField(
        read_only=True,
        help_text="Art. 5 onder a only: 'nooit geschikt', does not lapse on 31 July.",
    )
    lapses_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The last day it runs: end_date, or for a 5a without end_date that is not "
        "permanent 31 July of the school year it starts in (RULES.md §7); null: until the duty "
        "ends.",
    )

    class Meta:
        model = Exemption
        fields = [
            "id",
            "student",
            "article",
            "kind",
            "start_date",
            "end_date",
            "permanent",
            "lapses_on",
        ]
        read_only_fields = fields

    def get_kind(self, obj: Exemption) -> str:
        return "vervangende_leerplicht" if obj.is_vervangende_leerplicht else "vrijstelling"


class ExemptionFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    article = serializers.ChoiceField(
        required=False, choices=Article.choices, help_text=ARTICLE_HELP
    )
    active_on = serializers.DateField(
        required=False,
        help_text="Only exemptions that run on this date (up to lapses_on).",
    )


# -- views ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=list_schema(
        operation_id="students_list",
        summary="The students the acting organisation may see",
        filters=StudentFilterSerializer,
        rows=StudentSerializer,
    ),
    retrieve=retrieve_schema(
        operation_id="students_retrieve",
        summary="One student",
        one=StudentSerializer,
    ),
)
@extend_schema(tags=["students"])
class StudentViewSet(ScopedReadViewSet):
    resource_family = ResourceFamily.STUDENTS
    serializer_class = StudentSerializer
    student_field = "pk"
    filter_serializer_class = StudentFilterSerializer
    permissions_needed = (Permission.VIEW_STUDENT,)
    queryset = Student.objects.none()  # for the schema; reads go through the selectors
    listed = staticmethod(students_listed)
    found = staticmethod(student_for)

    def child_of(self, student: Student) -> Student:
        return student


@extend_schema_view(
    list=list_schema(
        operation_id="enrolments_list",
        summary="Enrolments of the students the acting organisation may see",
        filters=EnrolmentFilterSerializer,
        rows=EnrolmentSerializer,
    ),
)
@extend_schema(tags=["enrolments"])
class EnrolmentViewSet(SelectorListViewSet):
    resource_family = ResourceFamily.STUDENTS
    serializer_class = EnrolmentSerializer
    filter_serializer_class = EnrolmentFilterSerializer
    permissions_needed = (Permission.VIEW_STUDENT,)
    queryset = Enrolment.objects.none()
    listed = staticmethod(enrolments_listed)


@extend_schema_view(
    list=list_schema(
        operation_id="exemptions_list",
        summary="Exemptions (vrijstellingen) of the students the acting organisation may see",
        filters=ExemptionFilterSerializer,
        rows=ExemptionSerializer,
    ),
)
@extend_schema(tags=["exemptions"])
class ExemptionViewSet(SelectorListViewSet):
    resource_family = ResourceFamily.EXEMPTIONS
    serializer_class = ExemptionSerializer
    filter_serializer_class = ExemptionFilterSerializer
    permissions_needed = (Permission.VIEW_STUDENT,)
    queryset = Exemption.objects.none()
    listed = staticmethod(exemptions_listed)
