"""The cases API (issue 4 §8) under /api/v1/cases: the cases the acting organisation works on
(list, one with its team, plan, escalation steps and the proposal), opening one, and the writes of
a case as sub-resources under /api/v1/cases/{id}/.

Scoped and audited like the screens: the same selectors to read, and every write calls the
``cases.services`` function the screens call, so permissions, the audit trail and notifications
stay in one place. A case the acting organisation does not work on is ``404``; a write the service
refuses to it (a team member doing what only the lead may) is ``403``; what the service finds
invalid is ``400`` with ``invalidParams``; a transition the workflow refuses is ``409`` naming the
states the case can go to. Creating answers ``201`` with the created resource; a step on an
existing one (done, start, end, decision, ruling) ``200`` with the updated resource.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from inbeeld.accounts.permissions import Permission
from inbeeld.accounts.token_scopes import ResourceFamily
from inbeeld.api.base import MAX_ID, ApiViewSet
from inbeeld.api.errors import as_api_error
from inbeeld.api.schema import PROBLEM_JSON, problems
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.cases import selectors, services
from inbeeld.cases.api.serializers import (
    ActionCreateSerializer,
    ActionHandOverSerializer,
    ActionSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    DecisionSerializer,
    DisputeCreateSerializer,
    DisputeSerializer,
    EscalationCreateSerializer,
    EscalationStepSerializer,
    InterventionCreateSerializer,
    InterventionSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    OutcomeCreateSerializer,
    OutcomeSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferralStartSerializer,
    RulingSerializer,
    StateChangeSerializer,
    TeamMemberCreateSerializer,
    TeamMemberEndSerializer,
    TeamMemberSerializer,
    TransitionCreateSerializer,
    TransitionProblemSerializer,
)
from inbeeld.cases.models import Case
from inbeeld.cases.workflow import (
    CLOSE,
    CLOSED,
    FIRST_ACTION,
    OUTCOME,
    REOPEN,
    CaseFacts,
    Transition,
    available_transitions,
    refusal,
)
from inbeeld.people.selectors import student_for

# -- errors and helpers ---------------------------------------------------------------------------


class CaseConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Er is al een open casus voor dit kind."
    default_code = "conflict"


class TransitionRefusedError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Deze overgang is niet mogelijk."
    default_code = "transition"

    def __init__(self, detail: str, allowed_states: list[str]):
        super().__init__(detail)
        self.extensions = {"allowedStates": allowed_states}


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _call(write: Callable[[], Any], rename: dict[str, str] | None = None) -> Any:
    """Run a service write; its refusals as the API's problems (403, 400 with invalidParams)."""
    try:
        return write()
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        raise as_api_error(exc, rename) from None


def _member_id(value: Any) -> int:
    raw = str(value or "")
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise exceptions.NotFound()
    return int(raw)


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


def _created(description: str, serializer) -> dict:
    return {
        201: OpenApiResponse(serializer, description=description),
        **problems(400, 401, 403, 404),
    }


def _updated(description: str, serializer) -> dict:
    return {
        200: OpenApiResponse(serializer, description=description),
        **problems(400, 401, 403, 404),
    }


#: the transitions ``POST …/transitions`` makes, in the order ``allowedStates`` names them
TRANSITIONS_HERE = (CLOSE, REOPEN)
#: where the other transitions are made
ELSEWHERE = {
    OUTCOME: "Terug op school leg je vast met POST …/outcomes (datum en school).",
    FIRST_ACTION: "Het plan komt in uitvoering met de eerste actie (POST …/actions).",
}


def transition_targets(available: list[Transition]) -> list[str]:
    """The states ``POST …/transitions`` can move the case to now (of the workflow's available
    transitions): closing, and reopening after a relapse."""
    return [str(t.to) for via in TRANSITIONS_HERE for t in available if t.via == via]


def transition_refusal(facts: CaseFacts, to: str, on, available: list[Transition]) -> str:
    """The detail of the 409: the workflow's refusal, or where a possible transition is made."""
    elsewhere = {t.to: t.via for t in available if t.via not in TRANSITIONS_HERE}
    why = ELSEWHERE[elsewhere[to]] if to in elsewhere else refusal(facts, to, on)
    options = ", ".join(transition_targets(available)) or "geen"
    return f"{why} Mogelijk hier: {options}."


