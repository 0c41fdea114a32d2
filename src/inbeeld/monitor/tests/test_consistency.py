"""The monitor's figures agree with each other (issue 11 §5 "One truth"), checked by property tests
over generated worlds: children living in gemeente A or B, with thuiszitter episodes (absoluut or
langdurig relatief verzuim, at De Linde in the SWV, De Wilg, De Eik in B, or at no school) that
start, end, relapse and pass three months at random dates.

Without suppression (``MIN_SHOWN`` 1) every figure is checked against a count made here from the
generated episodes and against the same figure elsewhere: the same child is counted once; parts
add up to their totals (per category, per month, per school, SWV, postcode area and gemeente);
new ≤ total; one definition of each figure (the year's new, returns and relapses are the same in
the months, the years and every breakdown; the pact's "over three months now" is the dashboard's).

With suppression (counts 1–4 hidden, and secondary suppression) every shown count is 0 or at least
5, a shown part never exceeds its shown total, no line of a table has exactly one hidden cell (it
would follow from the others), and a figure published in two places is hidden in both or in
neither (else one would give the other away).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from inbeeld.accounts.models import Role
from inbeeld.accounts.tests.factories import actor_for
from inbeeld.attendance.detection import detection_run
from inbeeld.attendance.models import AbsenceRecord, StudentStatus
from inbeeld.attendance.selectors import thuiszitters_for
from inbeeld.attendance.tests.factories import (
    BIRTH_DATE,
    EnrolmentFactory,
    MembershipFactory,
    StudentFactory,
    two_organisations,
)
from inbeeld.attendance.tests.factories import ON as DETECTED_ON
from inbeeld.monitor import suppression
from inbeeld.monitor.models import Episode
from inbeeld.monitor.refresh import refresh_episodes
from inbeeld.monitor.selectors import (
    BREAKDOWNS,
    figure_scope,
    now_figures,
    target_figures,
    thuiszitters_in_year,
    trends,
)
from inbeeld.monitor.selectors.base import FigureRow
from inbeeld.monitor.telling import leerplichttelling
from inbeeld.monitor.tests.dashboard_world import AV, LRV, ON
from inbeeld.people.models import Student
from inbeeld.rules.calendar import school_year_bounds
from inbeeld.rules.periods import first_day_over_three_months

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    # a failing world is reported as generated: shrinking one takes minutes (many queries each)
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIRST_DAY = dt.date(2023, 8, 14)
YEARS = (2023, 2024)  # the school years the episodes fall in (ON is in 2024/25)
TREND_COLUMNS = ("new", "returns", "relapses")

#: one child: where it lives, and its episodes as (school index, category, days since the end of
#: the previous one (or FIRST_DAY), length in days); the last may still go on at ON
children = st.lists(
    st.tuples(
        st.sampled_from(["GM0001", "GM0002"]),
        st.lists(
            st.tuples(
                st.integers(0, 3),
                st.sampled_from([AV, LRV]),
                st.integers(1, 200),
                st.integers(1, 260),
            ),
            min_size=1,
            max_size=3,
        ),
        st.booleans(),
    ),
    max_size=14,
)


def _schools(world):
    return [world.school_a, world.school_a2, world.school_b, None]


def _make(world, generated) -> list[Episode]:
    """The generated children and their episodes, as a refresh on ON would have written them."""
    Episode.objects.all().delete()
    made = []
    for municipality, specs, goes_on in generated:
        student = Student.objects.create(
            external_id=f"g{Student.objects.count()}",
            municipality_code=municipality,
            birth_date=BIRTH_DATE,
        )
        cursor = FIRST_DAY
        for n, (school_index, category, gap, length) in enumerate(specs):
            start = cursor + dt.timedelta(days=gap)
            # an LRV run counts from its 20th school day (about four weeks in: the melding)
            counted_from = start + dt.timedelta(days=27) if category == LRV else start
            if counted_from > ON:
                break
            length = max(length, 28) if category == LRV else length
            end: dt.date | None = start + dt.timedelta(days=length - 1)
            if end >= ON or (goes_on and n == len(specs) - 1):
                end = None
            over = first_day_over_three_months(start)
            if over > (end or ON):
                over = None
            school = _schools(world)[school_index]
            made.append(
                Episode.objects.create(
                    student=student,
                    category=category,
                    start_date=start,
                    end_date=end,
                    over_3_months_on=over,
                    counted_from=counted_from,
                    school=school,
                    partnership=school.partnership if school else None,
                    municipality_code=municipality,
                    postcode_area="9711" if school_index % 2 else "9712",
                    refresh=world.refresh,
                )
            )
            if end is None:
                break
            cursor = end
    return made


def _in_scope(world, membership, episodes: list[Episode]) -> list[Episode]:
    """The episodes the organisation counts, as FigureScope says (here, to check it)."""
    org = membership.organisation
    if org == world.gemeente_a:
        return [e for e in episodes if e.municipality_code == "GM0001"]
    if org == world.gemeente_b:
        return [e for e in episodes if e.municipality_code == "GM0002"]
    if org == world.swv:
        return [e for e in episodes if e.partnership_id == world.swv.pk]
    return [e for e in episodes if e.school_id == world.school_a.pk]


def _members(world):
    return [world.beleid_a, world.beleid_b, world.beleid_swv, world.beleid_school]


@contextmanager
def _example(min_shown: int) -> Iterator[None]:
    """One generated world, rolled back afterwards; figures computed afresh with ``min_shown``."""
    before = suppression.MIN_SHOWN
    suppression.MIN_SHOWN = min_shown
    cache.clear()
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        suppression.MIN_SHOWN = before
        cache.clear()


def _row(rows: list[FigureRow], key: str) -> FigureRow:
    return next(r for r in rows if r.key == key)


def _year_row(published, year: int, *, empty: int | None = 0) -> FigureRow:
    """The year's row of the years table; a year before the first episode in scope is not listed
    (its figures are all ``empty``)."""
    found = [r for r in published.years if r.key == str(year)]
    if found:
        return found[0]
    columns = (*TREND_COLUMNS, "thuiszitters", "over_3_months")
    return FigureRow(str(year), str(year), dict.fromkeys(columns, empty))


def _total(rows: list[FigureRow]) -> FigureRow:
    assert rows[-1].is_total
    return rows[-1]


def _parts(rows: list[FigureRow]) -> list[FigureRow]:
    return [r for r in rows if not r.is_total]


def _children_open(episodes, *, over: bool = False) -> int:
    return len(
        {e.student_id for e in episodes if e.end_date is None and (not over or e.over_3_months_on)}
    )


def _overlapping(episodes, year: int) -> list[Episode]:
    first, last = school_year_bounds(year)
    return [
        e
        for e in episodes
        if e.counted_from <= last and (e.end_date is None or e.end_date >= first)
    ]


@PROPERTY
@given(generated=children)
def test_the_figures_agree_with_the_children_and_each_other(world, generated):
    with _example(min_shown=1):
        episodes = _make(world, generated)
        for membership in _members(world):
            actor = actor_for(membership)
            mine = _in_scope(world, membership, episodes)
            now = now_figures(actor=actor)
            av, lrv, total = (_row(now.thuiszitters, k) for k in (AV, LRV, "total"))
            for column in ("now", "over_3_months"):
                # parts add up to the total; over three months is part of now
                assert av.values[column] + lrv.values[column] == total.values[column]
            for row in (av, lrv, total):
                assert row.values["over_3_months"] <= row.values["now"]
            # the same child counted once, as the episodes say
            assert total.values["now"] == _children_open(mine)
            assert total.values["over_3_months"] == _children_open(mine, over=True)
            targets = target_figures(actor=actor)
            assert targets.over_three_months_now == total.values["over_3_months"]
            for year in YEARS:
                _check_year(actor, mine, year, now, targets)


def _check_year(actor, mine, year, now, targets) -> None:
    first, last = school_year_bounds(year)
    months = trends(actor=actor, school_year=year)
    yearly = _year_row(months, year)
    overlapping = _overlapping(mine, year)
    children = {e.student_id for e in overlapping}
    started = [e for e in mine if first <= e.counted_from <= last]
    ended = [e for e in mine if e.end_date and first <= e.end_date <= last]
    # one definition: the year's figures as counted here, in the months, the years, the pact's
    # targets and the leerplichttelling
    seen = [(e.student_id, e.category, e.counted_from, e.end_date) for e in overlapping]
    assert yearly.values["thuiszitters"] == len(children), (year, seen)
    assert thuiszitters_in_year(figure_scope(actor=actor), year) == len(children)
    telling = leerplichttelling(school_year=year, scope=figure_scope(actor=actor))
    assert telling.value("thuiszitters") == len(children)
    assert telling.value("thuiszitters_over_3_months") == yearly.values["over_3_months"]
    assert yearly.values["new"] == len(started)
    assert yearly.values["returns"] == len(ended)
    for column in TREND_COLUMNS:
        month_parts = [r.values[column] for r in _parts(months.months)]
        assert sum(month_parts) == _total(months.months).values[column] == yearly.values[column]
    # new ≤ total: first episodes are each a child's; relapses are new episodes too
    assert yearly.values["relapses"] <= yearly.values["new"] <= len(overlapping)
    assert yearly.values["new"] - yearly.values["relapses"] <= yearly.values["thuiszitters"]
    assert yearly.values["over_3_months"] <= yearly.values["thuiszitters"]
    if year == YEARS[-1]:  # the current school year: who is at home now is in it
        total_now = _total(now.thuiszitters).values
        assert total_now["now"] <= yearly.values["thuiszitters"]
        assert total_now["over_3_months"] <= yearly.values["over_3_months"]
        assert targets.current["actual"] == yearly.values["thuiszitters"]
    for breakdown in BREAKDOWNS:
        rows = trends(actor=actor, school_year=year, breakdown=breakdown).breakdown_rows
        for column in (*TREND_COLUMNS, "over_3_months"):
            parts = [r.values[column] for r in _parts(rows)]
            assert sum(parts) == _total(rows).values[column], (breakdown, column)
        for column in TREND_COLUMNS:
            assert _total(rows).values[column] == yearly.values[column], (breakdown, column)
        # a child over three months in the year is so in the group it was counted in
        assert _total(rows).values["over_3_months"] == yearly.values["over_3_months"], breakdown


def _lines(rows: list[FigureRow], columns) -> Iterator[tuple[list, object]]:
    for column in columns:
        yield [r.values[column] for r in _parts(rows)], _total(rows).values[column]


def _check_suppressed(rows: list[FigureRow], columns, where: str) -> None:
    for parts, total in _lines(rows, columns):
        cells = [*parts, total]
        for cell in cells:
            assert cell is None or cell == 0 or cell >= suppression.MIN_SHOWN, where
        # a hidden cell never follows from the others of its line
        assert sum(1 for cell in cells if cell is None) != 1, (where, cells)
        if total is not None:
            assert all(p is None or p <= total for p in parts), (where, cells)
            if all(p is not None for p in parts):
                assert sum(parts) == total, (where, cells)


@PROPERTY
@given(generated=children)
def test_suppression_hides_what_could_be_derived(world, generated):
    with _example(min_shown=suppression.MIN_SHOWN):
        _make(world, generated)
        for membership in _members(world):
            actor = actor_for(membership)
            now = now_figures(actor=actor)
            _check_suppressed(now.thuiszitters, ("now", "over_3_months"), "now")
            targets = target_figures(actor=actor)
            assert targets.over_three_months_now == _total(now.thuiszitters).values["over_3_months"]
            for year in YEARS:
                published = trends(actor=actor, school_year=year)
                yearly = _year_row(published, year)
                _check_suppressed(published.months, TREND_COLUMNS, "months")
                for column in TREND_COLUMNS:
                    # the same figure in two places: hidden in both or shown the same
                    assert _total(published.months).values[column] == yearly.values[column], (
                        year,
                        column,
                    )
                for breakdown in BREAKDOWNS:
                    rows = trends(actor=actor, school_year=year, breakdown=breakdown).breakdown_rows
                    columns = (*TREND_COLUMNS, "over_3_months")
                    _check_suppressed(rows, columns, breakdown)
                    for column in columns:
                        assert _total(rows).values[column] == yearly.values[column], (
                            year,
                            breakdown,
                            column,
                        )


# -- the home page's thuiszitters and the monitor: the same children ------------------------------

#: one pupil: where it lives, its school (A or B), the day its enrolment ends (days after
#: 1 March 2024, None: still enrolled) and stretches of whole days away without leave (days after
#: 1 March 2024, length in days; None: up to the day of the detection)
pupils = st.lists(
    st.tuples(
        st.sampled_from(["GM0001", "GM0002"]),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 250)),
        st.lists(
            st.tuples(st.integers(150, 250), st.one_of(st.none(), st.integers(1, 70))), max_size=2
        ),
    ),
    min_size=1,
    max_size=8,
)
FROM = dt.date(2024, 3, 1)


@settings(
    max_examples=20,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=pupils)
def test_the_home_pages_thuiszitters_are_the_monitors(generated):
    """Detection (the home page's list) and the refresh (the monitor) on the same day, over the
    same data, find the same children at home, in the same category, over three months or not;
    the gemeente's figure counts its residents on the leerplicht list."""
    with _example(min_shown=1):
        world = two_organisations()
        beleid_b = MembershipFactory(organisation=world.gemeente_b, role=Role.BELEIDSMEDEWERKER)
        for municipality, at_a, left, stretches in generated:
            child = StudentFactory(municipality_code=municipality, birth_date=BIRTH_DATE)
            end = FROM + dt.timedelta(days=left) if left is not None else None
            EnrolmentFactory(
                student=child,
                school=world.school_a if at_a else world.school_b,
                end_date=end,
            )
            for offset, length in stretches:
                start = FROM + dt.timedelta(days=offset)
                AbsenceRecord.objects.get_or_create(
                    student=child,
                    start_date=start,
                    reason="ongeoorloofd",
                    defaults={
                        "end_date": start + dt.timedelta(days=length - 1) if length else DETECTED_ON
                    },
                )
        detection_run(on=DETECTED_ON)
        refresh_episodes(on=DETECTED_ON)
        statuses = {
            s.student_id: (s.category, s.over_3_months)
            for s in StudentStatus.objects.filter(category__in=(AV, LRV))
        }
        episodes = {
            e.student_id: (e.category, e.over_3_months_on is not None)
            for e in Episode.objects.filter(end_date__isnull=True)
        }
        assert statuses == episodes
        event(
            f"at home {len(statuses)}, over {sum(o for _, o in statuses.values())}, lrv {sum(c == LRV for c, _ in statuses.values())}"
        )
        for leerplicht, beleid, code in (
            (world.leerplicht_a, world.beleid_a, "GM0001"),
            (world.leerplicht_b, beleid_b, "GM0002"),
        ):
            listed = [
                row
                for row in thuiszitters_for(actor=actor_for(leerplicht))
                if row.student.municipality_code == code
            ]
            now = now_figures(actor=actor_for(beleid))
            for key in (AV, LRV):
                row = _row(now.thuiszitters, key).values
                assert row["now"] == sum(1 for r in listed if r.category == key)
                assert row["over_3_months"] == sum(
                    1 for r in listed if r.category == key and r.over_3_months
                )


# -- the suppression itself, on any table ----------------------------------------------------------

counts = st.integers(0, 12)


@settings(max_examples=50, deadline=None)
@given(
    cells=st.integers(1, 4).flatmap(
        lambda n_cols: st.lists(
            st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=4
        )
    )
)
def test_a_suppressed_table_gives_no_hidden_cell_away(cells):
    table = suppression.suppress_table(cells, row_totals=True, column_totals=True)
    n_rows, n_cols = len(cells), len(cells[0])
    grand = sum(map(sum, cells))
    rows = [[*table.cells[r], table.row_totals[r]] for r in range(n_rows)]
    rows.append([*table.column_totals, table.grand_total])
    raw = [[*cells[r], sum(cells[r])] for r in range(n_rows)]
    raw.append([*(sum(cells[r][c] for r in range(n_rows)) for c in range(n_cols)), grand])
    lines = list(rows) + [[row[c] for row in rows] for c in range(n_cols + 1)]
    for line in lines:
        # parts and their total: never exactly one hidden (it would follow from the others)
        assert sum(1 for cell in line if cell is None) != 1
        parts, total = line[:-1], line[-1]
        if total is not None:
            assert all(p is None or p <= total for p in parts)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            # what is shown is the true count, and never a small one
            assert cell is None or cell == raw[r][c]
            assert cell is None or not suppression.is_small(cell)
