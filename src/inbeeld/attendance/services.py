"""Writes of the attendance app: handling meldingen, and the audit of views and searches.

A melding's handling is a small state machine (Besluit verzuimmelding; DUO Verzuimregister):

    nieuw ──► in behandeling ──► afgesloten (with a closing reason)
      │              │
      ├──────────────┼──► ter kennisneming aangenomen
      └──────────────┴──► ingetrokken (by the school that reported it, with a reason)

The allowed transitions live in :data:`TRANSITIONS`; which of them an actor may make is
:func:`available_moves` (and why not, :func:`move_refusal`): the one place the services, the
worklist's forms and the API ask. Every move appends a MeldingEvent and an audit event in the same
transaction, only for a melding in the actor's worklist (routed to their organisation, child in
scope): ``Permission.HANDLE_MELDING`` for the gemeente's moves, ``Permission.WITHDRAW_MELDING``
and being the melding's school for "ingetrokken"; a report (``langdurig_ziek``, issue 12 §2) is
taken note of by whoever has it in the worklist. A move out of the open states ends the sight a
GGD had of the child through this (MAZL) melding.

Assignment (issue 11 §2): a melding still open is assigned to a person of the actor's organisation
who may handle meldingen, reassigned or unassigned (``Permission.ASSIGN_MELDING``), each time a
MeldingEvent of kind "assignment" and an audit event. The bulk actions check every melding first
and write nothing when any is refused (:class:`BulkRefusedError` names each and why).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.accounts.models import User
from inbeeld.accounts.permissions import Permission
from inbeeld.attendance.explanations import RULE_LABELS
from inbeeld.attendance.models import (
    REPORT_RULES,
    USER_CLOSING_REASONS,
    ClosingReason,
    Melding,
    MeldingEvent,
    MeldingEventKind,
    MeldingState,
)
from inbeeld.attendance.selectors import OPEN_STATES, assignable_people, worklist_meldingen_for
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.people.models import Involvement, Student
from inbeeld.people.services import involvement_close

#: state → the states a melding may go to from there (terminal states have none)
TRANSITIONS: dict[str, frozenset[str]] = {
    MeldingState.OPEN: frozenset(
        {
            MeldingState.IN_BEHANDELING,
            MeldingState.AFGESLOTEN,
            MeldingState.TER_KENNISNEMING,
            MeldingState.INGETROKKEN,
        }
    ),
    MeldingState.IN_BEHANDELING: frozenset(
        {MeldingState.AFGESLOTEN, MeldingState.TER_KENNISNEMING, MeldingState.INGETROKKEN}
    ),
    MeldingState.AFGESLOTEN: frozenset(),
    MeldingState.TER_KENNISNEMING: frozenset(),
    MeldingState.INGETROKKEN: frozenset(),
}
#: the moves only the school that reported the melding makes (DUO: the school withdraws)
SCHOOL_MOVES = frozenset({MeldingState.INGETROKKEN})
#: the moves that need a reason in the note
NOTE_REQUIRED = frozenset({MeldingState.INGETROKKEN})
NOTE_MAX = 2000


class MeldingNotFoundError(Exception):
    """Not a melding in the actor's worklist (the view answers 404)."""


class TransitionNotAllowedError(ValidationError):
    """The melding cannot go from its state to the one asked for."""


class BulkRefusedError(ValidationError):
    """A bulk action refused as a whole: ``messages`` names each melding refused and why."""


def allowed_next_states(melding: Melding) -> frozenset[str]:
    """The states the state machine allows from the melding's state (whoever acts)."""
    return TRANSITIONS.get(melding.state, frozenset())


def move_refusal(actor: Actor, melding: Melding, to: str) -> str | None:
    """Why ``actor`` may not move ``melding`` (in their worklist) to ``to``; None: they may."""
    if to not in MeldingState.values or to not in allowed_next_states(melding):
        label = MeldingState(to).label if to in MeldingState.values else to
        return _("Een melding met status '%(from)s' kan niet naar '%(to)s'.") % {
            "from": melding.get_state_display(),
            "to": label,
        }
    if to in SCHOOL_MOVES:
        if not actor.can(Permission.WITHDRAW_MELDING):
            return _("U mag meldingen niet intrekken.")
        school_org = melding.school.organisation_id if melding.school else None
        if school_org != actor.organisation.pk:
            return _("Alleen de school die de melding deed, kan haar intrekken.")
        return None
    if (
        melding.rule in REPORT_RULES
        and to == MeldingState.TER_KENNISNEMING
        and actor.can(Permission.VIEW_WORKLIST)
    ):
        return None
    if not actor.can(Permission.HANDLE_MELDING):
        return _("U mag meldingen niet behandelen.")
    return None


