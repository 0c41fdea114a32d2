"""The absence calendar's weeks, written in Python.

A school year's calendar has some 420 day cells; rendered through the template language they
took a third of the child's page (issue 14's load run). :func:`calendar_rows` writes the same
cells (a test holds it to what the template wrote): per day its kind and absence reason as
classes, the full text as tooltip and for assistive technology, the day number and its mark.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

OUTSIDE = "buiten"


def _cell(day) -> str:
    if day.kind == OUTSIDE:
        return '<td class="attendance-day attendance-day--buiten"></td>'
    reason = f" attendance-day--{conditional_escape(day.reason)}" if day.reason else ""
    mark = f"<b>{conditional_escape(day.mark)}</b>" if day.mark else ""
    label = conditional_escape(day.label)
    return (
        f'<td class="attendance-day attendance-day--{conditional_escape(day.kind)}{reason}" '
        f'title="{label}"><span aria-hidden="true">{day.day.day}{mark}</span>'
        f'<span class="inbeeld-visually-hidden">{label}</span></td>'
    )


@register.simple_tag
def calendar_rows(month) -> SafeString:
    """The ``<tr>`` of each week of ``month`` (``attendance.selectors.CalendarMonth``)."""
    rows = ("<tr>" + "".join(_cell(day) for day in week) + "</tr>" for week in month.weeks)
    return mark_safe("\n".join(rows))  # every value in it is escaped
