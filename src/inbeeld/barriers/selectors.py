"""Reads of barriers, limited to what the actor may see: the barriers of the cases the actor's
organisation works on (``cases.selectors.cases_for``: the lead, the team, the deciding
organisation). Nobody else sees a barrier, not even that it exists."""

from __future__ import annotations

from django.db.models import QuerySet

from inbeeld.accounts.actor import Actor
from inbeeld.barriers.models import Barrier
from inbeeld.barriers.workflow import END_STATES
from inbeeld.cases import selectors as case_selectors
from inbeeld.cases.models import Case


def barriers_for(*, actor: Actor) -> QuerySet[Barrier]:
    """Every barrier of a case the actor may see."""
    cases = case_selectors.cases_for(actor=actor).order_by().values("pk")
    return Barrier.objects.filter(case__in=cases).select_related("case", "created_by")


def barrier_search_for(
    *,
    actor: Actor,
    case: int | None = None,
    kind: str | None = None,
    state: str | None = None,
    open: bool | None = None,
) -> QuerySet[Barrier]:
    """The actor's barriers, kept to ``case``, ``kind``, ``state`` and whether they are open."""
    rows = barriers_for(actor=actor)
    if case:
        rows = rows.filter(case_id=case)
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    if open is True:
        rows = rows.exclude(state__in=END_STATES)
    elif open is False:
        rows = rows.filter(state__in=END_STATES)
    return rows.order_by("started_on", "pk")


def barrier_for(*, actor: Actor, pk: int) -> Barrier | None:
    """One barrier, if the actor may see it (None: 404)."""
    return barriers_for(actor=actor).filter(pk=pk).first()


def case_for(*, actor: Actor, pk: int) -> Case | None:
    """The case the barriers belong to, if the actor may see it."""
    return case_selectors.case_for(actor=actor, pk=pk)


def barriers_of(*, actor: Actor, case: Case) -> list[Barrier]:
    """The barriers of a case the actor may see, with their history (empty otherwise)."""
    return list(barriers_for(actor=actor).filter(case=case).prefetch_related("changes__user"))
