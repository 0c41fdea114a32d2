"""The life of a case as a small state machine (issue 4 §2): every allowed transition, and every
reason to refuse one, in one place.

    geopend ──▶ plan in uitvoering ──▶ terug op school (monitoring) ──▶ afgesloten
       │               │    ▲                  │                          │
       │               │    └──── terugval ────┴──────────────────────────┘
       └──▶ terug op school / afgesloten       (within 12 months of the return)

A case is closed only when no action of its plan is open: each is done or handed over (the page
then asks the reason and a confirmation; the services end the team's memberships).

A relapse (terugval) takes a case that was back at school, or closed after that, back to the plan
within twelve months of the return: the case is reopened and the relapse counted. Later than
that, without a return, or when the child has another open case by then, a new case is opened
instead (or the other one worked on).

Plain functions over :class:`CaseFacts` (what the workflow needs to know of a case; read by
``selectors.workflow_facts``): :func:`available_transitions` says what a case can do now,
:func:`refusal` why it cannot make a given move. The services call :func:`check_transition`
(which raises the refusal) before they change a state; the case page offers, and the API lists,
what :func:`available_transitions` gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inbeeld.rules.calendar import add_months_clipped


class CaseState(models.TextChoices):
    OPENED = "geopend", gettext_lazy("geopend")
    IN_PROGRESS = "in_uitvoering", gettext_lazy("plan in uitvoering")
    RETURNED = "terug_op_school", gettext_lazy("terug op school (monitoring)")
    CLOSED = "afgesloten", gettext_lazy("afgesloten")


OPENED, IN_PROGRESS, RETURNED, CLOSED = (
    CaseState.OPENED,
    CaseState.IN_PROGRESS,
    CaseState.RETURNED,
    CaseState.CLOSED,
)

#: How a transition is made: by the first action of the plan, by recording the return to school
#: (an outcome), by closing the case, by reopening it after a relapse.
FIRST_ACTION, OUTCOME, CLOSE, REOPEN = "first_action", "outcome", "close", "reopen"

#: from → {to: (what the step is called, how it is made)}. Nothing else is allowed.
TRANSITIONS: dict[str, dict[str, tuple[str, str]]] = {
    OPENED: {
        IN_PROGRESS: ("plan van aanpak vastgesteld", FIRST_ACTION),
        RETURNED: ("terug op school", OUTCOME),
        CLOSED: ("afgesloten", CLOSE),
    },
    IN_PROGRESS: {
        RETURNED: ("terug op school", OUTCOME),
        CLOSED: ("afgesloten", CLOSE),
    },
    RETURNED: {
        IN_PROGRESS: ("terugval: casus heropend", REOPEN),
        CLOSED: ("afgesloten na monitoring", CLOSE),
    },
    CLOSED: {
        IN_PROGRESS: ("terugval: casus heropend", REOPEN),
    },
}

#: a relapse counts only within this many months of the return to school
RELAPSE_MONTHS = 12

#: states in which a case counts as open (one open case per child)
OPEN_STATES = (OPENED, IN_PROGRESS, RETURNED)


@dataclass(frozen=True)
class CaseFacts:
    """What the workflow needs to know of a case (``selectors.workflow_facts`` reads them)."""

    state: str
    #: the latest recorded return to school, if any
    returned_on: dt.date | None = None
    #: the child has another open case (a closed case then cannot be reopened)
    other_open_case: bool = False
    #: actions of the plan neither done nor handed over (the case cannot be closed then)
    open_actions: int = 0


@dataclass(frozen=True)
class Transition:
    from_state: str
    to: str
    #: what the step is called (the case's history shows it)
    step: str
    #: how it is made: FIRST_ACTION, OUTCOME, CLOSE or REOPEN
    via: str


def state_label(state: str | None) -> str:
    return str(CaseState(state).label) if state in CaseState.values else str(state or "—")


def _relapse_refusal(case: CaseFacts, on: dt.date) -> str | None:
    if case.state == CLOSED and case.other_open_case:
        return _("Er is al een andere open casus voor dit kind.")
    returned_on = case.returned_on
    if returned_on is None:
        return _("Heropenen na terugval kan alleen als de terugkeer naar school is vastgelegd.")
    try:
        limit = add_months_clipped(returned_on, RELAPSE_MONTHS)
    except (ValueError, OverflowError):  # a return in year 9999: no later date to compare
        limit = dt.date.max
    if on > limit:
        return _(
            "De terugkeer naar school (%(returned)s) is langer dan %(months)s maanden "
            "geleden: open een nieuwe casus in plaats van deze te heropenen."
        ) % {"returned": f"{returned_on:%d-%m-%Y}", "months": RELAPSE_MONTHS}
    if on < returned_on:
        return _("Een terugval kan niet vóór de terugkeer naar school liggen.")
    return None


def _close_refusal(case: CaseFacts) -> str | None:
    if case.open_actions:
        return ngettext(
            "Er staat nog %(n)s actie open. Rond haar af of draag haar over (aan wie) voordat "
            "u de casus afsluit.",
            "Er staan nog %(n)s acties open. Rond elke actie af of draag haar over (aan wie) "
            "voordat u de casus afsluit.",
            case.open_actions,
        ) % {"n": case.open_actions}
    return None


#: why a move made in this way is refused though the table allows it (None: it is not)
_REFUSALS = {REOPEN: _relapse_refusal, CLOSE: lambda case, on: _close_refusal(case)}


def _why_not(case: CaseFacts, via: str, on: dt.date) -> str | None:
    check = _REFUSALS.get(via)
    return check(case, on) if check is not None else None


def available_transitions(case: CaseFacts, on: dt.date) -> list[Transition]:
    """The transitions the case can make on ``on``: every one :func:`refusal` lets through."""
    return [
        Transition(case.state, to, step, via)
        for to, (step, via) in TRANSITIONS.get(case.state, {}).items()
        if _why_not(case, via, on) is None
    ]


def refusal(case: CaseFacts, to: str, on: dt.date, *, via: str | None = None) -> str | None:
    """Why the case cannot move to ``to`` on ``on`` (in Dutch), or None when it can.

    ``via`` (e.g. :data:`REOPEN`) asks for the move made in that way only: reopening a fresh case
    is refused though its plan can start (by its first action).
    """
    entry = TRANSITIONS.get(case.state, {}).get(to)
    if via == REOPEN and (entry is None or entry[1] != REOPEN):
        return _("Alleen een casus die terug op school of afgesloten is kan heropend worden.")
    if entry is None or (via is not None and entry[1] != via):
        options = ", ".join(state_label(t.to) for t in available_transitions(case, on))
        return _("Een casus die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s.") % {
            "from": state_label(case.state),
            "to": state_label(to),
            "options": options or _("niets"),
        }
    return _why_not(case, entry[1], on)


def check_transition(
    case: CaseFacts, to: str, *, on: dt.date, via: str | None = None
) -> Transition:
    """The transition to ``to``; ValidationError (the :func:`refusal`) when it is not allowed."""
    why = refusal(case, to, on, via=via)
    if why is not None:
        entry = TRANSITIONS.get(case.state, {}).get(to)
        via_of_entry = entry[1] if entry is not None else None
        code = {REOPEN: "relapse", CLOSE: "open_actions"}.get(via_of_entry, "transition")
        raise ValidationError(why, code=code)
    step, how = TRANSITIONS[case.state][to]
    return Transition(case.state, to, step, how)
