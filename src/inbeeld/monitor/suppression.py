"""Small-cell suppression of published figures (issue 5 §3).

Anything shown beyond a case team (a beleidsmedewerker's dashboard, an export, the council's
report) goes through these functions. Two steps, as in Dutch statistical practice:

1. **Primary suppression**: a count from 1 to 4 ("< 5") is hidden. **(choice)**
   0 stays visible: it says that nobody is in a category, not who is, and CBS tables (StatLine) and
   the Jeugdmonitor show zeros too while hiding small counts. Because a 0 is always shown, a
   hidden cell is known to be at least 1; so secondary suppression never hides a 0.
2. **Secondary (complementary) suppression**: a hidden cell must not follow from a total and the
   visible parts. Every *line* (a row with its row total, a column with its column total) that
   holds exactly one hidden cell gets a second one hidden: the smallest non-zero visible part of
   that line, or, when there is none, the line's total. This repeats until no line has exactly one
   hidden cell, so a total hidden in step 2 is protected in its own line (the totals row) too.

The rule is the usual one-line check (as τ-ARGUS' "singleton" rule does): it closes the attacks
"total minus the others" that a reader of a table makes, not every linear-programming attack on
large tables. Hidden cells are ``None`` in the results (the dashboard's convention);
:func:`shown` turns a cell into what is printed.

Every hidden cell is printed the same way, ``x`` (as CBS does), with a legend saying it is a count
under 5 or one that would reveal such a count. **(choice)** Printing ``< 5`` for the first kind
and something else for the second would tell the reader that the second kind is 5 or more, which
narrows what the hidden small count can be; and printing ``< 5`` for both would be untrue for the
second kind.

Pure functions on plain lists: the dashboard, the API and the exports all use the same ones.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: The smallest count that is shown (counts 1 … MIN_SHOWN - 1 are hidden).
MIN_SHOWN = 5
#: How a hidden count is printed (one sign for both kinds, see the module's docstring).
HIDDEN_TEXT = "x"
#: The legend printed with every published table.
HIDDEN_LEGEND = (
    "x = verborgen: een aantal van 1 tot en met 4 (< 5), of een aantal waaruit met een totaal "
    "zo'n klein aantal af te leiden zou zijn"
)

#: A published count: the number, or None when hidden.
Cell = int | None


def is_small(count: int) -> bool:
    """A count that primary suppression hides: 1 to 4 (0 is shown)."""
    return 0 < count < MIN_SHOWN


def suppress_count(count: int | None) -> Cell:
    """One count on its own: hidden (None) when 1–4 (or hidden already), else itself."""
    return None if count is None or is_small(count) else count


def per_1000(count: float | None, pupils: int) -> float | None:
    """Per 1,000 pupils, from a shown count only (a rate of a hidden count would reveal it)."""
    if count is None or not pupils:
        return None
    return round(count * 1000 / pupils, 2)


def median_days(durations: list[int]) -> float | None:
    """The median, only over enough children to hide any one of them."""
    if len(durations) < MIN_SHOWN:
        return None
    return float(statistics.median(durations))


def longest_days(durations: list[int]) -> int | None:
    """The longest, only over enough children to hide any one of them (as :func:`median_days`):
    the longest of fewer than five would point at one child."""
    if len(durations) < MIN_SHOWN:
        return None
    return max(durations)


def shown(cell: Cell) -> int | str:
    """What is printed for a published cell: the number, or ``"x"``."""
    return HIDDEN_TEXT if cell is None else cell


@dataclass(frozen=True)
class SuppressedTable:
    """A table after suppression: ``cells[r][c]``, and the totals that were published."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None = None
    column_totals: list[Cell] | None = None
    grand_total: Cell = None

    @property
    def hidden(self) -> int:
        """How many cells (totals included) are hidden."""
        every = [c for row in self.cells for c in row]
        every += list(self.row_totals or []) + list(self.column_totals or [])
        if self.row_totals is not None and self.column_totals is not None:
            every.append(self.grand_total)
        return sum(1 for c in every if c is None)