# -- the view -----------------------------------------------------------------------------------


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
        return self.list_response(
            selectors.case_search_for(
                actor=self.actor, state=f.get("state"), student=f.get("student")
            )
        )

    def retrieve(self, request, pk=None):
        case = self.case()
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
            melding = selectors.melding_for(student=student, pk=data["melding"])
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

    # -- one case and its sub-resources

    def case(self) -> Case:
        case = selectors.case_for(actor=self.actor, pk=self.object_id())
        if case is None:
            raise exceptions.NotFound()
        return case

    def row(self, find: Callable, case: Case, kwarg: str):
        """The part of the case the path names (``selectors.action_of`` etc.), or 404."""
        obj = find(case=case, pk=_member_id(self.kwargs.get(kwarg)))
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def lead_only(self, case: Case) -> None:
        """The steering writes (team, escalation, outcome, state) are the lead's: say so before
        the body is looked at, as the screens show their forms to the lead only. The service
        checks it again."""
        _call(lambda: services.require_lead(self.actor, case))

    def body(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # -- the team

    @extend_schema(
        operation_id="cases_team_members_create",
        summary="Add a professional to the team (the lead organisation)",
        description=(
            "With the reason and the basis (consent or legal task) it rests on. Their "
            "organisation then sees the child; they get a notification."
        ),
        request=TeamMemberCreateSerializer,
        responses=_created("Added to the team.", TeamMemberSerializer),
    )
    @action(detail=True, methods=["post"], url_path="team-members")
    def team_members(self, request, pk=None):
        case = self.case()
        self.lead_only(case)
        data = self.body(TeamMemberCreateSerializer)
        membership = selectors.candidate_membership(
            actor=self.actor, username=data["username"], organisation=data["organisation"]
        )
        if membership is None:
            raise _invalid(
                "username",
                "geen professional in een casusrol bij deze organisatie, of geen organisatie "
                "waarmee uw organisatie samenwerkt",
            )
        member = _call(
            lambda: services.team_member_add(
                actor=self.actor,
                case=case,
                user=membership.user,
                organisation=membership.organisation,
                role_in_case=data["role_in_case"],
                reason=data["reason"],
                consent_basis=data["consent_basis"],
            ),
            rename={"user": "username"},
        )
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_team_members_end",
        summary="End a membership of the team (the lead organisation)",
        description=(
            "The membership stays in the history with its end date (there is no DELETE); the "
            "organisation's sight of the child through it ends the same day."
        ),
        parameters=[_path("member_id", "The id of the team membership.")],
        request=TeamMemberEndSerializer,
        responses=_updated("The membership, ended.", TeamMemberSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"team-members/(?P<member_id>[0-9]+)/end")
    def team_members_end(self, request, pk=None, member_id=None):
        case = self.case()
        self.lead_only(case)
        member = self.row(selectors.team_member_of, case, "member_id")
        data = self.body(TeamMemberEndSerializer)
        member = _call(
            lambda: services.team_member_end(
                actor=self.actor, member=member, reason=data.get("reason", "")
            )
        )
        return Response(TeamMemberSerializer(member).data)

    # -- the plan

    @extend_schema(
        operation_id="cases_actions_create",
        summary="Add an agreed action to the plan (the first sets the plan in motion)",
        request=ActionCreateSerializer,
        responses=_created("The action.", ActionSerializer),
    )
    @action(detail=True, methods=["post"], url_path="actions")
    def actions(self, request, pk=None):
        case = self.case()
        data = self.body(ActionCreateSerializer)
        owner_user = None
        if data.get("owner_username"):
            member = selectors.team_member_named(case=case, username=data["owner_username"])
            if member is None:
                raise _invalid("owner_username", "niemand in het team met deze gebruikersnaam")
            owner_user = member.user
        owner_organisation = None
        if data.get("owner_organisation"):
            owner_organisation = selectors.organisation_named(pk=data["owner_organisation"])
            if owner_organisation is None:
                raise _invalid("owner_organisation", "onbekende organisatie")
        item = _call(
            lambda: services.action_add(
                actor=self.actor,
                case=case,
                description=data["description"],
                due_date=data["due_date"],
                owner_organisation=owner_organisation,
                owner_user=owner_user,
            ),
            rename={"owner": "owner_organisation"},
        )
        return Response(ActionSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_actions_done",
        summary="Mark an action done (it stays in the plan)",
        parameters=[_path("action_id", "The id of the action.")],
        request=None,
        responses=_updated("The action, done today.", ActionSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_id>[0-9]+)/done")
    def actions_done(self, request, pk=None, action_id=None):
        case = self.case()
        item = self.row(selectors.action_of, case, "action_id")
        item = _call(lambda: services.action_done(actor=self.actor, action=item))
        return Response(ActionSerializer(item).data)

    @extend_schema(
        operation_id="cases_actions_hand_over",
        summary="Hand an open action over to an organisation or person (it stays in the plan)",
        description=(
            "A handed-over action no longer keeps the case from being closed; the plan and the "
            "timeline say to whom it went."
        ),
        parameters=[_path("action_id", "The id of the action.")],
        request=ActionHandOverSerializer,
        responses=_updated("The action, handed over.", ActionSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_id>[0-9]+)/hand-over")
    def actions_hand_over(self, request, pk=None, action_id=None):
        case = self.case()
        item = self.row(selectors.action_of, case, "action_id")
        data = self.body(ActionHandOverSerializer)
        item = _call(
            lambda: services.action_hand_over(
                actor=self.actor, action=item, to=data["to"], on=data.get("on")
            )
        )
        return Response(ActionSerializer(item).data)

    # -- meetings, referrals, interventions

    @extend_schema(
        operation_id="cases_meetings_create",
        summary="Record a meeting: who was there, the views of child and parents, decisions",
        request=MeetingCreateSerializer,
        responses=_created("The meeting.", MeetingSerializer),
    )
    @action(detail=True, methods=["post"], url_path="meetings")
    def meetings(self, request, pk=None):
        case = self.case()
        data = self.body(MeetingCreateSerializer)
        team = {m.user.username: m.user for m in selectors.active_team(case)}
        unknown = [name for name in data.get("attendees", []) if name not in team]
        if unknown:
            raise _invalid("attendees", f"niet in het team: {', '.join(unknown)}")
        meeting = _call(
            lambda: services.meeting_record(
                actor=self.actor,
                case=case,
                kind=data["kind"],
                held_on=data["held_on"],
                attendees=[team[name] for name in data.get("attendees", [])],
                other_attendees=data.get("other_attendees", ""),
                child_view=data.get("child_view", ""),
                parents_view=data.get("parents_view", ""),
                decisions=data.get("decisions", ""),
                next_date=data.get("next_date"),
            )
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_referrals_create",
        summary="Record a referral (wijkteam, jeugdhulp, jeugd-ggz, special education)",
        request=ReferralCreateSerializer,
        responses=_created("The referral.", ReferralSerializer),
    )
    @action(detail=True, methods=["post"], url_path="referrals")
    def referrals(self, request, pk=None):
        case = self.case()
        data = self.body(ReferralCreateSerializer)
        referral = _call(
            lambda: services.referral_request(
                actor=self.actor,
                case=case,
                kind=data["kind"],
                requested_on=data["requested_on"],
                provider=data.get("provider", ""),
                blocks_return=data["blocks_return"],
            )
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_referrals_start",
        summary="Record that the help of a referral started",
        parameters=[_path("referral_id", "The id of the referral.")],
        request=ReferralStartSerializer,
        responses=_updated("The referral, started.", ReferralSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"referrals/(?P<referral_id>[0-9]+)/start")
    def referrals_start(self, request, pk=None, referral_id=None):
        case = self.case()
        referral = self.row(selectors.referral_of, case, "referral_id")
        data = self.body(ReferralStartSerializer)
        referral = _call(
            lambda: services.referral_started(
                actor=self.actor, referral=referral, on=data.get("on")
            )
        )
        return Response(ReferralSerializer(referral).data)

    @extend_schema(
        operation_id="cases_interventions_create",
        summary="Record an intervention (transport, digital education, part-time timetable, …)",
        request=InterventionCreateSerializer,
        responses=_created("The intervention.", InterventionSerializer),
    )
    @action(detail=True, methods=["post"], url_path="interventions")
    def interventions(self, request, pk=None):
        case = self.case()
        data = self.body(InterventionCreateSerializer)
        intervention = _call(
            lambda: services.intervention_add(
                actor=self.actor,
                case=case,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                description=data.get("description", ""),
            )
        )
        return Response(InterventionSerializer(intervention).data, status=status.HTTP_201_CREATED)

    # -- escalation

    @extend_schema(
        operation_id="cases_escalations_create",
        summary="Take the case a step up the ladder (the lead organisation)",
        description=(
            "With the reason, the organisation that decides (doorzettingsmacht), the person there "
            "who decides and a deadline. The team and the deciding organisation are notified."
        ),
        request=EscalationCreateSerializer,
        responses=_created("The escalation step.", EscalationStepSerializer),
    )
    @action(detail=True, methods=["post"], url_path="escalations")
    def escalations(self, request, pk=None):
        case = self.case()
        self.lead_only(case)
        data = self.body(EscalationCreateSerializer)
        deciding = selectors.organisation_working_with(
            actor=self.actor, pk=data["deciding_organisation"]
        )
        if deciding is None:
            raise _invalid(
                "deciding_organisation", "geen organisatie waarmee uw organisatie samenwerkt"
            )
        decider = selectors.decider_of(organisation=deciding, username=data["deciding_username"])
        if decider is None:
            raise _invalid(
                "deciding_username",
                "niemand bij deze organisatie met deze gebruikersnaam die mag beslissen",
            )
        step = _call(
            lambda: services.escalate(
                actor=self.actor,
                case=case,
                step=data["step"],
                reason=data["reason"],
                deciding_organisation=deciding,
                deciding_user=decider,
                deadline=data["deadline"],
            ),
            rename={"deciding_user": "deciding_username"},
        )
        return Response(EscalationStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_escalations_decision",
        summary="Record the decision on an escalation step (the deciding organisation, or "
        'a team member "namens" the decider)',
        parameters=[_path("escalation_id", "The id of the escalation step.")],
        request=DecisionSerializer,
        responses=_updated("The escalation step, with its decision.", EscalationStepSerializer),
    )
    @action(
        detail=True, methods=["post"], url_path=r"escalations/(?P<escalation_id>[0-9]+)/decision"
    )
    def escalations_decision(self, request, pk=None, escalation_id=None):
        case = self.case()
        step = self.row(selectors.escalation_of, case, "escalation_id")
        data = self.body(DecisionSerializer)
        decider = None
        if data.get("on_behalf_of"):
            decider = selectors.decider_of(
                organisation=step.deciding_organisation, username=data["on_behalf_of"]
            )
            if decider is None:
                raise _invalid(
                    "on_behalf_of",
                    "niemand bij de beslissende organisatie met deze gebruikersnaam die mag "
                    "beslissen",
                )
        step = _call(
            lambda: services.escalation_decide(
                actor=self.actor,
                step=step,
                decision=data["decision"],
                on=data.get("decided_on"),
                on_behalf_of=decider,
            )
        )
        return Response(EscalationStepSerializer(step).data)

    # -- outcome and state

    @extend_schema(
        operation_id="cases_outcomes_create",
        summary="Record the return to school (the lead organisation): the case moves to monitoring",
        request=OutcomeCreateSerializer,
        responses=_created("The outcome.", OutcomeSerializer),
    )
    @action(detail=True, methods=["post"], url_path="outcomes")
    def outcomes(self, request, pk=None):
        case = self.case()
        self.lead_only(case)
        data = self.body(OutcomeCreateSerializer)
        school = None
        if data.get("school"):
            school = selectors.school_for(actor=self.actor, pk=data["school"])
            if school is None:
                raise _invalid("school", "geen school die uw organisatie ziet")
        outcome = _call(
            lambda: services.outcome_record(
                actor=self.actor,
                case=case,
                kind=data["kind"],
                returned_on=data["returned_on"],
                school=school,
                school_name=data.get("school_name", ""),
            ),
            rename={"__all__": "request"},
        )
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_transitions_create",
        summary="Close the case, or reopen it after a relapse (the lead organisation)",
        description=(
            '`{"to": "afgesloten", "closing_reason": …, "confirmed": true}` closes the case '
            "(not while an action is open: each done or handed over) and ends the team's "
            'memberships; `{"to": "in_uitvoering", "reason": '
            "…}` reopens a case back at school or closed, within twelve months of the return "
            "(a relapse, counted). The other steps have their own resources: the first action "
            "sets the plan in motion, an outcome records the return to school. A transition the "
            "case cannot make now is `409`, naming the states it can go to in `allowedStates`."
        ),
        request=TransitionCreateSerializer,
        responses={
            201: OpenApiResponse(StateChangeSerializer, description="The change of state."),
            (409, PROBLEM_JSON): OpenApiResponse(
                TransitionProblemSerializer,
                description="Not possible from the current state; `allowedStates` names the "
                "states that are.",
            ),
            **problems(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        case = self.case()
        self.lead_only(case)
        data = self.body(TransitionCreateSerializer)
        to = data["to"]
        on = timezone.localdate()
        facts = selectors.workflow_facts(case)
        available = available_transitions(facts, on)
        targets = transition_targets(available)
        if to not in targets:
            raise TransitionRefusedError(transition_refusal(facts, to, on, available), targets)
        if to == CLOSED:
            _call(
                lambda: services.case_close(
                    actor=self.actor,
                    case=case,
                    reason=data.get("closing_reason", ""),
                    reason_text=data.get("closing_reason_text", ""),
                    confirmed=data["confirmed"],
                ),
                rename={"reason": "closing_reason", "reason_text": "closing_reason_text"},
            )
        else:
            _call(
                lambda: services.case_reopen(
                    actor=self.actor, case=case, reason=data.get("reason", "")
                )
            )
        change = selectors.latest_state_change(case=case)
        return Response(StateChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    # -- disputes and notes

    @extend_schema(
        operation_id="cases_disputes_create",
        summary="Record an appeal to the geschillencommissie",
        request=DisputeCreateSerializer,
        responses=_created("The dispute.", DisputeSerializer),
    )
    @action(detail=True, methods=["post"], url_path="disputes")
    def disputes(self, request, pk=None):
        case = self.case()
        data = self.body(DisputeCreateSerializer)
        dispute = _call(
            lambda: services.dispute_lodge(
                actor=self.actor,
                case=case,
                subject=data["subject"],
                lodged_on=data.get("lodged_on"),
            )
        )
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_disputes_ruling",
        summary="Record the ruling of the geschillencommissie",
        parameters=[_path("dispute_id", "The id of the dispute.")],
        request=RulingSerializer,
        responses=_updated("The dispute, with its ruling.", DisputeSerializer),
    )
    @action(detail=True, methods=["post"], url_path=r"disputes/(?P<dispute_id>[0-9]+)/ruling")
    def disputes_ruling(self, request, pk=None, dispute_id=None):
        case = self.case()
        dispute = self.row(selectors.dispute_of, case, "dispute_id")
        data = self.body(RulingSerializer)
        dispute = _call(
            lambda: services.dispute_rule(
                actor=self.actor,
                dispute=dispute,
                ruling=data["ruling"],
                ruled_on=data.get("ruled_on"),
            )
        )
        return Response(DisputeSerializer(dispute).data)

    @extend_schema(
        operation_id="cases_notes_list",
        summary="The notes the acting organisation may read: the team's and its own",
        parameters=[
            OpenApiParameter("limit", int, OpenApiParameter.QUERY, description="Page size."),
            OpenApiParameter("offset", int, OpenApiParameter.QUERY, description="Start here."),
        ],
        responses={200: NoteSerializer(many=True), **problems(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], url_path="notes")
    def notes(self, request, pk=None):
        case = self.case()
        page = self.paginate_queryset(selectors.notes_for(actor=self.actor, case=case))
        audit_record(
            actor=self.actor,
            action=AuditAction.VIEW,
            summary=f"API {request.method} {request.path}",
            obj=case,
            student=case.student,
            detail={"count": len(page), "offset": self.paginator.offset},
        )
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_notes_create",
        summary="Write a note for the team, or for the own organisation only",
        request=NoteCreateSerializer,
        responses=_created("The note.", NoteSerializer),
    )
    @notes.mapping.post
    def notes_create(self, request, pk=None):
        case = self.case()
        data = self.body(NoteCreateSerializer)
        note = _call(
            lambda: services.note_add(
                actor=self.actor, case=case, text=data["text"], visibility=data.get("visibility")
            )
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
