"""The calendar's weeks written in Python (templatetags/attendance_calendar.py) are the cells the
template language wrote, for any days: classes, tooltip, hidden label, day number and mark."""

from __future__ import annotations

import datetime as dt
import re

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from inbeeld.attendance.selectors import CalendarDay, CalendarMonth
from inbeeld.attendance.templatetags.attendance_calendar import calendar_rows

#: the week rows as student.html wrote them before issue 14's load work
TEMPLATE_ROWS = Template(
    """{% for week in month.weeks %}
            <tr>{% for d in week %}{% if d.kind == "buiten" %}<td class="attendance-day attendance-day--buiten"></td>{% else %}<td class="attendance-day attendance-day--{{ d.kind }}{% if d.reason %} attendance-day--{{ d.reason }}{% endif %}" title="{{ d.label }}"><span aria-hidden="true">{{ d.day.day }}{% if d.mark %}<b>{{ d.mark }}</b>{% endif %}</span><span class="inbeeld-visually-hidden">{{ d.label }}</span></td>{% endif %}{% endfor %}</tr>
          {% endfor %}"""
)

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
DAYS = st.builds(
    CalendarDay,
    day=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    kind=st.sampled_from(["school", "weekend", "vrij", "uitgeschreven", "toekomst", "buiten"]),
    reason=st.one_of(st.just(""), st.sampled_from(["ongeoorloofd", "ziek", "geoorloofd"]), TEXT),
    label=TEXT,
    mark=st.one_of(st.just(""), TEXT),
)


def _between_tags(html: str) -> str:
    """The rows without the white space between them (the template's indentation)."""
    return re.sub(r">\s+<", "><", html.strip())


@settings(max_examples=150, deadline=None)
@given(weeks=st.lists(st.lists(DAYS, min_size=7, max_size=7), max_size=6))
def test_the_rows_are_what_the_template_wrote(weeks):
    month = CalendarMonth(name="maart", year=2025, weeks=weeks)
    written = TEMPLATE_ROWS.render(Context({"month": month}))
    assert _between_tags(calendar_rows(month)) == _between_tags(written)


def test_a_day_says_its_label_and_mark_and_escapes_them():
    day = CalendarDay(dt.date(2025, 3, 4), "school", "ongeoorloofd", "4 maart: <ongeoorloofd>", "O")
    html = calendar_rows(CalendarMonth("maart", 2025, [[day]]))
    assert 'class="attendance-day attendance-day--school attendance-day--ongeoorloofd"' in html
    assert 'title="4 maart: &lt;ongeoorloofd&gt;"' in html
    assert '<span aria-hidden="true">4<b>O</b></span>' in html