def available_moves(actor: Actor, melding: Melding) -> frozenset[str]:
    """The states ``actor`` may move ``melding`` to: what the worklist offers, what the services
    allow (one rule, :func:`move_refusal`)."""
    return frozenset(
        to for to in allowed_next_states(melding) if move_refusal(actor, melding, to) is None
    )


def _locked(actor: Actor, melding_ids: list[int]) -> dict[int, Melding]:
    """The meldingen of ``melding_ids`` in the actor's worklist, locked for the transaction."""
    return {
        m.pk: m
        for m in worklist_meldingen_for(actor=actor)
        .select_for_update(of=("self",))
        .filter(pk__in=melding_ids)
    }


def _transition(
    *,
    actor: Actor,
    melding_id: int,
    to: str,
    closing_reason: str = "",
    note: str = "",
) -> Melding:
    may_take_note = to == MeldingState.TER_KENNISNEMING and actor.can(Permission.VIEW_WORKLIST)
    if not (
        actor.can(Permission.HANDLE_MELDING)
        or actor.can(Permission.WITHDRAW_MELDING)
        or may_take_note  # of a report (REPORT_RULES): move_refusal decides
    ):
        raise PermissionDenied(_("U mag meldingen niet behandelen."))
    melding = _locked(actor, [melding_id]).get(melding_id)
    if melding is None:
        raise MeldingNotFoundError(melding_id)
    refusal = move_refusal(actor, melding, to)
    if refusal is not None:
        raise TransitionNotAllowedError(refusal)
    if to == MeldingState.AFGESLOTEN:
        if closing_reason not in dict(USER_CLOSING_REASONS):
            raise TransitionNotAllowedError({"closing_reason": _("Kies een reden van afsluiten.")})
    else:
        closing_reason = ""
    if to in NOTE_REQUIRED and not note.strip():
        raise TransitionNotAllowedError({"note": _("Geef de reden van het intrekken.")})
    _move(actor, melding, to, closing_reason=closing_reason, note=note)
    return melding


