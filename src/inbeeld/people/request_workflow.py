"""What the state machines of requests about a pupil share (leave, vrijstelling; issue 13).

An app's ``workflow`` names its states, one table of the allowed moves (from → {to: the step's
name}, from ``NEW`` for the registration), who may make a move and why a move is refused in its own
words; :class:`RequestWorkflow` answers the questions the services, screens and API ask, so that
none of them decides on its own:

* :meth:`~RequestWorkflow.available_transitions`: the moves an actor may make now (the screens offer
  these and nothing else);
* :meth:`~RequestWorkflow.refusal`: why a move is refused (None when it is not);
* :meth:`~RequestWorkflow.check_transition`: what the services call before they change a state
  (PermissionDenied for who may not, ValidationError for a move the state does not allow).

:func:`record_move` is how the services store a move (the new state and the row of the history);
:func:`record_decision` how they store a decision (grant or refusal): the move with who decided,
when and why, and its audit event, the same for every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from inbeeld.accounts.actor import Actor
from inbeeld.audit.append_only import StateChange
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record

#: the "state" of a request that is not there yet: the first move is its registration
NEW = ""

#: who may make a move (actor, request) and the reason given to whoever may not
Who = tuple[Callable[[Actor, Any], bool], Any]


@dataclass(frozen=True)
class RequestWorkflow:
    states: type[models.TextChoices]
    #: from → {to: what the step is called}. Nothing else is allowed.
    transitions: Mapping[str, Mapping[str, Any]]
    #: to → who may make the move; a move not named here is the service's own (the registration)
    who: Mapping[str, Who]
    #: the request's name in the general refusal ("Een verlofaanvraag")
    noun: Any
    #: the app's own words for a refused move (from, to), or None for the general refusal
    reason: Callable[[str, str], str | None] = lambda from_state, to_state: None

    def label(self, state: str | None) -> str:
        return str(self.states(state).label) if state in self.states.values else str(state or "—")

    def allowed(self, from_state: str) -> dict[str, str]:
        """The states a request in ``from_state`` may move to, with the name of each step."""
        return {to: str(step) for to, step in self.transitions.get(from_state, {}).items()}

    def state_refusal(self, from_state: str, to_state: str) -> str | None:
        """Why a request in ``from_state`` cannot move to ``to_state`` (None: the table allows)."""
        if to_state in self.transitions.get(from_state, {}):
            return None
        return self.reason(from_state, to_state) or gettext(
            "%(noun)s die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s."
        ) % {
            "noun": self.noun,
            "from": self.label(from_state) if from_state else gettext("nieuw"),
            "to": self.label(to_state),
            "options": ", ".join(self.label(s) for s in self.allowed(from_state))
            or gettext("niets"),
        }

    def actor_refusal(self, actor: Actor, request: Any, to_state: str) -> str | None:
        """Why ``actor`` may not make the move to ``to_state`` (None: they may)."""
        who = self.who.get(to_state)
        if who is not None and not who[0](actor, request):
            return str(who[1])
        return None

    def refusal(self, request: Any, to_state: str, actor: Actor) -> str | None:
        """Why the move of ``request`` to ``to_state`` by ``actor`` is refused (None: allowed)."""
        return self.actor_refusal(actor, request, to_state) or self.state_refusal(
            request.state, to_state
        )

    def available_transitions(self, request: Any, actor: Actor) -> dict[str, str]:
        """The moves ``actor`` may make now with ``request``: {to state: name of the step}."""
        return {
            to: step
            for to, step in self.allowed(request.state).items()
            if self.refusal(request, to, actor) is None
        }

    def check_step(self, from_state: str, to_state: str) -> str:
        """The name of the step from ``from_state`` to ``to_state``; ValidationError if the table
        does not allow it."""
        reason = self.state_refusal(from_state, to_state)
        if reason is not None:
            raise ValidationError(reason, code="transition")
        return str(self.transitions[from_state][to_state])

    def check_transition(self, request: Any, to_state: str, actor: Actor) -> str:
        """The name of the step; PermissionDenied when ``actor`` may not make it, ValidationError
        when the request's state does not allow it."""
        reason = self.actor_refusal(actor, request, to_state)
        if reason is not None:
            raise PermissionDenied(reason)
        return self.check_step(request.state, to_state)


def record_move(
    *,
    actor: Actor,
    request: Any,
    to_state: str,
    step: str,
    on: dt.date,
    history: type[StateChange],
    changed: tuple[str, ...] = (),
    note: str = "",
    justification: str = "",
) -> None:
    """Move ``request`` (locked, its move checked with ``check_transition``, which named ``step``)
    to ``to_state``, saving besides the fields it ``changed``, and append the row of its
    ``history`` (counted from ``on``). Call inside the service's transaction."""
    from_state = request.state
    request.state = to_state
    request.save(update_fields=["state", *changed])
    history.record_by(
        actor,
        request=request,
        from_state=from_state,
        step=step,
        on=on,
        note=note,
        justification=justification,
    )


def record_decision(
    *,
    actor: Actor,
    request: Any,
    to_state: str,
    step: str,
    note: str,
    on: dt.date | None,
    history: type[StateChange],
    what: str,
    changed: tuple[str, ...] = (),
    justification: str = "",
) -> Any:
    """Store the decision on ``request`` (:func:`record_move`): its new state, ``note``, who
    decided and when (``on``, today when not given), and the audit event (``what`` names the
    request in the summary: "verlofaanvraag"). ``changed`` are fields the service set besides.
    ``justification``: why the decision departs from an advice, kept in the history's row (the
    service decides when one is needed)."""
    request.decision_note = note
    request.decided_by = actor.stored_user
    request.decided_on = on or timezone.localdate()
    fields = ["decision_note", "decided_by", "decided_on", *changed]
    if any(field.name == "decided_by_organisation" for field in request._meta.concrete_fields):
        request.decided_by_organisation = actor.organisation
        fields.append("decided_by_organisation")
    record_move(
        actor=actor,
        request=request,
        to_state=to_state,
        step=step,
        on=request.decided_on,
        history=history,
        changed=tuple(fields),
        note=note,
        justification=justification,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"{what} {request.pk} {request.state}",
        obj=request,
        student=request.student,
        detail={"state": request.state, "justified": bool(justification)},
    )
    return request