def _totals(given: bool | Sequence[int], computed: list[int]) -> list[int] | None:
    if given is False:
        return None
    if given is True:
        return computed
    values = [int(v) for v in given]
    if len(values) != len(computed):
        raise ValueError("the totals do not match the table's shape")
    return values


def suppress_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool | Sequence[int] = False,
    column_totals: bool | Sequence[int] = False,
    grand_total: int | None = None,
    also_hidden: Sequence[tuple[int, int]] = (),
) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts.

    ``row_totals`` / ``column_totals``: False (not published), True (published, the sums) or the
    published totals themselves (when they are not plain sums, such as unique persons over
    categories a child can be in twice; they are still treated as revealing). With both, the grand
    total is published too (``grand_total``, default the sum of everything).

    ``also_hidden``: positions hidden beforehand, because the same number is hidden in another
    published table (a total shown there and here must be hidden in both). Cell ``(r, c)``; the
    total of row ``r`` is ``(r, n_cols)``, the total of column ``c`` is ``(n_rows, c)``.
    """
    matrix = [[int(v) for v in row] for row in cells]
    n_rows = len(matrix)
    n_cols = len(matrix[0]) if matrix else 0
    if any(len(row) != n_cols for row in matrix):
        raise ValueError("every row of a table needs the same number of cells")
    rt = _totals(row_totals, [sum(row) for row in matrix])
    ct = _totals(column_totals, [sum(row[c] for row in matrix) for c in range(n_cols)])
    # the full grid: cells, a row-total column and a column-total row when published
    grid: dict[tuple[int, int], int] = {
        (r, c): matrix[r][c] for r in range(n_rows) for c in range(n_cols)
    }
    if rt is not None:
        grid.update({(r, n_cols): rt[r] for r in range(n_rows)})
    if ct is not None:
        grid.update({(n_rows, c): ct[c] for c in range(n_cols)})
    if rt is not None and ct is not None:
        grid[(n_rows, n_cols)] = grand_total if grand_total is not None else sum(map(sum, matrix))
    # lines: (parts, total)
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if rt is not None:
        for r in range(n_rows + (1 if ct is not None else 0)):
            lines.append(([(r, c) for c in range(n_cols)], (r, n_cols)))
    if ct is not None:
        for c in range(n_cols + (1 if rt is not None else 0)):
            lines.append(([(r, c) for r in range(n_rows)], (n_rows, c)))
    hidden = {pos for pos, value in grid.items() if is_small(value)}
    hidden |= {tuple(pos) for pos in also_hidden if tuple(pos) in grid}  # type: ignore[misc]
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            if sum(1 for p in [*parts, total] if p in hidden) != 1:
                continue
            candidates = [p for p in parts if p not in hidden and grid[p] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda p: (grid[p], p)))
            else:
                hidden.add(total)
            changed = True

    def cell(pos: tuple[int, int]) -> Cell:
        return None if pos in hidden else grid[pos]

    return SuppressedTable(
        cells=[[cell((r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[cell((r, n_cols)) for r in range(n_rows)] if rt is not None else None,
        column_totals=[cell((n_rows, c)) for c in range(n_cols)] if ct is not None else None,
        grand_total=cell((n_rows, n_cols)) if rt is not None and ct is not None else None,
    )


def suppress_line(parts: Sequence[int], total: int | None = None) -> tuple[list[Cell], Cell]:
    """Parts with their published total (default: their sum), e.g. exemptions per article and all
    exemptions: ``(parts, total)`` after primary and secondary suppression."""
    table = suppress_table([list(parts)], row_totals=[sum(parts) if total is None else total])
    assert table.row_totals is not None
    return table.cells[0], table.row_totals[0]


def suppress_column(values: Sequence[int], total: int | None = None) -> tuple[list[Cell], Cell]:
    """A column with a total row: the same as :func:`suppress_line`, read downwards."""
    return suppress_line(values, total)


__all__ = [
    "HIDDEN_LEGEND",
    "HIDDEN_TEXT",
    "MIN_SHOWN",
    "Cell",
    "SuppressedTable",
    "is_small",
    "median_days",
    "per_1000",
    "shown",
    "suppress_column",
    "suppress_count",
    "suppress_line",
    "suppress_table",
]