def _move(actor: Actor, melding: Melding, to: str, *, closing_reason: str, note: str) -> None:
    """Write a move already checked: the state, its event and its audit event."""
    previous = melding.state
    melding.state = to
    melding.closing_reason = closing_reason
    melding.save(update_fields=["state", "closing_reason"])
    if to not in OPEN_STATES:
        # issue 12 §2: a GGD saw the child for this MAZL melding alone; handled, that ends
        involvement_close(
            source=Involvement.Source.MELDING, source_id=melding.pk, on=timezone.localdate()
        )
    MeldingEvent.objects.create(
        melding=melding,
        user=actor.user,
        organisation=actor.organisation,
        state=to,
        closing_reason=closing_reason,
        note=note.strip()[:NOTE_MAX],
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
def melding_withdraw(*, actor: Actor, melding_id: int, note: str) -> Melding:
    """→ ingetrokken: the school that reported the melding withdraws it, with its reason."""
    return _transition(actor=actor, melding_id=melding_id, to=MeldingState.INGETROKKEN, note=note)


# -- assignment and the bulk actions ---------------------------------------------------------------


def melding_label(melding: Melding) -> str:
    """How a refusal names a melding: the child and the rule, e.g. "Jan de Vries (16 uur …)"."""
    student = melding.student
    name = student.full_name or student.external_id
    return f"{name} ({RULE_LABELS.get(melding.rule, melding.rule)}, {melding.end_date:%d-%m-%Y})"


def _assignee(actor: Actor, assignee_id: int | None) -> User | None:
    """The person to assign to: one of :func:`selectors.assignable_people` (None: nobody)."""
    if assignee_id is None:
        return None
    for person in assignable_people(actor=actor):
        if person.pk == assignee_id:
            return person
    raise ValidationError(
        {"assignee": _("Kies iemand van uw organisatie die meldingen mag behandelen.")}
    )


def _assignment_refusal(melding: Melding) -> str | None:
    if melding.state not in OPEN_STATES:
        return _("deze melding is al afgehandeld (%(state)s)") % {
            "state": melding.get_state_display()
        }
    return None


def _assign(actor: Actor, melding: Melding, assignee: User | None, note: str) -> bool:
    """Write an assignment already checked; False when it was already so (nothing written)."""
    if melding.assignee_id == (assignee.pk if assignee else None):
        return False
    previous = melding.assignee
    melding.assignee = assignee
    melding.save(update_fields=["assignee"])
    MeldingEvent.objects.create(
        melding=melding,
        user=actor.user,
        organisation=actor.organisation,
        kind=MeldingEventKind.ASSIGNMENT,
        state=melding.state,
        assignee=assignee,
        note=note.strip()[:NOTE_MAX],
    )
    what = (
        f"toegewezen aan {_person_name(assignee)}"
        if assignee
        else f"toewijzing aan {_person_name(previous)} beëindigd"
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"Melding {melding.rule} van {melding.end_date.isoformat()}: {what}",
        obj=melding,
        student=melding.student,
        detail={
            "assignee": assignee.pk if assignee else None,
            "previous": previous.pk if previous else None,
        },
    )
    return True


def _person_name(user: User | None) -> str:
    if user is None:
        return "niemand"
    return user.get_full_name() or user.username


def _require_assign(actor: Actor) -> None:
    if not actor.can(Permission.ASSIGN_MELDING):
        raise PermissionDenied(_("U mag meldingen niet toewijzen."))


@transaction.atomic
def melding_assign(
    *, actor: Actor, melding_id: int, assignee_id: int | None, note: str = ""
) -> Melding:
    """Assign a melding still open to a person of the actor's organisation who may handle
    meldingen, reassign it, or (``assignee_id`` None) assign it to nobody."""
    _require_assign(actor)
    melding = _locked(actor, [melding_id]).get(melding_id)
    if melding is None:
        raise MeldingNotFoundError(melding_id)
    assignee = _assignee(actor, assignee_id)
    refusal = _assignment_refusal(melding)
    if refusal is not None:
        raise TransitionNotAllowedError(refusal[:1].upper() + refusal[1:] + ".")
    _assign(actor, melding, assignee, note)
    return melding


MAX_BULK = 500


def _bulk_meldingen(actor: Actor, melding_ids: list[int], check) -> list[Melding]:
    """Every melding of ``melding_ids`` locked and checked with ``check(melding) -> refusal``;
    :class:`BulkRefusedError` naming each one refused (and each id not in the worklist)."""
    ids = list(dict.fromkeys(melding_ids))
    if not ids:
        raise BulkRefusedError(_("Kies ten minste één melding."))
    if len(ids) > MAX_BULK:
        raise BulkRefusedError(
            _("Kies ten hoogste %(max)s meldingen tegelijk.") % {"max": MAX_BULK}
        )
    found = _locked(actor, ids)
    problems = []
    for pk in ids:
        melding = found.get(pk)
        if melding is None:
            problems.append(_("Melding %(id)s: niet gevonden in uw werklijst.") % {"id": pk})
            continue
        refusal = check(melding)
        if refusal is not None:
            problems.append(f"{melding_label(melding)}: {refusal}")
    if problems:
        raise BulkRefusedError(problems)
    return [found[pk] for pk in ids]


@transaction.atomic
def meldingen_bulk_assign(
    *, actor: Actor, melding_ids: list[int], assignee_id: int | None, note: str = ""
) -> int:
    """Assign several meldingen to one person (or to nobody), all or nothing. Returns how many
    changed (one already assigned to that person is left as it is)."""
    _require_assign(actor)
    assignee = _assignee(actor, assignee_id)
    meldingen = _bulk_meldingen(actor, melding_ids, _assignment_refusal)
    return sum(_assign(actor, melding, assignee, note) for melding in meldingen)


@transaction.atomic
def meldingen_bulk_acknowledge(*, actor: Actor, melding_ids: list[int], note: str) -> int:
    """Take several meldingen "ter kennisneming aangenomen" with one reason, all or nothing."""
    if not actor.can(Permission.HANDLE_MELDING):
        raise PermissionDenied(_("U mag meldingen niet behandelen."))
    if not note.strip():
        raise BulkRefusedError(
            _("Geef de reden waarom deze meldingen ter kennisneming worden aangenomen.")
        )
    meldingen = _bulk_meldingen(
        actor,
        melding_ids,
        lambda melding: move_refusal(actor, melding, MeldingState.TER_KENNISNEMING),
    )
    for melding in meldingen:
        _move(actor, melding, MeldingState.TER_KENNISNEMING, closing_reason="", note=note)
    return len(meldingen)


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
