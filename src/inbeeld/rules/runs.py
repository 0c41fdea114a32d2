"""Runs of consecutive school days, the one definition of a sick spell (RULES.md §4).

A sick spell (MAZL, Medische Advisering van de Ziekgemelde Leerling, NCJ) is a run of consecutive
counted school days with sick hours; an LRV run (LPW art. 21a, "minstens vier weken achtereen",
RULES.md §4 ``lrv``) one of whole days of unexcused absence. Days are consecutive when they are
consecutive school days *of the child*, whatever lies between (a vacation, a change of school):
each day carries ``eff``, the number of the child's own school days up to it, and two days are
consecutive exactly when their ``eff`` differ by one.

:func:`sick_spells` is used by the rules engine (``mazl_7_dagen``, ``mazl_4_in_12`` and the
``langdurig_ziek`` report, ``rules/engine/meldingen.py``) and by the care signal "vaak kort ziek"
(``rules/signal_replay.py``, which the child's page reads through ``rules/care_signals.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Runs:
    """Runs of consecutive school days in a subset of the rows."""

    rows: np.ndarray  # indexes of the rows in a run, ascending
    run_id: np.ndarray  # per row of ``rows``: its run
    first_row: np.ndarray  # per run: index into ``rows`` of its first day
    length: np.ndarray  # per run: its number of days
    position: np.ndarray  # per row of ``rows``: its place in its run, 1-based

    @property
    def start_rows(self) -> np.ndarray:
        """Per run: the row (index into the input) of its first day."""
        return self.rows[self.first_row]


def consecutive_runs(student: np.ndarray, eff: np.ndarray, mask: np.ndarray) -> Runs:
    """The runs of the rows where ``mask`` holds: rows of one student whose ``eff`` follow each
    other. The rows are sorted by student and day (``eff`` ascending within a student)."""
    rows = np.flatnonzero(mask)
    sx, number = student[rows], eff[rows]
    new = np.ones(rows.size, dtype=bool)
    if rows.size:
        new[1:] = (sx[1:] != sx[:-1]) | (number[1:] != number[:-1] + 1)
    run_id = np.cumsum(new) - 1
    first_row = np.flatnonzero(new)
    length = np.diff(np.append(first_row, rows.size))
    position = np.arange(rows.size) - first_row[run_id] + 1 if rows.size else run_id
    return Runs(rows, run_id, first_row, length, position)


def sick_spells(student: np.ndarray, eff: np.ndarray, sick: np.ndarray) -> Runs:
    """The sick spells (RULES.md §4, MAZL): runs of consecutive counted school days with sick
    hours (``sick > 0``). The rows are the counted school days of one or more students, sorted by
    student and day; a counted day without sick hours may be left out (it breaks a spell by its
    ``eff`` all the same)."""
    return consecutive_runs(student, eff, sick > 0)
