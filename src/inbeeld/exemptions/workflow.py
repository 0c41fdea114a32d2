"""The life of a request for vrijstelling as a small state machine (issue 13): every allowed move in
one place.

    (registered) ──▶ ingediend ──▶ advies gevraagd ──▶ advies gegeven ──▶ toegekend
                         │               │                   │
                         └───────────────┴───────────────────┴──────────▶ afgewezen

Who may make a move: leerplicht (the gemeente that registered it, or of the child's home) asks the
samenwerkingsverband's advice and decides; the samenwerkingsverband asked gives the advice. A grant
needs the advice first; a refusal is possible as long as the request is open. Whether the law's
conditions are still met, and whether the child's school has a samenwerkingsverband to ask, is the
service's check at the moment of the move.

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


class RequestState(models.TextChoices):
    INGEDIEND = "ingediend", _("ingediend")
    ADVIES_GEVRAAGD = "advies_gevraagd", _("advies gevraagd")
    ADVIES_GEGEVEN = "advies_gegeven", _("advies gegeven")
    TOEGEKEND = "toegekend", _("toegekend")
    AFGEWEZEN = "afgewezen", _("afgewezen")


INGEDIEND, ADVIES_GEVRAAGD, ADVIES_GEGEVEN, TOEGEKEND, AFGEWEZEN = (
    RequestState.INGEDIEND,
    RequestState.ADVIES_GEVRAAGD,
    RequestState.ADVIES_GEGEVEN,
    RequestState.TOEGEKEND,
    RequestState.AFGEWEZEN,
)

#: from → {to: what the step is called}. Nothing else is allowed.
TRANSITIONS: dict[str, dict[str, str]] = {
    NEW: {INGEDIEND: _("aanvraag vastgelegd")},
    INGEDIEND: {
        ADVIES_GEVRAAGD: _("advies gevraagd aan het samenwerkingsverband"),
        AFGEWEZEN: _("afgewezen"),
    },
    ADVIES_GEVRAAGD: {
        ADVIES_GEGEVEN: _("advies gegeven door het samenwerkingsverband"),
        AFGEWEZEN: _("afgewezen"),
    },
    ADVIES_GEGEVEN: {TOEGEKEND: _("toegekend"), AFGEWEZEN: _("afgewezen")},
    TOEGEKEND: {},
    AFGEWEZEN: {},
}

#: states in which the request waits for a decision
OPEN_STATES = (INGEDIEND, ADVIES_GEVRAAGD, ADVIES_GEGEVEN)
#: the moves that are leerplicht's decision
DECISIONS = (TOEGEKEND, AFGEWEZEN)


def is_leerplicht_of(actor: Actor, student) -> bool:
    """The actor acts for the gemeente of the child's home municipality."""
    organisation = actor.organisation
    return (
        organisation.type == OrganisationType.GEMEENTE
        and student.municipality_code == organisation.code
    )


def _leerplicht_of_request(actor: Actor, request) -> bool:
    return request.municipality_id == actor.organisation.pk or is_leerplicht_of(
        actor, request.student
    )


def may_decide(actor: Actor, request) -> bool:
    return actor.can(Permission.DECIDE_EXEMPTION) and _leerplicht_of_request(actor, request)


def may_ask_advice(actor: Actor, request) -> bool:
    return (
        actor.can(Permission.REGISTER_EXEMPTION_REQUEST) or actor.can(Permission.DECIDE_EXEMPTION)
    ) and _leerplicht_of_request(actor, request)


def may_advise(actor: Actor, request) -> bool:
    return (
        actor.can(Permission.ADVISE_EXEMPTION)
        and actor.organisation.type == OrganisationType.SAMENWERKINGSVERBAND
        and request.partnership_id == actor.organisation.pk
    )


def _reason(from_state: str, to_state: str) -> str | None:
    if from_state == NEW:
        return None
    now = {"state": WORKFLOW.label(from_state)}
    if to_state == ADVIES_GEVRAAGD:
        return (
            gettext("Advies vragen kan alleen bij een ingediende aanvraag (nu: %(state)s).") % now
        )
    if to_state == ADVIES_GEGEVEN:
        return gettext("Er is geen advies gevraagd over deze aanvraag (nu: %(state)s).") % now
    if to_state in DECISIONS and from_state not in OPEN_STATES:
        return gettext("Over deze aanvraag is al beslist (%(state)s).") % now
    if to_state == TOEGEKEND:
        return gettext("Eerst het advies van het samenwerkingsverband, dan het besluit.")
    return None


WORKFLOW = RequestWorkflow(
    states=RequestState,
    transitions=TRANSITIONS,
    who={
        ADVIES_GEVRAAGD: (may_ask_advice, _("U mag voor deze aanvraag geen advies vragen.")),
        ADVIES_GEGEVEN: (may_advise, _("U mag over deze aanvraag geen advies geven.")),
        TOEGEKEND: (may_decide, _("U mag over deze aanvraag niet beslissen.")),
        AFGEWEZEN: (may_decide, _("U mag over deze aanvraag niet beslissen.")),
    },
    noun=_("Een vrijstellingsaanvraag"),
    reason=_reason,
)
