"""Writes of barriers (issue 11 §6). Every function is keyword-only, runs in one transaction,
checks itself that the actor may see and work on the barrier's case (``selectors.case_for``:
everyone else is refused, as if the case did not exist), validates before it writes, appends the
history row (who, when) and the audit event naming the child."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inbeeld.accounts.actor import Actor
from inbeeld.audit.models import AuditAction
from inbeeld.audit.services import audit_record
from inbeeld.barriers import selectors
from inbeeld.barriers.models import Barrier, BarrierChange
from inbeeld.barriers.workflow import (
    END_STATES,
    BarrierKind,
    check_transition,
    initial_state,
    state_label,
)
from inbeeld.cases.models import Case
from inbeeld.cases.workflow import OPEN_STATES
from inbeeld.checks import line, not_after_today


def _case_in_scope(actor: Actor, case: Case) -> Case:
    """The case, locked, once the actor may work on it (PermissionDenied otherwise)."""
    if selectors.case_for(actor=actor, pk=case.pk) is None:
        raise PermissionDenied(_("U werkt niet aan deze casus."))
    return Case.objects.select_for_update().select_related("student").get(pk=case.pk)


def _date(value: dt.date | None, field: str, *, not_before: dt.date | None = None) -> dt.date:
    value = not_after_today(value, field)
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: _("Deze datum ligt vóór %(d)s.") % {"d": f"{not_before:%d-%m-%Y}"}}
        )
    return value


def _audit(actor: Actor, barrier: Barrier, case: Case, summary: str, action: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        summary=f"casus {case.pk}: {summary}",
        obj=barrier,
        student=case.student,
        detail={"kind": barrier.kind, "state": barrier.state},
    )


def _history(actor: Actor, barrier: Barrier, from_state: str, on: dt.date, step: str, note: str):
    BarrierChange.objects.create(
        barrier=barrier,
        from_state=from_state,
        to_state=barrier.state,
        on=on,
        step=step,
        note=note,
        user=actor.user,
        organisation=actor.organisation,
    )


@transaction.atomic
def barrier_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    started_on: dt.date | None = None,
    description: str = "",
    provider: str = "",
) -> Barrier:
    """Record what keeps the child out of school: transport starts as requested, every other kind
    as open. Only while the case is open."""
    case = _case_in_scope(actor, case)
    if case.state not in OPEN_STATES:
        raise ValidationError(_("Deze casus is afgesloten; heropen hem eerst bij een terugval."))
    if kind not in BarrierKind.values:
        raise ValidationError({"kind": _("Kies wat de belemmering is.")})
    description = line(description, "description", 300)
    provider = line(provider, "provider", 200)
    if kind == BarrierKind.OTHER and not description:
        raise ValidationError({"description": _("Omschrijf de belemmering.")})
    started_on = _date(started_on, "started_on")
    barrier = Barrier.objects.create(
        case=case,
        kind=kind,
        description=description,
        provider=provider,
        state=initial_state(kind),
        started_on=started_on,
        state_since=started_on,
        created_by=actor.user,
    )
    _history(actor, barrier, "", started_on, _("belemmering vastgelegd"), "")
    _audit(
        actor,
        barrier,
        case,
        f"belemmering {barrier.get_kind_display()} vastgelegd",
        AuditAction.CREATE,
    )
    return barrier


@transaction.atomic
def barrier_change(
    *,
    actor: Actor,
    barrier: Barrier,
    to: str,
    on: dt.date | None = None,
    note: str = "",
) -> Barrier:
    """Move the barrier to ``to`` on ``on`` (not before its latest change, not in the future) if
    the workflow allows it; the history keeps from, to, when, why and who."""
    case = _case_in_scope(actor, barrier.case)
    barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
    note = line(note, "note", 300)
    step = check_transition(barrier.kind, barrier.state, to)
    on = _date(on, "on", not_before=barrier.state_since)
    from_state = barrier.state
    barrier.state = to
    barrier.state_since = on
    barrier.ended_on = on if to in END_STATES else None
    barrier.save(update_fields=["state", "state_since", "ended_on"])
    _history(actor, barrier, from_state, on, step, note)
    _audit(
        actor,
        barrier,
        case,
        f"belemmering {barrier.get_kind_display()}: {state_label(from_state)} → {state_label(to)}",
        AuditAction.UPDATE,
    )
    return barrier
