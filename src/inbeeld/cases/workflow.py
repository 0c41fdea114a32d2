"""The life of a case as a small state machine (issue 4 §2): every allowed transition in one place.

    geopend ──▶ plan in uitvoering ──▶ terug op school (monitoring) ──▶ afgesloten
       │               │    ▲                  │                          │
       │               │    └──── terugval ────┴──────────────────────────┘
       └──▶ terug op school / afgesloten       (within 12 months of the return)

A relapse (terugval) takes a case that was back at school, or closed after that, back to the plan
within twelve months of the return: the case is reopened and the relapse counted. Later than
that, or without a return, a new case is opened instead.

Plain functions: the services call :func:`check_transition` before they change a state.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inbeeld.rules.calendar import add_months_clipped


class CaseState(models.TextChoices):
    OPENED = "geopend", _("geopend")
    IN_PROGRESS = "in_uitvoering", _("plan in uitvoering")
    RETURNED = "terug_op_school", _("terug op school (monitoring)")
    CLOSED = "afgesloten", _("afgesloten")


OPENED, IN_PROGRESS, RETURNED, CLOSED = (
    CaseState.OPENED,
    CaseState.IN_PROGRESS,
    CaseState.RETURNED,
    CaseState.CLOSED,
)

#: from → {to: what the step is called}. Nothing else is allowed.
TRANSITIONS: dict[str, dict[str, str]] = {
    OPENED: {
        IN_PROGRESS: "plan van aanpak vastgesteld",
        RETURNED: "terug op school",
        CLOSED: "afgesloten",
    },
    IN_PROGRESS: {
        RETURNED: "terug op school",
        CLOSED: "afgesloten",
    },
    RETURNED: {
        IN_PROGRESS: "terugval: casus heropend",
        CLOSED: "afgesloten na monitoring",
    },
    CLOSED: {
        IN_PROGRESS: "terugval: casus heropend",
    },
}

#: the transitions that are a relapse: only within this many months of the return to school
RELAPSES = frozenset({(RETURNED, IN_PROGRESS), (CLOSED, IN_PROGRESS)})
RELAPSE_MONTHS = 12

#: states in which a case counts as open (one open case per child)
OPEN_STATES = (OPENED, IN_PROGRESS, RETURNED)


def state_label(state: str | None) -> str:
    return str(CaseState(state).label) if state in CaseState.values else str(state or "—")


def allowed(from_state: str) -> dict[str, str]:
    """The states a case in ``from_state`` may move to, with the name of each step."""
    return dict(TRANSITIONS.get(from_state, {}))


def is_relapse(from_state: str, to_state: str) -> bool:
    return (from_state, to_state) in RELAPSES


def check_transition(
    from_state: str,
    to_state: str,
    *,
    on: dt.date | None = None,
    returned_on: dt.date | None = None,
) -> str:
    """The name of the step from ``from_state`` to ``to_state``; ValidationError when not allowed.

    A relapse also needs the date of the return to school (``returned_on``) and must fall within
    :data:`RELAPSE_MONTHS` of it (``on``).
    """
    step = TRANSITIONS.get(from_state, {}).get(to_state)
    if step is None:
        raise ValidationError(
            _("Een casus die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s.")
            % {
                "from": state_label(from_state),
                "to": state_label(to_state),
                "options": ", ".join(state_label(s) for s in allowed(from_state)) or _("niets"),
            },
            code="transition",
        )
    if is_relapse(from_state, to_state):
        if returned_on is None:
            raise ValidationError(
                _("Heropenen na terugval kan alleen als de terugkeer naar school is vastgelegd."),
                code="relapse",
            )
        on = on or returned_on
        limit = add_months_clipped(returned_on, RELAPSE_MONTHS)
        if on > limit:
            raise ValidationError(
                _(
                    "De terugkeer naar school (%(returned)s) is langer dan %(months)s maanden "
                    "geleden: open een nieuwe casus in plaats van deze te heropenen."
                )
                % {"returned": f"{returned_on:%d-%m-%Y}", "months": RELAPSE_MONTHS},
                code="relapse",
            )
        if on < returned_on:
            raise ValidationError(
                _("Een terugval kan niet vóór de terugkeer naar school liggen."), code="relapse"
            )
    return step
