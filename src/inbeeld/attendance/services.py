"""Writes of the attendance app: handling meldingen, and the audit of views and searches.

A melding's handling is a small state machine (Besluit verzuimmelding; DUO Verzuimregister):

    nieuw ──► in behandeling ──► afgesloten (with a closing reason)
      │              │
      └──────────────┴──► ter kennisneming aangenomen

The allowed transitions live in :data:`TRANSITIONS`. Every transition appends a MeldingEvent and an
audit event in the same transaction, only with ``Permission.HANDLE_MELDING`` and only for a melding
in the actor's worklist (routed to their organisation, child in scope).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.models import (
    USER_CLOSING_REASONS,
    ClosingReason,
    Melding,
    MeldingEvent,
    MeldingState,
)
from inbeeld.attendance.selectors import worklist_meldingen_for
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Student

#: state → the states a melding may go to from there (terminal states have none)
TRANSITIONS: dict[str, frozenset[str]] = {
    MeldingState.OPEN: frozenset(
        {MeldingState.IN_BEHANDELING, MeldingState.AFGESLOTEN, MeldingState.TER_KENNISNEMING}
    ),
    MeldingState.IN_BEHANDELING: frozenset(
        {MeldingState.AFGESLOTEN, MeldingState.TER_KENNISNEMING}
    ),
    MeldingState.AFGESLOTEN: frozenset(),
    MeldingState.TER_KENNISNEMING: frozenset(),
}


class MeldingNotFoundError(Exception):
    """Not a melding in the actor's worklist (the view answers 404)."""


class TransitionNotAllowedError(ValidationError):
    """The melding cannot go from its state to the one asked for."""


def allowed_next_states(melding: Melding) -> frozenset[str]:
    return TRANSITIONS.get(melding.state, frozenset())


def _transition(
    *,
    actor: Actor,
    melding_id: int,
    to: str,
    closing_reason: str = "",
    note: str = "",
) -> Melding:
    if not actor.can(Permission.HANDLE_MELDING):
        raise PermissionDenied(_("U mag meldingen niet behandelen."))
    melding = (
        worklist_meldingen_for(actor=actor)
        .select_for_update(of=("self",))
        .filter(pk=melding_id)
        .first()
    )
    if melding is None:
        raise MeldingNotFoundError(melding_id)
    if to not in allowed_next_states(melding):
        raise TransitionNotAllowedError(
            _("Een melding met status '%(from)s' kan niet naar '%(to)s'.")
            % {"from": melding.get_state_display(), "to": MeldingState(to).label}
        )
    if to == MeldingState.AFGESLOTEN:
        if closing_reason not in dict(USER_CLOSING_REASONS):
            raise TransitionNotAllowedError({"closing_reason": _("Kies een reden van afsluiten.")})
    else:
        closing_reason = ""
    previous = melding.state
    melding.state = to
    melding.closing_reason = closing_reason
    melding.save(update_fields=["state", "closing_reason"])
    MeldingEvent.objects.create(
        melding=melding,
        user=actor.user,
        organisation=actor.organisation,
        state=to,
        closing_reason=closing_reason,
        note=note.strip(),
    )
    reason_text = f" ({ClosingReason(closing_reason).label})" if closing_reason else ""
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=(
            f"Melding {melding.rule} van {melding.end_date.isoformat()}: "
            f"{MeldingState(previous).label} → {MeldingState(to).label}{reason_text}"
        ),
        obj=melding,
        student=melding.student,
        detail={"from": previous, "to": to, "closing_reason": closing_reason},
    )
    return melding


@transaction.atomic
def melding_take_in_handling(*, actor: Actor, melding_id: int, note: str = "") -> Melding:
    """Nieuw → in behandeling."""
    return _transition(
        actor=actor, melding_id=melding_id, to=MeldingState.IN_BEHANDELING, note=note
    )


@transaction.atomic
def melding_close(*, actor: Actor, melding_id: int, closing_reason: str, note: str = "") -> Melding:
    """→ afgesloten, with one of the closing reasons of the Besluit verzuimmelding."""
    return _transition(
        actor=actor,
        melding_id=melding_id,
        to=MeldingState.AFGESLOTEN,
        closing_reason=closing_reason,
        note=note,
    )


@transaction.atomic
def melding_acknowledge(*, actor: Actor, melding_id: int, note: str = "") -> Melding:
    """→ ter kennisneming aangenomen (noted; no further action by this organisation)."""
    return _transition(
        actor=actor, melding_id=melding_id, to=MeldingState.TER_KENNISNEMING, note=note
    )


@transaction.atomic
def student_page_viewed(*, actor: Actor, student: Student) -> None:
    """Record that the actor opened this child's page (issue 3 §1: every view is audited)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        summary=f"Leerlingpagina bekeken: {student.external_id}",
        obj=student,
        student=student,
    )


@transaction.atomic
def students_searched(*, actor: Actor, query: str, found: int) -> None:
    """Record a search (issue 3 §1: every search is audited), with what was asked."""
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        summary=f"Gezocht naar '{query[:100]}': {found} gevonden",
        detail={"query": query[:200], "found": found},
    )
