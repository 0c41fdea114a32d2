"""The monitor's conditions on Exemption rows (``monitor.articles``) count what the rules read
(``rules.exemptions.effective_span``, RULES.md §7): the same rows, over a grid of articles, start
and end dates, ``permanent`` and duty periods, for windows of a school year and of one day."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from inbeeld.attendance.models import DetectionRun, StudentStatus
from inbeeld.attendance.tests.factories import ExemptionFactory, StudentFactory
from inbeeld.monitor.articles import exemptions_in_effect, vervangende_leerplicht_in_effect
from inbeeld.people.models import Exemption
from inbeeld.rules.duty import DutyPeriod
from inbeeld.rules.exemptions import effective_end, effective_span
from inbeeld.rules.model import VERVANGENDE_LEERPLICHT_ARTICLES
from inbeeld.rules.model import Exemption as RulesExemption

D = dt.date
ARTICLES = ("5a", "5b", "15", "3a", "5a_trekkend")
STARTS = (D(2023, 9, 4), D(2024, 6, 3), D(2024, 9, 2))
ENDS = (None, D(2024, 7, 31), D(2024, 8, 31), D(2025, 3, 1))
PERIODS = (
    DutyPeriod(D(2019, 4, 1), D(2030, 7, 31), D(2032, 3, 9)),  # ten years old
    DutyPeriod(D(2013, 4, 1), D(2024, 7, 31), D(2026, 3, 9)),  # kwalificatieplicht from 2024/25
    DutyPeriod(D(2012, 4, 1), D(2023, 7, 31), None),  # startkwalificatie: no kwalificatieplicht
)
WINDOWS = (
    (D(2023, 8, 1), D(2024, 7, 31)),
    (D(2024, 8, 1), D(2025, 7, 31)),
    (D(2024, 7, 31), D(2024, 7, 31)),
    (D(2024, 8, 1), D(2024, 8, 1)),
    (D(2025, 3, 3), D(2025, 3, 3)),
)


def _overlaps(span, first, last) -> bool:
    return span is not None and span[0] <= last and (span[1] is None or span[1] >= first)


@pytest.mark.django_db
def test_the_database_conditions_select_what_the_rules_read():
    run = DetectionRun.objects.create(on_date=D(2025, 3, 3))
    rules_rows: dict[int, tuple[RulesExemption, DutyPeriod]] = {}
    grid = itertools.product(ARTICLES, STARTS, ENDS, (False, True), range(len(PERIODS)))
    for article, start, end, permanent, p in grid:
        if end is not None and end < start:
            continue
        period = PERIODS[p]
        student = StudentFactory()
        StudentStatus.objects.create(
            student=student,
            run=run,
            on_date=run.on_date,
            duty="leerplicht",
            leerplicht_start=period.leerplicht_start,
            leerplicht_end=period.leerplicht_end,
            kwalificatieplicht_end=period.kwalificatieplicht_end,
        )
        row = ExemptionFactory(
            student=student, article=article, start_date=start, end_date=end, permanent=permanent
        )
        rules_rows[row.pk] = (RulesExemption(article, start, end, permanent), period)
    assert len(rules_rows) > 200
    for first, last in WINDOWS:
        got = set(
            Exemption.objects.filter(exemptions_in_effect(first, last)).values_list("pk", flat=True)
        )
        expected = {
            pk
            for pk, (row, period) in rules_rows.items()
            if _overlaps(effective_span(row, period), first, last)
        }
        assert got == expected, (first, last)
        assert expected  # each window selects some rows and leaves others
        assert len(expected) < len(rules_rows)
        replaced = set(
            Exemption.objects.filter(vervangende_leerplicht_in_effect(first, last)).values_list(
                "pk", flat=True
            )
        )
        assert replaced == {
            pk
            for pk, (row, _period) in rules_rows.items()
            if row.article in VERVANGENDE_LEERPLICHT_ARTICLES
            and row.start <= last
            and (effective_end(row) is None or effective_end(row) >= first)
        }
