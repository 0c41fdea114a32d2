"""School teams over the API, read only (/api/v1/school-teams, /api/v1/school-team-entries): the
teams the acting organisation is a member of (members, meetings; no child), and the children on
their lists while the actor sees them, one with its discussions (the minutes and views only where
the rule of case notes lets the actor read them). Any other id answers 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import (
    MAX_ID,
    ApiViewSet,
    ScopedReadViewSet,
    list_schema,
    retrieve_schema,
)
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.prevention import selectors
from inbeeld.prevention.models import (
    AgreedStep,
    ListEntry,
    SchoolTeam,
    TeamMeeting,
    TeamMember,
)


class SchoolTeamMemberSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    user = serializers.CharField(source="user.username", default="", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["id", "organisation", "organisation_name", "user", "role_in_team", "joined_on"]
        read_only_fields = fields


class SchoolTeamMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMeeting
        fields = ["id", "held_on", "subject"]
        read_only_fields = fields


class SchoolTeamSerializer(serializers.ModelSerializer):
    brin = serializers.CharField(source="school.brin", read_only=True)

    class Meta:
        model = SchoolTeam
        fields = ["id", "name", "brin", "location", "created_on"]
        read_only_fields = fields


class SchoolTeamDetailSerializer(SchoolTeamSerializer):
    members = serializers.SerializerMethodField()
    meetings = SchoolTeamMeetingSerializer(many=True, read_only=True)

    class Meta(SchoolTeamSerializer.Meta):
        fields = [*SchoolTeamSerializer.Meta.fields, "members", "meetings"]
        read_only_fields = fields

    def get_members(self, team: SchoolTeam) -> list[dict]:
        return SchoolTeamMemberSerializer(selectors.active_members(team), many=True).data


class SchoolTeamEntrySerializer(serializers.ModelSerializer):
    student = serializers.IntegerField(source="student_id", read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True)
    case = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)
    from_signal = serializers.CharField(source="proposal.signal", default="", read_only=True)

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "team",
            "student",
            "reason",
            "added_on",
            "ended_on",
            "end_reason",
            "from_signal",
            "case",
        ]
        read_only_fields = fields


class SchoolTeamStepSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="owner_organisation.code", read_only=True)

    class Meta:
        model = AgreedStep
        fields = ["description", "organisation", "due_date"]
        read_only_fields = fields


class SchoolTeamDiscussionSerializer(serializers.Serializer):
    discussed_on = serializers.DateField()
    meeting = serializers.IntegerField(allow_null=True)
    readable = serializers.BooleanField(help_text="False: the minutes are for another organisation")
    minutes = serializers.CharField()
    child_view = serializers.CharField()
    parents_view = serializers.CharField()
    consent = serializers.CharField()
    next_review = serializers.DateField(allow_null=True)
    causes = serializers.ListField(child=serializers.CharField())
    steps = SchoolTeamStepSerializer(many=True)


def _discussion(view: selectors.DiscussionView) -> dict:
    d = view.discussion
    hidden = not view.readable
    return {
        "discussed_on": d.discussed_on,
        "meeting": d.meeting_id,
        "readable": view.readable,
        "minutes": "" if hidden else d.minutes,
        "child_view": "" if hidden else d.child_view,
        "parents_view": "" if hidden else d.parents_view,
        "consent": d.consent,
        "next_review": d.next_review,
        "causes": [c.cause for c in d.causes.all()],
        "steps": d.steps.all(),
    }


class SchoolTeamEntryDetailSerializer(SchoolTeamEntrySerializer):
    discussions = SchoolTeamDiscussionSerializer(many=True, read_only=True)

    class Meta(SchoolTeamEntrySerializer.Meta):
        fields = [*SchoolTeamEntrySerializer.Meta.fields, "discussions"]
        read_only_fields = fields


class SchoolTeamFilterSerializer(serializers.Serializer):
    brin = serializers.CharField(required=False, max_length=6)


class SchoolTeamEntryFilterSerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(
        operation_id="school_teams_list",
        summary="The school teams the acting organisation is a member of (no children)",
        parameters=[SchoolTeamFilterSerializer],
        responses={200: SchoolTeamSerializer(many=True)},
    ),
    retrieve=retrieve_schema(
        operation_id="school_teams_retrieve",
        summary="One school team with its members and meetings",
        one=SchoolTeamDetailSerializer,
    ),
)
@extend_schema(tags=["school-teams"])
class SchoolTeamViewSet(ApiViewSet):
    resource_family = ResourceFamily.CASES
    permissions_needed = (Permission.WORK_ON_CASES,)
    serializer_class = SchoolTeamSerializer
    filter_serializer_class = SchoolTeamFilterSerializer
    queryset = SchoolTeam.objects.none()

    def list(self, request):
        teams = selectors.teams_for(actor=self.actor)
        brin = self.filters().get("brin")
        if brin:
            teams = teams.filter(school__brin=brin)
        page = self.paginate_queryset(teams)
        audit_record(
            actor=self.actor,
            action=AuditAction.SEARCH,
            summary=f"API {request.method} {request.path}",
            detail={"count": len(page)},
        )
        return self.get_paginated_response(SchoolTeamSerializer(page, many=True).data)

    found = staticmethod(selectors.team_for)

    def retrieve(self, request, pk=None):
        # a team names no child: no audit row for its read
        return Response(SchoolTeamDetailSerializer(self.one()).data)


@extend_schema_view(
    list=list_schema(
        operation_id="school_team_entries_list",
        summary="The children on the lists of the acting organisation's school teams",
        filters=SchoolTeamEntryFilterSerializer,
        rows=SchoolTeamEntrySerializer,
    ),
    retrieve=retrieve_schema(
        operation_id="school_team_entries_retrieve",
        summary="One child on a school team's list, with its discussions",
        one=SchoolTeamEntryDetailSerializer,
    ),
)
@extend_schema(tags=["school-teams"])
class SchoolTeamEntryViewSet(ScopedReadViewSet):
    resource_family = ResourceFamily.CASES
    permissions_needed = (Permission.WORK_ON_CASES,)
    serializer_class = SchoolTeamEntrySerializer
    filter_serializer_class = SchoolTeamEntryFilterSerializer
    listed = staticmethod(selectors.entries_listed)
    found = staticmethod(selectors.entry_for)
    queryset = ListEntry.objects.none()

    def detail_data(self, entry: ListEntry) -> dict:
        data = SchoolTeamEntrySerializer(entry).data
        data["discussions"] = SchoolTeamDiscussionSerializer(
            [_discussion(v) for v in selectors.discussions_of(actor=self.actor, entry=entry)],
            many=True,
        ).data
        return data
