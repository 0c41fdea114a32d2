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

Plain functions: the services call :func:`check_transition` before they change a state; the screens
offer what :func:`available_transitions` answers, so they never offer a move the service refuses.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import OrganisationType
from inbeeld.accounts.permissions import Permission


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

#: the "state" of a request that is not there yet: the first move is its registration
NEW = ""

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


def state_label(state: str | None) -> str:
    return str(RequestState(state).label) if state in RequestState.values else str(state or "—")


def allowed(from_state: str) -> dict[str, str]:
    """The states a request in ``from_state`` may move to, with the name of each step."""
    return {to: str(step) for to, step in TRANSITIONS.get(from_state, {}).items()}


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


#: to → (who may make the move, why someone else may not)
WHO: dict[str, tuple[Callable[[Actor, object], bool], str]] = {
    ADVIES_GEVRAAGD: (may_ask_advice, _("U mag voor deze aanvraag geen advies vragen.")),
    ADVIES_GEGEVEN: (may_advise, _("U mag over deze aanvraag geen advies geven.")),
    TOEGEKEND: (may_decide, _("U mag over deze aanvraag niet beslissen.")),
    AFGEWEZEN: (may_decide, _("U mag over deze aanvraag niet beslissen.")),
}


def state_refusal(from_state: str, to_state: str) -> str | None:
    """Why a request in ``from_state`` cannot move to ``to_state`` (None: the table allows it)."""
    if to_state in TRANSITIONS.get(from_state, {}):
        return None
    now = {"state": state_label(from_state)}
    if from_state != NEW:
        if to_state == ADVIES_GEVRAAGD:
            return (
                gettext("Advies vragen kan alleen bij een ingediende aanvraag (nu: %(state)s).")
                % now
            )
        if to_state == ADVIES_GEGEVEN:
            return gettext("Er is geen advies gevraagd over deze aanvraag (nu: %(state)s).") % now
        if to_state in DECISIONS and from_state not in OPEN_STATES:
            return gettext("Over deze aanvraag is al beslist (%(state)s).") % now
        if to_state == TOEGEKEND:
            return gettext("Eerst het advies van het samenwerkingsverband, dan het besluit.")
    return gettext(
        "Een vrijstellingsaanvraag die %(from)s is kan niet naar %(to)s. Mogelijk: %(options)s."
    ) % {
        "from": state_label(from_state) if from_state else gettext("nieuw"),
        "to": state_label(to_state),
        "options": ", ".join(state_label(s) for s in allowed(from_state)) or gettext("niets"),
    }


def actor_refusal(actor: Actor, request, to_state: str) -> str | None:
    """Why ``actor`` may not make the move to ``to_state`` (None: they may)."""
    who = WHO.get(to_state)
    if who is not None and not who[0](actor, request):
        return str(who[1])
    return None


def refusal(request, to_state: str, actor: Actor) -> str | None:
    """Why the move of ``request`` to ``to_state`` by ``actor`` is refused (None: allowed)."""
    return actor_refusal(actor, request, to_state) or state_refusal(request.state, to_state)


def available_transitions(request, actor: Actor) -> dict[str, str]:
    """The moves ``actor`` may make now with ``request``: {to state: name of the step}."""
    return {
        to: step
        for to, step in allowed(request.state).items()
        if refusal(request, to, actor) is None
    }


def check_step(from_state: str, to_state: str) -> str:
    """The name of the step from ``from_state`` to ``to_state``; ValidationError if not allowed."""
    reason = state_refusal(from_state, to_state)
    if reason is not None:
        raise ValidationError(reason, code="transition")
    return str(TRANSITIONS[from_state][to_state])


def check_transition(request, to_state: str, actor: Actor) -> str:
    """The name of the step; PermissionDenied when ``actor`` may not make it, ValidationError when
    the request's state does not allow it."""
    reason = actor_refusal(actor, request, to_state)
    if reason is not None:
        raise PermissionDenied(reason)
    return check_step(request.state, to_state)
