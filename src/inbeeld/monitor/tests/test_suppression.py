"""Small-cell suppression (issue 5 §3): primary, secondary, and no hidden cell recoverable."""

from __future__ import annotations

import itertools
import random

import pytest

from inbeeld.monitor.suppression import (
    HIDDEN_TEXT,
    shown,
    suppress_count,
    suppress_line,
    suppress_table,
)


@pytest.mark.parametrize(("count", "cell"), [(0, 0), (1, None), (4, None), (5, 5), (123, 123)])
def test_counts_from_one_to_four_are_hidden_and_zero_is_shown(count, cell):
    assert suppress_count(count) == cell
    assert shown(suppress_count(count)) == (HIDDEN_TEXT if cell is None else count)


def test_a_total_and_the_visible_parts_would_reveal_the_hidden_cell():
    # 3 + 12 + 20 = 35: with 12, 20 and 35 shown, the 3 follows; so 12 goes too
    parts, total = suppress_line([3, 12, 20])
    assert parts == [None, None, 20]
    assert total == 35
    # never a zero as the second hidden cell (a zero is always shown, so hiding it tells)
    parts, total = suppress_line([0, 2, 9, 30])
    assert parts == [0, None, None, 30]
    assert total == 41


def test_two_hidden_parts_need_nothing_more():
    assert suppress_line([2, 3, 40]) == ([None, None, 40], 45)


def test_when_only_zeros_are_left_the_total_is_hidden():
    assert suppress_line([0, 3, 0]) == ([0, None, 0], None)


def test_a_small_total_is_hidden_with_its_parts():
    assert suppress_line([1, 2]) == ([None, None], None)


def test_totals_given_that_are_not_sums():
    # unique children over two categories (one child in both): the total is still published
    parts, total = suppress_line([3, 10], total=12)
    assert parts == [None, None]
    assert total == 12


def test_table_with_row_and_column_totals():
    table = suppress_table(
        [[3, 10, 20], [8, 7, 30], [9, 12, 40]], row_totals=True, column_totals=True
    )
    # row 0 hides 3 and then 10 (smallest visible); column 0 then has one hidden: 8 goes; column
    # 1 has 10 hidden and one more needed: 7 (row 1 then has 8 and 7 hidden: fine)
    assert table.cells == [[None, None, 20], [None, None, 30], [9, 12, 40]]
    assert table.row_totals == [33, 45, 61]
    assert table.column_totals == [20, 29, 90]
    assert table.grand_total == 139
    assert table.hidden == 4


def test_a_hidden_total_is_protected_in_the_totals_row():
    # row 0 is [0, 2, 0] with total 2: the total is hidden itself; the column-total row
    # (totals of the columns and the grand total) then has only the row totals' column to look at
    table = suppress_table([[0, 2, 0], [10, 20, 30]], row_totals=True, column_totals=True)
    assert table.cells[0] == [0, None, 0]
    assert table.row_totals[0] is None
    # column 1: the 2 hidden, so 20 too; the row-total column: 2 hidden, so 60 too
    assert table.cells[1][1] is None
    assert table.row_totals[1] is None
    _assert_nothing_recoverable(
        [[0, 2, 0], [10, 20, 30]], table, row_totals=True, column_totals=True
    )


def _assert_nothing_recoverable(cells, table, *, row_totals, column_totals):
    """No line (a row with its total, a column with its total) has exactly one hidden cell."""
    n_rows, n_cols = len(cells), len(cells[0])
    lines = []
    if row_totals:
        for r in range(n_rows):
            lines.append([table.cells[r][c] for c in range(n_cols)] + [table.row_totals[r]])
        if column_totals:
            lines.append([*list(table.column_totals), table.grand_total])
    if column_totals:
        for c in range(n_cols):
            lines.append([table.cells[r][c] for r in range(n_rows)] + [table.column_totals[c]])
        if row_totals:
            lines.append([*list(table.row_totals), table.grand_total])
    for line in lines:
        assert sum(1 for v in line if v is None) != 1, line
    for r, c in itertools.product(range(n_rows), range(n_cols)):
        value = table.cells[r][c]
        assert value is None or value == cells[r][c]
        if 0 < cells[r][c] < 5:
            assert value is None


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_leave_no_line_with_one_hidden_cell(seed):
    rnd = random.Random(seed)
    rows, cols = rnd.randrange(1, 6), rnd.randrange(1, 6)
    cells = [
        [rnd.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 40]) for _ in range(cols)] for _ in range(rows)
    ]
    for row_totals, column_totals in [(True, True), (True, False), (False, True)]:
        table = suppress_table(cells, row_totals=row_totals, column_totals=column_totals)
        _assert_nothing_recoverable(
            cells, table, row_totals=row_totals, column_totals=column_totals
        )


def test_without_totals_only_primary_suppression():
    table = suppress_table([[3, 10], [0, 7]])
    assert table.cells == [[None, 10], [0, 7]]
    assert table.row_totals is None
    assert table.column_totals is None


def test_a_total_hidden_elsewhere_is_hidden_here_and_protected():
    # the same total (25) hidden in another table: here its column then needs a second cell
    table = suppress_table([[10], [15]], column_totals=True, also_hidden=[(2, 0)])
    assert table.column_totals == [None]
    assert table.cells == [[None], [15]] or table.cells == [[10], [None]]
