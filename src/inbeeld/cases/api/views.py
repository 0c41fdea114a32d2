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

import functools
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
from inbeeld.api.base import ScopedReadViewSet
from inbeeld.api.errors import as_api_error
from inbeeld.api.schema import PROBLEM_JSON, problems
from inbeeld.cases import selectors, services
from inbeeld.cases.api.serializers import (
    ActionCreateSerializer,
    ActionHandOverSerializer,
    ActionSerializer,
    CaseCauseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    CauseCreateSerializer,
    CauseEndSerializer,
    DecisionSerializer,
    DisputeCreateSerializer,
    DisputeSerializer,
    EscalationCreateSerializer,
    EscalationStepSerializer,
    FollowUpSerializer,
    HearingSerializer,
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
    """Run a service write; its refusals as the API's problems (403, 400 with invalidParams, 409
    for a second open case)."""
    try:
        return write()
    except services.CaseAlreadyOpenError as exc:
        raise CaseConflictError(exc.messages[0]) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        raise as_api_error(exc, rename) from None


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


def _answers(code: int, description: str, serializer) -> dict:
    return {
        code: OpenApiResponse(serializer, description=description),
        **problems(400, 401, 403, 404),
    }


def _write(
    route: str | Callable,
    answer: type[serializers.Serializer],
    said: str = "",
    *,
    body: type[serializers.Serializer] | None,
    created: bool = True,
    lead: bool = False,
    row: tuple[Callable, str] | None = None,
    rename: dict[str, str] | None = None,
    **schema: Any,
) -> Callable:
    """A write of a case, posted to ``route`` (a path under the case, or a mapping of an existing
    action) and documented with ``schema``. The endpoint finds the case (404), asks the lead first
    where ``lead``, finds the ``row`` (the selector and path keyword of the part the path names,
    404), validates ``body`` (400), and runs the decorated method with the case (or the row) and
    the body: it calls the service and returns what was written, the service's refusals become
    the API's problems (``rename`` maps its field names). The answer: ``answer`` of what was
    written, ``201`` when ``created``, ``200`` for a step on an existing part; described by
    ``said`` unless ``schema`` names the responses itself."""
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    schema.setdefault("responses", _answers(code, said, answer))

    def decorate(write: Callable) -> Callable:
        @functools.wraps(write)
        def endpoint(self, request, **kwargs):
            case = self.one()
            if lead:
                self.lead_only(case)
            target = case if row is None else self.row(row[0], case, row[1])
            data = self.validated(body) if body is not None else {}
            written = _call(lambda: write(self, target, data), rename)
            return Response(answer(written).data, status=code)

        if isinstance(route, str):
            endpoint = action(detail=True, methods=["post"], url_path=route)(endpoint)
        else:
            endpoint = route(endpoint)
        return extend_schema(request=body, **schema)(endpoint)

    return decorate


def _step(
    path: str,
    find: Callable,
    what: str,
    answer: type[serializers.Serializer],
    said: str,
    *,
    body: type[serializers.Serializer] | None,
    **kwargs: Any,
) -> Callable:
    """A step on an existing part of the case (done, start, end, decision, ruling): a
    :func:`_write` posted to ``path`` under the case, whose one ``{name}`` is the part's id (the
    path parameter, described as the id of ``what``), found by ``find`` (404); ``200`` with the
    updated part."""
    before, rest = path.split("{")
    name, after = rest.split("}")
    return _write(
        f"{before}(?P<{name}>[0-9]+){after}",
        answer,
        said,
        body=body,
        created=False,
        row=(find, name),
        parameters=[_path(name, f"The id of {what}.")],
        **kwargs,
    )


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
class CaseViewSet(ScopedReadViewSet):
    resource_family = ResourceFamily.CASES
    serializer_class = CaseSerializer
    filter_serializer_class = CaseFilterSerializer
    queryset = Case.objects.none()
    listed = staticmethod(selectors.case_search_for)
    found = staticmethod(selectors.case_for)

    def required_permissions(self):
        if self.action == "create":
            return (Permission.OPEN_CASE,)
        return (Permission.WORK_ON_CASES,)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseSerializer

    def create(self, request):
        data = self.validated(CaseCreateSerializer)
        student = student_for(actor=self.actor, pk=data["student"])
        if student is None:
            raise _invalid("student", "onbekend, of uw organisatie mag dit kind niet zien")
        melding = None
        if data.get("melding"):
            melding = selectors.melding_for(student=student, pk=data["melding"])
            if melding is None:
                raise _invalid("melding", "geen melding van dit kind met dit id")
        case = _call(
            lambda: services.case_open(
                actor=self.actor,
                student=student,
                opened_from=data["opened_from"],
                melding=melding,
                source_reference=data.get("source_reference", ""),
            )
        )
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    # -- one case and its sub-resources

    def row(self, find: Callable, case: Case, kwarg: str):
        """The part of the case the path names (``selectors.action_of`` etc.), or 404."""
        obj = find(case=case, pk=self.object_id(kwarg))
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def lead_only(self, case: Case) -> None:
        """The steering writes (team, escalation, outcome, state) are the lead's: say so before
        the body is looked at, as the screens show their forms to the lead only. The service
        checks it again."""
        _call(lambda: services.require_lead(self.actor, case))

    # -- the team

    @_write(
        "team-members",
        TeamMemberSerializer,
        "Added to the team.",
        body=TeamMemberCreateSerializer,
        lead=True,
        rename={"user": "username"},
        operation_id="cases_team_members_create",
        summary="Add a professional to the team (the lead organisation)",
        description=(
            "With the reason and the basis (consent or legal task) it rests on. Their "
            "organisation then sees the child; they get a notification."
        ),
    )
    def team_members(self, case, data):
        membership = selectors.candidate_membership(
            actor=self.actor, username=data["username"], organisation=data["organisation"]
        )
        if membership is None:
            raise _invalid(
                "username",
                "geen professional in een casusrol bij deze organisatie, of geen organisatie "
                "waarmee uw organisatie samenwerkt",
            )
        return services.team_member_add(
            actor=self.actor,
            case=case,
            user=membership.user,
            organisation=membership.organisation,
            role_in_case=data["role_in_case"],
            reason=data["reason"],
            consent_basis=data["consent_basis"],
        )

    @_step(
        "team-members/{member_id}/end",
        selectors.team_member_of,
        "the team membership",
        TeamMemberSerializer,
        "The membership, ended.",
        body=TeamMemberEndSerializer,
        lead=True,
        operation_id="cases_team_members_end",
        summary="End a membership of the team (the lead organisation)",
        description=(
            "The membership stays in the history with its end date (there is no DELETE); the "
            "organisation's sight of the child through it ends the same day."
        ),
    )
    def team_members_end(self, member, data):
        return services.team_member_end(actor=self.actor, member=member, **data)

    # -- the plan

    @_write(
        "actions",
        ActionSerializer,
        "The action.",
        body=ActionCreateSerializer,
        rename={"owner": "owner_organisation"},
        operation_id="cases_actions_create",
        summary="Add an agreed action to the plan (the first sets the plan in motion)",
    )
    def actions(self, case, data):
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
        return services.action_add(
            actor=self.actor,
            case=case,
            description=data["description"],
            due_date=data["due_date"],
            owner_organisation=owner_organisation,
            owner_user=owner_user,
        )

    @_step(
        "actions/{action_id}/done",
        selectors.action_of,
        "the action",
        ActionSerializer,
        "The action, done today.",
        body=None,
        operation_id="cases_actions_done",
        summary="Mark an action done (it stays in the plan)",
    )
    def actions_done(self, item, data):
        return services.action_done(actor=self.actor, action=item)

    @_step(
        "actions/{action_id}/hand-over",
        selectors.action_of,
        "the action",
        ActionSerializer,
        "The action, handed over.",
        body=ActionHandOverSerializer,
        operation_id="cases_actions_hand_over",
        summary="Hand an open action over to an organisation or person (it stays in the plan)",
        description=(
            "A handed-over action no longer keeps the case from being closed; the plan and the "
            "timeline say to whom it went."
        ),
    )
    def actions_hand_over(self, item, data):
        return services.action_hand_over(actor=self.actor, action=item, **data)

    # -- meetings, referrals, interventions: the body as the service takes it

    @_write(
        "meetings",
        MeetingSerializer,
        "The meeting.",
        body=MeetingCreateSerializer,
        operation_id="cases_meetings_create",
        summary="Record a meeting: who was there, the views of child and parents, decisions",
    )
    def meetings(self, case, data):
        team = {m.user.username: m.user for m in selectors.active_team(case)}
        attendees = data.get("attendees", [])
        unknown = [name for name in attendees if name not in team]
        if unknown:
            raise _invalid("attendees", f"niet in het team: {', '.join(unknown)}")
        return services.meeting_record(
            actor=self.actor, case=case, **{**data, "attendees": [team[n] for n in attendees]}
        )

    @_write(
        "referrals",
        ReferralSerializer,
        "The referral.",
        body=ReferralCreateSerializer,
        operation_id="cases_referrals_create",
        summary="Record a referral (wijkteam, jeugdhulp, jeugd-ggz, special education)",
    )
    def referrals(self, case, data):
        return services.referral_request(actor=self.actor, case=case, **data)

    @_step(
        "referrals/{referral_id}/start",
        selectors.referral_of,
        "the referral",
        ReferralSerializer,
        "The referral, started.",
        body=ReferralStartSerializer,
        operation_id="cases_referrals_start",
        summary="Record that the help of a referral started",
    )
    def referrals_start(self, referral, data):
        return services.referral_started(actor=self.actor, referral=referral, **data)

    @_write(
        "interventions",
        InterventionSerializer,
        "The intervention.",
        body=InterventionCreateSerializer,
        operation_id="cases_interventions_create",
        summary="Record an intervention (transport, digital education, part-time timetable, …)",
    )
    def interventions(self, case, data):
        return services.intervention_add(actor=self.actor, case=case, **data)

    # -- causes (issue 12 §6)

    @_write(
        "causes",
        CaseCauseSerializer,
        "The cause, recorded.",
        body=CauseCreateSerializer,
        operation_id="cases_causes_create",
        summary="Record a cause of the child's thuiszitten (more than one per case)",
        description=(
            "Any organisation that works on the open case. 'anders' needs a description; a cause "
            "already open on the case is refused (400)."
        ),
    )
    def causes(self, case, data):
        return services.cause_add(actor=self.actor, case=case, **data)

    @_step(
        "causes/{cause_id}/end",
        selectors.cause_of,
        "the cause",
        CaseCauseSerializer,
        "The cause, ended.",
        body=CauseEndSerializer,
        operation_id="cases_causes_end",
        summary="End a cause that no longer applies (it stays in the history)",
        description="There is no DELETE; ending a cause twice is refused (400).",
    )
    def causes_end(self, cause, data):
        return services.cause_end(actor=self.actor, cause=cause, **data)

    # -- escalation

    @_write(
        "escalations",
        EscalationStepSerializer,
        "The escalation step.",
        body=EscalationCreateSerializer,
        lead=True,
        rename={"deciding_user": "deciding_username"},
        operation_id="cases_escalations_create",
        summary="Take the case a step up the ladder (the lead organisation)",
        description=(
            "With the reason, the organisation that decides (doorzettingsmacht), the person there "
            "who decides and a deadline. The team and the deciding organisation are notified."
        ),
    )
    def escalations(self, case, data):
        deciding = selectors.organisation_working_with(
            actor=self.actor, pk=data["deciding_organisation"]
        )
        if deciding is None:
            raise _invalid(
                "deciding_organisation", "geen organisatie waarmee uw organisatie samenwerkt"
            )
        decider = selectors.decider_of(
            organisation=deciding, username=data.pop("deciding_username")
        )
        if decider is None:
            raise _invalid(
                "deciding_username",
                "niemand bij deze organisatie met deze gebruikersnaam die mag beslissen",
            )
        return services.escalate(
            actor=self.actor,
            case=case,
            **{**data, "deciding_organisation": deciding, "deciding_user": decider},
        )

    @_step(
        "escalations/{escalation_id}/decision",
        selectors.escalation_of,
        "the escalation step",
        EscalationStepSerializer,
        "The escalation step, with its decision.",
        body=DecisionSerializer,
        operation_id="cases_escalations_decision",
        summary="Record the decision on an escalation step (the deciding organisation, or "
        'a team member "namens" the decider)',
    )
    def escalations_decision(self, step, data):
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
        return services.escalation_decide(
            actor=self.actor,
            step=step,
            decision=data["decision"],
            on=data.get("decided_on"),
            on_behalf_of=decider,
        )

    # -- outcome and state

    @_write(
        "outcomes",
        OutcomeSerializer,
        "The outcome.",
        body=OutcomeCreateSerializer,
        lead=True,
        rename={"__all__": "request"},
        operation_id="cases_outcomes_create",
        summary="Record the return to school (the lead organisation): the case moves to monitoring",
    )
    def outcomes(self, case, data):
        school = None
        if data.get("school"):
            school = selectors.school_for(actor=self.actor, pk=data["school"])
            if school is None:
                raise _invalid("school", "geen school die uw organisatie ziet")
        return services.outcome_record(actor=self.actor, case=case, **{**data, "school": school})

    @_write(
        "transitions",
        StateChangeSerializer,
        body=TransitionCreateSerializer,
        lead=True,
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
    def transitions(self, case, data):
        to = data["to"]
        on = timezone.localdate()
        facts = selectors.workflow_facts(case)
        available = available_transitions(facts, on)
        targets = transition_targets(available)
        if to not in targets:
            raise TransitionRefusedError(transition_refusal(facts, to, on, available), targets)
        if to == CLOSED:
            _call(  # its own names: "reason" is the relapse's in this body
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
            services.case_reopen(actor=self.actor, case=case, reason=data.get("reason", ""))
        return selectors.latest_state_change(case=case)

    # -- disputes and notes

    @_write(
        "disputes",
        DisputeSerializer,
        "The dispute.",
        body=DisputeCreateSerializer,
        operation_id="cases_disputes_create",
        summary="Record a dispute: who brings it against whom, where, when",
    )
    def disputes(self, case, data):
        return services.dispute_lodge(actor=self.actor, case=case, **data)

    @_step(
        "disputes/{dispute_id}/ruling",
        selectors.dispute_of,
        "the dispute",
        DisputeSerializer,
        "The dispute, with its ruling.",
        body=RulingSerializer,
        operation_id="cases_disputes_ruling",
        summary="Record the ruling of a dispute and its outcome",
    )
    def disputes_ruling(self, dispute, data):
        return services.dispute_rule(actor=self.actor, dispute=dispute, **data)

    @_step(
        "disputes/{dispute_id}/hearing",
        selectors.dispute_of,
        "the dispute",
        DisputeSerializer,
        "The dispute, with the date of its hearing.",
        body=HearingSerializer,
        operation_id="cases_disputes_hearing",
        summary="Record (or move) the date of the hearing of a dispute",
    )
    def disputes_hearing(self, dispute, data):
        return services.dispute_hearing(actor=self.actor, dispute=dispute, **data)

    @_step(
        "disputes/{dispute_id}/follow-up",
        selectors.dispute_of,
        "the dispute",
        DisputeSerializer,
        "The dispute, with whether its ruling was followed.",
        body=FollowUpSerializer,
        operation_id="cases_disputes_follow_up",
        summary="Record whether the ruling of a dispute was followed (ja, nee, deels)",
    )
    def disputes_follow_up(self, dispute, data):
        return services.dispute_follow_up(actor=self.actor, dispute=dispute, **data)

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
        case = self.one()
        page = self.paginate_queryset(selectors.notes_for(actor=self.actor, case=case))
        self.audit_view(
            case,
            student=case.student,
            detail={"count": len(page), "offset": self.paginator.offset},
        )
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @_write(
        notes.mapping.post,
        NoteSerializer,
        "The note.",
        body=NoteCreateSerializer,
        operation_id="cases_notes_create",
        summary="Write a note for the team, or for the own organisation only",
    )
    def notes_create(self, case, data):
        return services.note_add(actor=self.actor, case=case, **data)
