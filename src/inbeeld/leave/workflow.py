"""The life of a leave request as a small state machine (issue 13): every allowed move in one place.

    (registered) ──▶ ingediend ────────────────┬──▶ toegekend
         │                                     └──▶ afgewezen
         ├──────▶ doorgestuurd naar leerplicht ─┬──▶ toegekend
         │                                      └──▶ afgewezen
         └──────▶ afgewezen (the law forbids it, recorded as refused at once)

Who may make a move: the party the law names decides (:func:`may_decide`): the school of the
request, or leerplicht beyond ten school days. Whether the law still allows a grant (asked again
with the leave granted meanwhile) is the service's check at the moment of the decision.

Plain functions: the services call :func:`check_transition` before they change a state; the screens
offer what :func:`available_transitions` answers, so they never offer a move the service refuses.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.rules import leave as rules_leave


class LeaveState(models.TextChoices):
    INGEDIEND = "ingediend", _("ingediend")
    DOORGESTUURD = "doorgestuurd", _("doorgestuurd naar leerplicht")
    TOEGEKEND = "toegekend", _("toegekend")
    AFGEWEZEN = "afgewezen", _("afgewezen")


INGEDIEND, DOORGESTUURD, TOEGEKEND, AFGEWEZEN = (
    LeaveState.INGEDIEND,
    LeaveState.DOORGESTUURD,
    LeaveState.TOEGEKEND,
    LeaveState.AFGEWEZEN,
)

#: the "state" of a request that is not there yet: the first move is its registration
NEW = ""

#: from → {to: what the step is called}. Nothing else is allowed.
TRANSITIONS: dict[str, dict[str, str]] = {
    NEW: {
        INGEDIEND: _("aanvraag vastgelegd"),
        DOORGESTUURD: _("aanvraag vastgelegd en doorgestuurd naar leerplicht"),
        AFGEWEZEN: _("aanvraag vastgelegd en direct afgewezen: de wet staat haar niet toe"),
    },
    INGEDIEND: {TOEGEKEND: _("toegekend"), AFGEWEZEN: _("afgewezen")},
    DOORGESTUURD: {TOEGEKEND: _("toegekend"), AFGEWEZEN: _("afgewezen")},
    TOEGEKEND: {},
    AFGEWEZEN: {},
}

#: states in which the request waits for a decision
OPEN_STATES = (INGEDIEND, DOORGESTUURD)
#: the moves that are a decision (grant or refusal), made by the party the law names
DECISIONS = (TOEGEKEND, AFGEWEZEN)


def state_label(state: str | None) -> str:
    return str(LeaveState(state).label) if state in LeaveState.values else str(state or "—")


def allowed(from_state: str) -> dict[str, str]:
    """The states a request in ``from_state`` may move to, with the name of each step."""
    return {to: str(step) for to, step in TRANSITIONS.get(from_state, {}).items()}


def may_decide(actor: Actor, leave, decider: str | None = None) -> bool:
    """The permission to decide, and the acting organisation is the one the law names: the
    school of the request, or leerplicht (the gemeente it was forwarded to, or of the child)."""
    if not actor.can(Permission.DECIDE_LEAVE):
        return False
    organisation = actor.organisation
    decider = decider or leave.decider
    if decider == rules_leave.SCHOOL:
        return (
            organisation.type == OrganisationType.SCHOOL
            and leave.school.organisation_id == organisation.pk
        )
    return organisation.type == OrganisationType.GEMEENTE and (
        leave.forwarded_to_id == organisation.pk
        or leave.student.municipality_code == organisation.code
    )


def state_refusal(from_state: str, to_state: str) -> str | None:
    """Why a request in ``from_state`` cannot move to ``to_state`` (None: the table allows it)."""
    if to_state in TRANSITIONS.get(from_state, {}):
        return None
    if from_state not in OPEN_STATES and from_state != NEW and to_state in DECISIONS:
        return gettext("Over deze aanvraag is al beslist (%(state)s).") % {
            "state": state_label(from_state)
        }
    return gettext(
        "Een verlofaanvraag die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s."
    ) % {
        "from": state_label(from_state) if from_state else gettext("nieuw"),
        "to": state_label(to_state),
        "options": ", ".join(state_label(s) for s in allowed(from_state)) or gettext("niets"),
    }


def actor_refusal(actor: Actor, leave, to_state: str) -> str | None:
    """Why ``actor`` may not make the move to ``to_state`` (None: they may)."""
    if to_state in DECISIONS and not may_decide(actor, leave):
        return gettext("U mag over deze verlofaanvraag niet beslissen.")
    return None


def refusal(leave, to_state: str, actor: Actor) -> str | None:
    """Why the move of ``leave`` to ``to_state`` by ``actor`` is refused (None: it is allowed)."""
    return actor_refusal(actor, leave, to_state) or state_refusal(leave.state, to_state)


def available_transitions(leave, actor: Actor) -> dict[str, str]:
    """The moves ``actor`` may make now with ``leave``: {to state: name of the step}."""
    return {
        to: step for to, step in allowed(leave.state).items() if refusal(leave, to, actor) is None
    }


def check_step(from_state: str, to_state: str) -> str:
    """The name of the step from ``from_state`` to ``to_state``; ValidationError if not allowed."""
    reason = state_refusal(from_state, to_state)
    if reason is not None:
        raise ValidationError(reason, code="transition")
    return str(TRANSITIONS[from_state][to_state])


def check_transition(leave, to_state: str, actor: Actor) -> str:
    """The name of the step; PermissionDenied when ``actor`` may not make it, ValidationError when
    the request's state does not allow it."""
    reason = actor_refusal(actor, leave, to_state)
    if reason is not None:
        raise PermissionDenied(reason)
    return check_step(leave.state, to_state)
