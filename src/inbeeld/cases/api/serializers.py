"""The serializers of the cases API (issue 4 §8): what is shown of a case and its parts, and the
bodies of the writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inbeeld.api.base import MAX_ID
from inbeeld.api.schema import ProblemSerializer
from inbeeld.cases import selectors
from inbeeld.cases.causes import DESCRIPTION_LIMIT, Cause, cause_label
from inbeeld.cases.conflicts import conflict_of_case
from inbeeld.cases.disputes import DisputeBody, DisputeOutcome, DisputeParty, RulingFollowed
from inbeeld.cases.models import (
    Action,
    Case,
    CaseCause,
    ClosingReason,
    ConsentBasis,
    Dispute,
    DisputeChange,
    EscalationStep,
    Intervention,
    Meeting,
    Note,
    OpenedFrom,
    Outcome,
    Referral,
    StateChange,
    Step,
    TeamMember,
)
from inbeeld.cases.workflow import CaseState

# -- what is shown --------------------------------------------------------------------------------


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
            "handed_over_on",
            "handed_over_to",
        ]
        read_only_fields = fields


def _username(source: str, help_text: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"{source}.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=help_text,
    )


class EscalationStepSerializer(serializers.ModelSerializer):
    deciding_username = _username(
        "deciding_user", "The person of the deciding organisation named to decide."
    )
    decided_by_username = _username("decided_by", "Who recorded the decision.")
    decided_on_behalf_of_username = _username(
        "decided_on_behalf_of",
        'Who decided, when the decision was recorded "namens" them (else empty).',
    )

    class Meta:
        model = EscalationStep
        fields = [
            "id",
            "step",
            "on",
            "reason",
            "deciding_organisation",
            "deciding_username",
            "deadline",
            "decision",
            "decided_on",
            "decided_by_username",
            "decided_on_behalf_of_username",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.Serializer):
    to_step = serializers.CharField(
        help_text="The next step on the ladder the application proposes."
    )
    reasons = serializers.ListField(child=serializers.CharField())


class ReturnConflictSerializer(serializers.Serializer):
    reason = serializers.CharField()
    returned_on = serializers.DateField()
    detected_on = serializers.DateField(help_text="The date of the newest detection.")
    category = serializers.CharField(
        help_text="The detection's category: absoluut_verzuim or langdurig_relatief_verzuim."
    )
    since = serializers.DateField(allow_null=True)
    explanation = serializers.CharField(help_text="Why, in Dutch.")


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
    return_conflict = serializers.SerializerMethodField(
        help_text=(
            "A case terug_op_school while the newest detection still counts the child as a "
            "thuiszitter: the reason (detection_before_return, at_home_again, enrolment_missing, "
            "enrolment_starts_later, absence_after_return, import_after_detection, unexplained) "
            "and a Dutch explanation. Null when there is no conflict."
        )
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
            "closing_reason",
            "closing_reason_text",
            "return_conflict",
        ]
        read_only_fields = fields

    @extend_schema_field(ReturnConflictSerializer(allow_null=True))
    def get_return_conflict(self, case: Case) -> dict | None:
        conflict = conflict_of_case(case)
        return conflict.as_dict() if conflict is not None else None


class DisputeChangeSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    organisation = serializers.CharField(source="organisation.code", read_only=True, default=None)

    class Meta:
        model = DisputeChange
        fields = ["step", "on", "summary", "user", "organisation", "at"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    history = DisputeChangeSerializer(source="changes", many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "body",
            "applicant",
            "respondent",
            "subject",
            "lodged_on",
            "hearing_on",
            "ruling",
            "outcome",
            "ruled_on",
            "followed",
            "followed_on",
            "history",
        ]
        read_only_fields = fields


class CaseCauseSerializer(serializers.ModelSerializer):
    """A cause of the child's thuiszitten (issue 12 §6); open while ``ended_on`` is null."""

    cause_label = serializers.SerializerMethodField()

    class Meta:
        model = CaseCause
        fields = [
            "id",
            "cause",
            "cause_label",
            "description",
            "noted_on",
            "ended_on",
            "end_reason",
        ]
        read_only_fields = fields

    def get_cause_label(self, row: CaseCause) -> str:
        return cause_label(row.cause)


class CaseDetailSerializer(CaseSerializer):
    team = TeamMemberSerializer(many=True, read_only=True)
    causes = CaseCauseSerializer(
        many=True,
        read_only=True,
        help_text="The causes of the child's thuiszitten: open ones and ended ones (history).",
    )
    actions = ActionSerializer(many=True, read_only=True)
    escalations = EscalationStepSerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)
    proposal = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "team",
            "actions",
            "escalations",
            "disputes",
            "causes",
            "proposal",
        ]
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


# -- serializers of what is created --------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    attendees = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="username", help_text="Usernames of the team."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "held_on",
            "attendees",
            "other_attendees",
            "child_view",
            "parents_view",
            "decisions",
            "next_date",
            "organisation",
        ]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "kind", "provider", "requested_on", "started_on", "blocks_return"]
        read_only_fields = fields


class InterventionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Intervention
        fields = ["id", "kind", "start_date", "end_date", "description"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "kind", "returned_on", "school", "school_name"]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    author_username = serializers.CharField(
        source="author.username", read_only=True, allow_null=True, default=None
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Note
        fields = [
            "id",
            "text",
            "visibility",
            "written_on",
            "author_username",
            "organisation",
            "organisation_name",
        ]
        read_only_fields = fields


class StateChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StateChange
        fields = ["id", "from_state", "to_state", "on", "step", "reason"]
        read_only_fields = fields


# -- serializers of the bodies -------------------------------------------------------------------

_ID = {"min_value": 1, "max_value": MAX_ID}


class TeamMemberCreateSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, help_text="The professional to add (a case role at `organisation`)."
    )
    organisation = serializers.IntegerField(
        **_ID, help_text="Their organisation: one the acting organisation works with."
    )
    role_in_case = serializers.CharField(max_length=100, help_text="E.g. jeugdarts, mentor.")
    reason = serializers.CharField(max_length=300, help_text="Why this professional takes part.")
    consent_basis = serializers.ChoiceField(
        choices=ConsentBasis.choices, help_text="The consent or legal task sharing rests on."
    )


class TeamMemberEndSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ActionCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    due_date = serializers.DateField()
    owner_username = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="A member of the team."
    )
    owner_organisation = serializers.IntegerField(
        required=False,
        allow_null=True,
        **_ID,
        help_text="An organisation in the team; default: yours (or the owner's).",
    )


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Step.choices)
    held_on = serializers.DateField()
    attendees = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=100,
        help_text="Usernames of team members who were there.",
    )
    other_attendees = serializers.CharField(required=False, allow_blank=True, max_length=500)
    child_view = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    parents_view = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    decisions = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    next_date = serializers.DateField(required=False, allow_null=True)


class ReferralCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Referral.Kind.choices)
    requested_on = serializers.DateField()
    provider = serializers.CharField(required=False, allow_blank=True, max_length=200)
    blocks_return = serializers.BooleanField(
        required=False, default=True, help_text="The wait keeps the child from school."
    )


class ReferralStartSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Default: today.")


class InterventionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Intervention.Kind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CauseCreateSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=Cause.choices)
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=DESCRIPTION_LIMIT,
        help_text="Needed for 'anders'; a remark with any other cause.",
    )
    noted_on = serializers.DateField(
        required=False, help_text="Default: today; never in the future."
    )


class CauseEndSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    on = serializers.DateField(
        required=False,
        help_text="Default: today; not before the cause was recorded, never in the future.",
    )


class EscalationCreateSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices, help_text="Only up the ladder.")
    reason = serializers.CharField(max_length=2000)
    deciding_organisation = serializers.IntegerField(
        **_ID, help_text="An organisation the acting organisation works with."
    )
    deciding_username = serializers.CharField(
        max_length=150,
        help_text="The person there who decides: an active user of the deciding organisation "
        "whose role may decide (decide_escalation).",
    )
    deadline = serializers.DateField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=2000)
    on_behalf_of = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text='Record the decision "namens" this person (username of someone who can decide '
        "for the deciding organisation): only a member of the case team who may manage a case. "
        "Without it the deciding organisation records its own decision.",
    )
    decided_on = serializers.DateField(
        required=False,
        help_text="The date of the decision; required with on_behalf_of, default today.",
    )


class OutcomeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Outcome.Kind.choices)
    returned_on = serializers.DateField()
    school = serializers.IntegerField(
        required=False, allow_null=True, **_ID, help_text="A school your organisation sees."
    )
    school_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Or the name of the school."
    )


class NoteCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    visibility = serializers.ChoiceField(
        choices=Note.Visibility.choices,
        required=False,
        help_text="Default: team; for a GGD, eigen_organisatie.",
    )


class DisputeCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300)
    body = serializers.ChoiceField(
        choices=DisputeBody.choices,
        required=False,
        default=DisputeBody.GESCHILLENCOMMISSIE,
        help_text="Where the dispute is brought. Default: the Geschillencommissie passend "
        "onderwijs.",
    )
    applicant = serializers.ChoiceField(
        choices=DisputeParty.choices, required=False, help_text="Who brings it."
    )
    respondent = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Against whom (named)."
    )
    lodged_on = serializers.DateField(
        required=False, help_text="Submitted on. Default: today; never in the future."
    )


class HearingSerializer(serializers.Serializer):
    hearing_on = serializers.DateField(help_text="Not before the dispute was submitted.")


class RulingSerializer(serializers.Serializer):
    ruling = serializers.CharField(max_length=4000)
    outcome = serializers.ChoiceField(choices=DisputeOutcome.choices)
    ruled_on = serializers.DateField(
        required=False, help_text="Default: today; not before the hearing, never in the future."
    )


class FollowUpSerializer(serializers.Serializer):
    followed = serializers.ChoiceField(
        choices=RulingFollowed.choices, help_text="Was the ruling followed?"
    )
    on = serializers.DateField(
        required=False, help_text="Default: today; not before the ruling, never in the future."
    )


class TransitionCreateSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=CaseState.choices,
        help_text="afgesloten (close), or in_uitvoering after a relapse (reopen).",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Required for a relapse."
    )
    closing_reason = serializers.ChoiceField(
        choices=ClosingReason.choices,
        required=False,
        allow_blank=True,
        help_text="Required to close: why the case is closed.",
    )
    closing_reason_text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="The explanation; required with closing_reason=anders.",
    )
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) to close: the case is closed and the team's memberships end. "
        "Closing is refused (409) while an action of the plan is open (neither done nor handed "
        "over).",
    )


class ActionHandOverSerializer(serializers.Serializer):
    to = serializers.CharField(
        max_length=200, help_text="The organisation or person the action is handed over to."
    )
    on = serializers.DateField(required=False, help_text="Default: today.")


class TransitionProblemSerializer(ProblemSerializer):
    allowedStates = serializers.ListField(  # noqa: N815
        child=serializers.CharField(),
        help_text="The states this case can be moved to here now.",
    )
