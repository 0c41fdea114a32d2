"""``{% case_box student %}`` on the child's page: the child's case (a link, when the actor may
see it) or the button to open one (when the actor may and none is open), with the conflict of a
case "terug op school" and the detection (``cases.conflicts``).

``{% thuiszitter_conflicts rows as conflicts %}`` and ``{% return_conflict_note conflicts student %}``
on the thuiszitters list: the same conflict per row, for the cases the actor may see."""

from __future__ import annotations

from django import template

from inbeeld.accounts.permissions import Permission
from inbeeld.cases import selectors
from inbeeld.cases.conflicts import conflict_of_case, conflicts_of
from inbeeld.cases.workflow import CaseState

register = template.Library()


@register.inclusion_tag("cases/_case_box.html", takes_context=True)
def case_box(context, student) -> dict:
    actor = context.get("actor")
    if actor is None or student is None:
        return {"show": False}
    visible = (
        selectors.case_of_student_for(actor=actor, student=student)
        if actor.can(Permission.WORK_ON_CASES)
        else None
    )
    open_case = selectors.open_case_of(student=student)
    may_open = actor.can(Permission.OPEN_CASE) and open_case is None
    return {
        "show": visible is not None or may_open or open_case is not None,
        "student": student,
        "case": visible,
        "open_elsewhere": open_case is not None and (visible is None or visible.pk != open_case.pk),
        "open_case": open_case,
        "may_open": may_open,
        "conflict": conflict_of_case(visible) if visible is not None else None,
    }


@register.simple_tag(takes_context=True)
def thuiszitter_conflicts(context, rows) -> dict:
    """Per student id, the conflict of a visible case "terug op school" with the row's status."""
    actor = context.get("actor")
    if actor is None or not rows or not actor.can(Permission.WORK_ON_CASES):
        return {}
    statuses = [row["status"] for row in rows]
    cases = selectors.cases_for(actor=actor).filter(
        student_id__in=[s.student_id for s in statuses], state=CaseState.RETURNED
    )
    return conflicts_of(cases=cases, statuses=statuses)


@register.inclusion_tag("cases/_return_conflict.html")
def return_conflict_note(conflicts: dict, student) -> dict:
    return {"conflict": conflicts.get(student.pk) if conflicts and student else None, "short": True}
