"""The life of a leave request as a small state machine (issue 13): every allowed move in one place.

    (registered) ──▶ ingediend ────────────────┬──▶ toegekend
         │                                     └──▶ afgewezen
         ├──────▶ doorgestuurd naar leerplicht ─┬──▶ toegekend
         │                                      └──▶ afgewezen
         ├──────▶ niet-ontvankelijk (the law forbids it: stored with the reasons, nothing to decide)
         └──────▶ afgewezen (the law forbids it, recorded as refused at once)

A request the law forbids (``rules.leave``: too long, in the first two lesweken, no employer's
statement, …) is never stored as an open request: it is niet-ontvankelijk with its reasons, or
refused at once by someone who may decide. Malformed input (an impossible period, an unknown kind)
is refused before anything is stored.

Who may make a move: the party the law names decides (:func:`may_decide`): the school of the
request, or leerplicht beyond ten school days. Whether the law still allows a grant (asked again
with the leave granted meanwhile) is the service's check at the moment of the decision.

The services call ``WORKFLOW.check_transition`` before they change a state; the screens and the
API offer what ``WORKFLOW.available_transitions`` answers, so they never offer a move the service
refuses (``people.request_workflow.RequestWorkflow`` holds what the requests' machines share).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission
from inbeeld.people.request_workflow import NEW, RequestWorkflow
from inbeeld.rules import leave as rules_leave


class LeaveState(models.TextChoices):
    INGEDIEND = "ingediend", _("ingediend")
    DOORGESTUURD = "doorgestuurd", _("doorgestuurd naar leerplicht")
    TOEGEKEND = "toegekend", _("toegekend")
    AFGEWEZEN = "afgewezen", _("afgewezen")
    NIET_ONTVANKELIJK = "niet_ontvankelijk", _("niet-ontvankelijk")


INGEDIEND, DOORGESTUURD, TOEGEKEND, AFGEWEZEN, NIET_ONTVANKELIJK = (
    LeaveState.INGEDIEND,
    LeaveState.DOORGESTUURD,
    LeaveState.TOEGEKEND,
    LeaveState.AFGEWEZEN,
    LeaveState.NIET_ONTVANKELIJK,
)

#: from → {to: what the step is called}. Nothing else is allowed.
TRANSITIONS: dict[str, dict[str, str]] = {
    NEW: {
        INGEDIEND: _("aanvraag vastgelegd"),
        DOORGESTUURD: _("aanvraag vastgelegd en doorgestuurd naar leerplicht"),
        AFGEWEZEN: _("aanvraag vastgelegd en direct afgewezen: de wet staat haar niet toe"),
        NIET_ONTVANKELIJK: _(
            "aanvraag vastgelegd en niet-ontvankelijk verklaard: ze voldoet niet aan de wet"
        ),
    },
    INGEDIEND: {TOEGEKEND: _("toegekend"), AFGEWEZEN: _("afgewezen")},
    DOORGESTUURD: {TOEGEKEND: _("toegekend"), AFGEWEZEN: _("afgewezen")},
    TOEGEKEND: {},
    AFGEWEZEN: {},
    NIET_ONTVANKELIJK: {},
}

#: states in which the request waits for a decision
OPEN_STATES = (INGEDIEND, DOORGESTUURD)
#: the moves that are a decision (grant or refusal), made by the party the law names
DECISIONS = (TOEGEKEND, AFGEWEZEN)
#: states in which nothing is left to do: decided, or niet-ontvankelijk
CLOSED_STATES = (TOEGEKEND, AFGEWEZEN, NIET_ONTVANKELIJK)
assert set(OPEN_STATES) | set(CLOSED_STATES) == set(LeaveState.values)


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


def _reason(from_state: str, to_state: str) -> str | None:
    if from_state == NIET_ONTVANKELIJK and to_state in DECISIONS:
        return gettext(
            "Deze aanvraag is niet-ontvankelijk: de wet staat haar niet toe en er valt niets over "
            "te beslissen. De ouders kunnen een nieuwe aanvraag indienen."
        )
    if from_state not in OPEN_STATES and from_state != NEW and to_state in DECISIONS:
        return gettext("Over deze aanvraag is al beslist (%(state)s).") % {
            "state": WORKFLOW.label(from_state)
        }
    return None


WORKFLOW = RequestWorkflow(
    states=LeaveState,
    transitions=TRANSITIONS,
    who={to: (may_decide, _("U mag over deze verlofaanvraag niet beslissen.")) for to in DECISIONS},
    noun=_("Een verlofaanvraag"),
    reason=_reason,
)
