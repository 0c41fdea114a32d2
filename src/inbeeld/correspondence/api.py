"""The contact log and the letters over the API: list within sight, add an entry, make a letter,
download its PDF. Like the screens, only the organisation that wrote an entry or a letter reads
it (``models``); every list records one view per child, a download an export of that child."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, ApiViewSet
from inbeeld.api.schema import problems
from inbeeld.correspondence import selectors, services
from inbeeld.correspondence.letters import SPECS
from inbeeld.correspondence.models import (
    ContactEntry,
    ContactKind,
    ContactWith,
    Letter,
    LetterKind,
)
from inbeeld.people.api.requests import StudentWrite


class ContactEntrySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    author = serializers.SerializerMethodField()
    is_corrected = serializers.BooleanField(
        read_only=True, help_text="A later entry corrects this one."
    )

    class Meta:
        model = ContactEntry
        fields = [
            "id",
            "student",
            "kind",
            "contact_with",
            "contact_name",
            "on",
            "summary",
            "corrects",
            "is_corrected",
            "letter",
            "organisation",
            "author",
        ]
        read_only_fields = fields

    def get_author(self, entry: ContactEntry) -> str:
        user = entry.author
        return (user.get_full_name() or user.username) if user is not None else ""


class ContactEntryCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Student id.")
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    contact_with = serializers.ChoiceField(choices=ContactWith.choices)
    contact_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Needed for 'anders'."
    )
    on = serializers.DateField(required=False, help_text="Default: today; never in the future.")
    summary = serializers.CharField(max_length=4000)
    corrects = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of an entry of the own organisation that this one corrects.",
    )


class StudentFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class LetterFilterSerializer(StudentFilterSerializer):
    kind = serializers.ChoiceField(required=False, choices=LetterKind.choices)


class LetterSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    data = serializers.JSONField(
        read_only=True, help_text="The facts and fields the letter was filled from, as stored."
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "student",
            "kind",
            "subject",
            "written_on",
            "organisation",
            "sha256",
            "data",
        ]
        read_only_fields = fields


def _fields_help() -> str:
    lines = []
    for kind, spec in SPECS.items():
        names = ", ".join(
            f"{f.name} ({f.kind}{'' if f.required else ', optional'})" for f in spec.fields
        )
        lines.append(f"- `{kind}`: {names}")
    return "\n".join(lines)


class LetterCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Student id.")
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="The fields the user fills in, per kind of letter (see the operation).",
    )


class _CorrespondenceViewSet(StudentWrite, ApiViewSet):
    # What the contact log and the letters share: their token scope, the permission to work on
    # cases, rows that name their child. (No docstring: StudentWrite's is the operations'
    # description in the OpenAPI document.)
    resource_family = ResourceFamily.CORRESPONDENCE
    permissions_needed = (Permission.WORK_ON_CASES,)
    student_field = "student_id"


@extend_schema_view(
    list=extend_schema(
        operation_id="contact_entries_list",
        summary="The contact log entries the acting organisation wrote",
        parameters=[StudentFilterSerializer],
        responses={200: ContactEntrySerializer(many=True), **problems(400, 401, 403)},
    ),
    create=extend_schema(
        operation_id="contact_entries_create",
        summary="Add an entry to a child's contact log (or correct one)",
        description=(
            "Entries are appended, never changed: a correction is a new entry naming the old one "
            "(`corrects`). Read only by the organisation that wrote it."
        ),
        request=ContactEntryCreateSerializer,
        responses={201: ContactEntrySerializer, **problems(400, 401, 403)},
    ),
)
@extend_schema(tags=["contact-entries"])
class ContactEntryViewSet(_CorrespondenceViewSet):
    serializer_class = ContactEntrySerializer
    filter_serializer_class = StudentFilterSerializer
    queryset = ContactEntry.objects.none()

    def list(self, request):
        return self.list_filtered(
            selectors.entries_visible_to(actor=self.actor), student="student_id"
        )

    def create(self, request):
        data = self.validated(ContactEntryCreateSerializer)
        entry = self.create_for_student(services.contact_entry_add, data)
        entry = selectors.entries_visible_to(actor=self.actor).get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        operation_id="letters_list",
        summary="The letters the acting organisation made",
        parameters=[LetterFilterSerializer],
        responses={200: LetterSerializer(many=True), **problems(400, 401, 403)},
    ),
    create=extend_schema(
        operation_id="letters_create",
        summary="Make a letter from its template, as PDF, kept with the child",
        description=(
            "Filled from what Inbeeld holds and the `fields` given; refused (400, a message per "
            "problem) when a field or a fact the letter needs is missing. The letter enters the "
            "contact log as a 'brief'. Fields per kind:\n\n" + _fields_help()
        ),
        request=LetterCreateSerializer,
        responses={201: LetterSerializer, **problems(400, 401, 403)},
    ),
)
@extend_schema(tags=["letters"])
class LetterViewSet(_CorrespondenceViewSet):
    serializer_class = LetterSerializer
    filter_serializer_class = LetterFilterSerializer
    queryset = Letter.objects.none()

    def list(self, request):
        return self.list_filtered(
            selectors.letters_visible_to(actor=self.actor), student="student_id", kind="kind"
        )

    def create(self, request):
        data = self.validated(LetterCreateSerializer)
        if not self.actor.can(SPECS[data["kind"]].permission):
            raise exceptions.PermissionDenied(
                _("Uw rol geeft geen toestemming om deze brief te maken.")
            )
        letter = self.create_for_student(services.letter_generate, data)
        return Response(self.get_serializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="letters_pdf",
        summary="The letter's PDF, as it was made",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **problems(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, pk=None):
        letter = services.letter_download(actor=self.actor, pk=self.object_id())
        if letter is None:
            raise exceptions.NotFound()
        response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
        return response
