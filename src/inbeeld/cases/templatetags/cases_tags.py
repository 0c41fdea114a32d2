"""``{% case_box student %}`` on the child's page: the child's case (a link, when the actor may
see it) or the button to open one (when the actor may and none is open)."""

from __future__ import annotations

from django import template

from inbeeld.accounts.permissions import Permission
from inbeeld.cases import selectors

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
    }
