"""The life of a barrier (issue 11 §6) as a small state machine: which state may follow which, and
why a move is refused, in one place (as ``cases.workflow`` does for a case).

Leerlingenvervoer (transport must never be the reason a child stays home)::

    aangevraagd ──▶ toegekend ──▶ geregeld
         │  ▲
         ▼  │ opnieuw aangevraagd
     geweigerd ──▶ bezwaar ──▶ toegekend | geweigerd
    (any state but geregeld ──▶ vervallen: the need is gone, e.g. the child moved)

Every other kind (wachtlijst, geen passende plek, digitaal onderwijs aangevraagd, anders)::

    open ──▶ opgelost | vervallen

A barrier is open until it reaches an end state (geregeld, opgelost, vervallen); the monitor counts
the open ones and how long they last (from ``started_on`` to the end, or to the figures' date).
Plain functions: the services call :func:`check_transition` before they change a state, the case
page offers and the API lists what :func:`available` gives.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class BarrierKind(models.TextChoices):
    TRANSPORT = "leerlingenvervoer", gettext_lazy("leerlingenvervoer")
    WAITING_LIST = "wachtlijst", gettext_lazy("wachtlijst")
    NO_PLACE = "geen_passende_plek", gettext_lazy("geen passende plek")
    DIGITAL = "digitaal_onderwijs", gettext_lazy("digitaal onderwijs aangevraagd")
    OTHER = "anders", gettext_lazy("anders (met omschrijving)")


class BarrierState(models.TextChoices):
    REQUESTED = "aangevraagd", gettext_lazy("aangevraagd")
    GRANTED = "toegekend", gettext_lazy("toegekend")
    REFUSED = "geweigerd", gettext_lazy("geweigerd")
    OBJECTION = "bezwaar", gettext_lazy("in bezwaar")
    ARRANGED = "geregeld", gettext_lazy("geregeld")
    OPEN = "open", gettext_lazy("open")
    RESOLVED = "opgelost", gettext_lazy("opgelost")
    LAPSED = "vervallen", gettext_lazy("vervallen")


REQUESTED, GRANTED, REFUSED, OBJECTION, ARRANGED = (
    BarrierState.REQUESTED,
    BarrierState.GRANTED,
    BarrierState.REFUSED,
    BarrierState.OBJECTION,
    BarrierState.ARRANGED,
)
OPEN, RESOLVED, LAPSED = BarrierState.OPEN, BarrierState.RESOLVED, BarrierState.LAPSED

#: from → {to: what the step is called}, for leerlingenvervoer. Nothing else is allowed.
TRANSPORT_TRANSITIONS: dict[str, dict[str, str]] = {
    REQUESTED: {
        GRANTED: gettext_lazy("vervoer toegekend"),
        REFUSED: gettext_lazy("vervoer geweigerd"),
        LAPSED: gettext_lazy("vervallen"),
    },
    GRANTED: {
        ARRANGED: gettext_lazy("vervoer geregeld"),
        LAPSED: gettext_lazy("vervallen"),
    },
    REFUSED: {
        REQUESTED: gettext_lazy("opnieuw aangevraagd"),
        OBJECTION: gettext_lazy("bezwaar gemaakt"),
        LAPSED: gettext_lazy("vervallen"),
    },
    OBJECTION: {
        GRANTED: gettext_lazy("bezwaar gegrond: vervoer toegekend"),
        REFUSED: gettext_lazy("bezwaar ongegrond: weigering blijft"),
        LAPSED: gettext_lazy("vervallen"),
    },
    ARRANGED: {},
}

#: from → {to: step} for every other kind
SIMPLE_TRANSITIONS: dict[str, dict[str, str]] = {
    OPEN: {
        RESOLVED: gettext_lazy("opgelost"),
        LAPSED: gettext_lazy("vervallen"),
    },
    RESOLVED: {},
    LAPSED: {},
}

#: states in which a barrier has ended (it no longer keeps the child out of school)
END_STATES = (ARRANGED, RESOLVED, LAPSED)


def transitions_of(kind: str) -> dict[str, dict[str, str]]:
    """The table that holds for a barrier of ``kind``."""
    return TRANSPORT_TRANSITIONS if kind == BarrierKind.TRANSPORT else SIMPLE_TRANSITIONS


def states_of(kind: str) -> list[str]:
    """The states a barrier of ``kind`` can be in."""
    return list(transitions_of(kind))


def initial_state(kind: str) -> str:
    """Where a new barrier starts: transport is requested, everything else is open."""
    return REQUESTED if kind == BarrierKind.TRANSPORT else OPEN


def is_open(state: str) -> bool:
    return state not in END_STATES


def state_label(state: str | None) -> str:
    return str(BarrierState(state).label) if state in BarrierState.values else str(state or "—")


def available(kind: str, state: str) -> list[tuple[str, str]]:
    """(to, step) of every move a barrier of ``kind`` in ``state`` can make now."""
    return [(to, str(step)) for to, step in transitions_of(kind).get(state, {}).items()]


def refusal(kind: str, state: str, to: str) -> str | None:
    """Why a barrier of ``kind`` in ``state`` cannot move to ``to`` (in Dutch), or None."""
    table = transitions_of(kind)
    if state not in table:
        return _("Onbekende status %(state)s.") % {"state": state_label(state)}
    if to in table[state]:
        return None
    if not table[state]:
        return _("Deze belemmering is %(state)s: er volgt niets meer.") % {
            "state": state_label(state)
        }
    options = ", ".join(state_label(t) for t in table[state])
    return _("Een belemmering die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s.") % {
        "from": state_label(state),
        "to": state_label(to),
        "options": options,
    }


def check_transition(kind: str, state: str, to: str) -> str:
    """The step's name when ``to`` may follow; ValidationError (the :func:`refusal`) otherwise."""
    why = refusal(kind, state, to)
    if why is not None:
        raise ValidationError({"to": why}, code="transition")
    return str(transitions_of(kind)[state][to])
